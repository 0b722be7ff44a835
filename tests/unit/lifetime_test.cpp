// Lifetimes across the broker's edges: timers that outlive their broker, and observers that call
// back into the broker while it is routing. Meant for the ASan and TSan presets, where a use
// after free is a failure; in a plain build they check the accounting.

#include <wasmq/wasmq.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace wasmq {
namespace {

Message message_to(std::string_view topic) {
  Message message;
  message.topic = std::string(topic);
  message.payload = Payload::copy_of("x");
  return message;
}

TEST(LifetimeTest, ADelayedReleaseTimerThatFiresAfterTheBrokerIsGoneDoesNothing) {
  ManualRuntime runtime;  // outlives the broker, as documented
  {
    Broker broker(runtime);
    ASSERT_TRUE(broker.declare_queue("q"));
    // This thread's route cache now holds the routing snapshot, and with it the queue.
    ASSERT_TRUE(broker.publish(message_to("q")));
    auto receiver = broker.open_receiver("q");
    ASSERT_TRUE(receiver);
    auto delivery = receiver->receive(wasmq::Duration::zero());
    ASSERT_TRUE(delivery);
    ASSERT_TRUE(delivery->release(10s));  // arms a timer on the runtime for the queue
  }
  EXPECT_GE(runtime.pending_timers(), 1u) << "the release timer outlives the broker";
  runtime.advance(10s);  // the queue may still be alive (a cached snapshot); the broker is not
  runtime.run_until_idle();
  // A second broker on the same thread replaces the cached snapshot and frees the old queue.
  Broker next(runtime);
  ASSERT_TRUE(next.declare_queue("q"));
  EXPECT_TRUE(next.publish(message_to("q")));
}

/// An observer that publishes from inside the broker's own routing of a message: each first
/// `published` event of a message on "in" declares a new queue (a routing change) and publishes
/// to "echo".
class RepublishingObserver final : public Observer {
 public:
  Broker* broker = nullptr;
  int republished = 0;
  void on_event(const Event& event) noexcept override {
    if (event.kind != EventKind::published || event.message.topic() != "in" || broker == nullptr) return;
    ++republished;
    (void)broker->declare_queue("changed." + std::to_string(republished));  // a new routing snapshot
    (void)broker->publish(message_to("echo"));
  }
};

TEST(LifetimeTest, AnObserverThatChangesRoutingAndPublishesDuringAPublishIsSafe) {
  ManualRuntime runtime;
  auto observer = std::make_shared<RepublishingObserver>();
  Broker broker(runtime, {.observer = observer});
  observer->broker = &broker;
  ASSERT_TRUE(broker.declare_queue("echo"));
  // Several queues take "in", so routing goes on after the observer has changed the table.
  std::vector<Consumer> subscribers;
  for (int i = 0; i < 4; ++i) {
    auto subscribed = broker.subscribe("in", {}, [](Delivery& delivery) { (void)delivery.accept(); });
    ASSERT_TRUE(subscribed);
    subscribers.push_back(std::move(*subscribed));
  }
  for (int i = 0; i < 3; ++i) {
    auto receipt = broker.publish(message_to("in"));
    ASSERT_TRUE(receipt) << receipt.error().message();
    EXPECT_EQ(receipt->routed, 4u) << "every subscription of the table the publish started with";
  }
  runtime.run_until_idle();
  EXPECT_EQ(observer->republished, 12);
  auto echo = broker.queue_stats("echo");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->depth, 12u);
}

}  // namespace
}  // namespace wasmq
