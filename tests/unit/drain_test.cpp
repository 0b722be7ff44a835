// Broker::drain: refuse new publishes (but those of handlers finishing their work), let what is
// queued and in flight finish, and say what is left.

#include "support/broker_fixture.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace wasmq {
namespace {

using testing_support::make_message;

class DrainTest : public ::testing::Test {
 protected:
  ThreadPoolRuntime runtime{2};  // declared first: outlives the broker
  Broker broker{runtime};
};

TEST_F(DrainTest, WaitsForWhatIsQueuedAndInFlightThenRefusesPublishes) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  // The handler holds its first delivery until the drain has begun, so the drain must wait for it
  // and for the messages behind it.
  std::mutex gate_mutex;
  std::condition_variable gate_changed;
  bool gate_open = false;
  std::atomic<int> accepted{0};
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(broker.publish(make_message("jobs", std::to_string(i))));
  auto consumer = broker.consume("jobs", {.batch_size = 1}, [&](Delivery& delivery) {
    std::unique_lock lock(gate_mutex);
    ASSERT_TRUE(gate_changed.wait_for(lock, 10s, [&] { return gate_open; }));
    if (delivery.accept()) accepted.fetch_add(1);
  });
  ASSERT_TRUE(consumer);
  std::thread opener([&] {
    // The drain has begun once a publish from outside a handler is refused (10 s at most).
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (broker.publish(make_message("elsewhere")) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    {
      std::lock_guard lock(gate_mutex);
      gate_open = true;
    }
    gate_changed.notify_all();
  });
  const DrainReport report = broker.drain(10s);
  opener.join();
  EXPECT_TRUE(report.finished) << report;
  EXPECT_EQ(report.waiting, 0u);
  EXPECT_EQ(report.in_flight, 0u);
  EXPECT_EQ(accepted.load(), 50) << "the drain returned only once every message was settled";
  auto refused = broker.publish(make_message("jobs"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::closed);
  EXPECT_NE(refused.error().message().find("draining"), std::string::npos) << refused.error();
}

TEST_F(DrainTest, QueuesNobodyConsumesDoNotHoldADrainButAreReported) {
  ASSERT_TRUE(broker.declare_queue("orders.dead"));
  ASSERT_TRUE(broker.publish(make_message("orders.dead", "letter")));
  const DrainReport report = broker.drain(10s);
  EXPECT_TRUE(report.finished);
  EXPECT_EQ(report.waiting, 1u);
  ASSERT_EQ(report.unfinished.size(), 1u);
  EXPECT_EQ(report.unfinished[0].name, "orders.dead");
}

TEST_F(DrainTest, ATimeoutReturnsWhatIsStillInFlight) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  std::vector<Delivery> held;
  std::mutex held_mutex;
  auto keeper = broker.consume("jobs", {}, [&](Delivery& delivery) {
    std::lock_guard lock(held_mutex);
    held.push_back(std::move(delivery));  // never settled during the drain
  });
  ASSERT_TRUE(keeper);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(broker.publish(make_message("jobs")));
  const DrainReport report = broker.drain(50ms);
  EXPECT_FALSE(report.finished);
  EXPECT_EQ(report.in_flight + report.waiting, 3u) << report;
  keeper->close();
}

TEST(DrainOnAManualRuntime, HandlersMayStillPublishOnwardWhileDraining) {
  // On a manual runtime the handlers run only when the test runs them: after the drain began.
  ManualRuntime runtime;
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("orders"));
  ASSERT_TRUE(broker.declare_queue("invoices"));
  int invoiced = 0;
  auto forwarder = broker.consume("orders", {}, [&](Delivery& delivery) {
    if (broker.publish(make_message("invoices", delivery.message().payload().as_string()))) (void)delivery.accept();
  });
  auto invoicer = broker.consume("invoices", {}, [&](Delivery& delivery) {
    if (delivery.accept()) ++invoiced;
  });
  ASSERT_TRUE(forwarder && invoicer);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(broker.publish(make_message("orders")));
  EXPECT_FALSE(broker.drain(1h).finished);
  runtime.run_until_idle();
  EXPECT_EQ(invoiced, 10) << "publishes from handlers finishing their work are taken";
  EXPECT_TRUE(broker.drain(1h).finished);
}

TEST(DrainOnAManualRuntime, MessagesAConsumerHasTakenButNotYetDeliveredAreNotFinished) {
  // A push consumer takes a chunk from its queue before it delivers each message of it: between
  // the two, a message is neither waiting nor in flight. Here the first handler settles its
  // delivery and looks while the other two are in the dispatch's hands; drain must not call that
  // finished (a ThreadSanitizer run of DrainTest.ATimeoutReturnsWhatIsStillInFlight once did).
  ManualRuntime runtime;
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("jobs"));
  std::optional<DrainReport> seen;
  auto consumer = broker.consume("jobs", {}, [&](Delivery& delivery) {
    ASSERT_TRUE(delivery.accept());
    if (!seen) seen = broker.drain(1h);
  });
  ASSERT_TRUE(consumer);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(broker.publish(make_message("jobs")));
  runtime.run_until_idle();
  ASSERT_TRUE(seen);
  EXPECT_FALSE(seen->finished) << *seen;
  ASSERT_EQ(seen->unfinished.size(), 1u);
  EXPECT_EQ(seen->unfinished[0].name, "jobs");
  EXPECT_TRUE(broker.drain(1h).finished) << "all three were delivered and accepted";
}

TEST(DrainOnAManualRuntime, DoesNotWaitAndSaysWhatIsLeft) {
  ManualRuntime runtime;
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("jobs"));
  auto consumer = broker.consume("jobs", {}, [](Delivery& delivery) { (void)delivery.accept(); });
  ASSERT_TRUE(consumer);
  ASSERT_TRUE(broker.publish(make_message("jobs")));
  DrainReport report = broker.drain(1h);  // returns at once: nothing runs unless the test runs it
  EXPECT_FALSE(report.finished);
  EXPECT_EQ(report.waiting, 1u);
  EXPECT_EQ(broker.publish(make_message("jobs")).error().code, Errc::closed);
  runtime.run_until_idle();
  report = broker.drain(1h);
  EXPECT_TRUE(report.finished);
  EXPECT_EQ(report.waiting + report.in_flight, 0u);
}

}  // namespace
}  // namespace wasmq
