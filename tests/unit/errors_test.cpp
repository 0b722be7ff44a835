// Bad input gets a clear error, never a crash: every refusal of the broker's API.

#include "support/broker_fixture.hpp"

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::make_message;

using ErrorsTest = BrokerTest;

TEST_F(ErrorsTest, PublishRefusesBadNames) {
  EXPECT_EQ(broker.publish(make_message("")).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.publish(make_message("a..b")).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.publish(make_message("with space")).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.publish(make_message("a.*")).error().code, Errc::wildcard_in_name);
  EXPECT_EQ(broker.publish(make_message("a.>")).error().code, Errc::wildcard_in_name);
  EXPECT_EQ(broker.stats().published, 0u) << "refused publishes are not counted as published";
}

// A topic equal to the one this thread routed last skips the name check (the routing table binds
// it, so it is valid); any other text, however close, is checked. Short topics compare in words,
// long ones (over 16 bytes) with memcmp; both publishes take the path.
TEST_F(ErrorsTest, ABadTopicRightAfterAGoodOneIsStillRefused) {
  const std::string short_topic = "jobs";
  const std::string long_topic = "orders.eu.created";
  ASSERT_TRUE(broker.declare_queue(short_topic));
  ASSERT_TRUE(broker.declare_queue(long_topic));
  struct Case {
    std::string good;
    std::string bad;
    Errc error;
  };
  const Case cases[] = {{short_topic, "job*", Errc::wildcard_in_name},
                        {short_topic, "jo s", Errc::invalid_name},
                        {short_topic, "jobs.", Errc::invalid_name},
                        {long_topic, "orders.eu.create>", Errc::wildcard_in_name},
                        {long_topic, "orders.eu..reated", Errc::invalid_name}};
  for (const Case& next : cases) {
    for (int round = 0; round < 2; ++round) {  // the second publish of `good` finds it routed last
      ASSERT_TRUE(broker.publish(next.good, "x")) << next.good;
      ASSERT_TRUE(broker.publish(make_message(next.good))) << next.good;
    }
    auto as_bytes = broker.publish(next.bad, "x");
    ASSERT_FALSE(as_bytes) << next.bad;
    EXPECT_EQ(as_bytes.error().code, next.error) << next.bad;
    ASSERT_TRUE(broker.publish(next.good, "x"));
    auto as_message = broker.publish(make_message(next.bad));
    ASSERT_FALSE(as_message) << next.bad;
    EXPECT_EQ(as_message.error().code, next.error) << next.bad;
  }
  EXPECT_EQ(broker.stats().published, 5u * 5u) << "only the good topics were published";
}

TEST_F(ErrorsTest, EveryWayANameEntersRefusesInvalidUtf8) {
  const std::string bad = "orders.\xc3\x28";  // a two-byte lead followed by ASCII
  auto noop = [](Delivery&) {};
  EXPECT_EQ(broker.publish(make_message(bad)).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.declare_queue(bad).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.subscribe(bad, {}, noop).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.subscribe("orders.>", {.group = "\xff"}, noop).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.consume(bad, {}, noop).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.open_receiver(bad).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.declare_queue("q", {.dead_letter = bad}).error().code, Errc::invalid_name);
  EXPECT_TRUE(broker.publish(make_message("orders.\xc3\xa9t\xc3\xa9"))) << "valid UTF-8 is a valid name";
}

TEST_F(ErrorsTest, DeclareRefusesBadNamesAndOptions) {
  EXPECT_EQ(broker.declare_queue("").error().code, Errc::invalid_name);
  EXPECT_EQ(broker.declare_queue("q.*").error().code, Errc::wildcard_in_name);
  EXPECT_EQ(broker.declare_queue("q", {.lock_duration = 0s}).error().code, Errc::invalid_argument);
  EXPECT_EQ(broker.declare_queue("q", {.redelivery_backoff = {-1s}}).error().code, Errc::invalid_argument);
}

TEST_F(ErrorsTest, SubscribeRefusesBadPatternsGroupsAndOptions) {
  auto noop = [](Delivery&) {};
  EXPECT_EQ(broker.subscribe("a.>.b", {}, noop).error().code, Errc::invalid_pattern);
  EXPECT_EQ(broker.subscribe("", {}, noop).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.subscribe("a", {.group = "bad group"}, noop).error().code, Errc::invalid_name);
  EXPECT_EQ(broker.subscribe("a", {.consumer = {.max_in_flight = 0}}, noop).error().code, Errc::invalid_argument);
  EXPECT_EQ(broker.subscribe("a", {.queue = QueueOptions{.lock_duration = -1s}}, noop).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(broker.subscribe("a", {}, Handler{}).error().code, Errc::invalid_argument);
  EXPECT_TRUE(broker.stats().queues.empty()) << "a refused subscription leaves nothing behind";
}

TEST_F(ErrorsTest, ConsumeRefusesBadOptions) {
  ASSERT_TRUE(broker.declare_queue("q"));
  auto noop = [](Delivery&) {};
  EXPECT_EQ(broker.consume("q", {.max_in_flight = 0}, noop).error().code, Errc::invalid_argument);
  EXPECT_EQ(broker.consume("q", {.max_in_flight = (1U << 16) + 1}, noop).error().code, Errc::invalid_argument);
  EXPECT_EQ(broker.consume("q", {.batch_size = 0}, noop).error().code, Errc::invalid_argument);
  EXPECT_EQ(broker.consume("q", {}, Handler{}).error().code, Errc::invalid_argument);
  EXPECT_EQ(broker.consume("q.*", {}, noop).error().code, Errc::wildcard_in_name);
}

TEST_F(ErrorsTest, AQueueTakesAtMostSixtyFourPushConsumers) {
  ASSERT_TRUE(broker.declare_queue("q"));
  std::vector<Consumer> consumers;
  for (int i = 0; i < 64; ++i) {
    auto consumer = broker.consume("q", {}, [](Delivery&) {});
    ASSERT_TRUE(consumer) << i;
    consumers.push_back(std::move(*consumer));
  }
  auto one_more = broker.consume("q", {}, [](Delivery&) {});
  ASSERT_FALSE(one_more);
  EXPECT_EQ(one_more.error().code, Errc::too_many_consumers);
  consumers.pop_back();
  EXPECT_TRUE(broker.consume("q", {}, [](Delivery&) {})) << "a closed consumer frees its place";
}

TEST_F(ErrorsTest, EverythingAfterShutdownIsRefusedAsClosed) {
  ASSERT_TRUE(broker.declare_queue("q"));
  auto receiver = broker.open_receiver("q");
  publish("q");
  auto held = receiver->receive(wasmq::Duration::zero());
  broker.shutdown();
  EXPECT_EQ(broker.publish(make_message("q")).error().code, Errc::closed);
  EXPECT_EQ(broker.declare_queue("r").error().code, Errc::closed);
  EXPECT_EQ(broker.consume("q", {}, [](Delivery&) {}).error().code, Errc::closed);
  EXPECT_EQ(broker.subscribe("t", {}, [](Delivery&) {}).error().code, Errc::closed);
  EXPECT_EQ(receiver->receive(wasmq::Duration::zero()).error().code, Errc::closed);
  EXPECT_EQ(held->accept().error().code, Errc::lock_lost);
  broker.shutdown();  // idempotent
}

TEST_F(ErrorsTest, HandlesOutliveTheirBroker) {
  auto local_runtime = std::make_unique<ManualRuntime>();
  auto local = std::make_unique<Broker>(*local_runtime);
  ASSERT_TRUE(local->declare_queue("q"));
  auto receiver = local->open_receiver("q");
  ASSERT_TRUE(local->publish(make_message("q")));
  auto held = receiver->receive(wasmq::Duration::zero());
  local.reset();
  EXPECT_EQ(held->accept().error().code, Errc::lock_lost);
  EXPECT_EQ(receiver->receive(wasmq::Duration::zero()).error().code, Errc::closed);
}

TEST_F(ErrorsTest, DeliveriesAPushHandlerKeepsOutliveTheirConsumerAndBroker) {
  // A push handler is lent its delivery (the dispatch run keeps the consumer alive); one it
  // moves out, by construction or by assignment, must hold the consumer itself, for it outlives
  // that run, the consumer and the broker here. Under AddressSanitizer a borrowed pointer would
  // be a use after free below.
  auto local_runtime = std::make_unique<ManualRuntime>();
  auto local = std::make_unique<Broker>(*local_runtime);
  ASSERT_TRUE(local->declare_queue("q"));
  std::vector<Delivery> constructed;
  Delivery assigned;
  auto consumer = local->consume("q", {}, [&](Delivery& delivery) {
    if (constructed.empty()) {
      constructed.push_back(std::move(delivery));
    } else {
      assigned = std::move(delivery);
    }
  });
  ASSERT_TRUE(consumer);
  ASSERT_TRUE(local->publish(make_message("q", "first")));
  ASSERT_TRUE(local->publish(make_message("q", "second")));
  local_runtime->run_until_idle();
  ASSERT_EQ(constructed.size(), 1u);
  ASSERT_TRUE(assigned.valid());
  consumer->close();
  *consumer = Consumer();
  local.reset();
  EXPECT_EQ(constructed[0].message().payload().as_string(), "first");
  EXPECT_EQ(assigned.message().payload().as_string(), "second");
  EXPECT_EQ(constructed[0].queue(), "q");
  EXPECT_EQ(constructed[0].accept().error().code, Errc::lock_lost);
  EXPECT_EQ(assigned.reject("late").error().code, Errc::lock_lost);
}

TEST(ErrcTest, EveryCodeHasAName) {
  for (int code = 0; code <= static_cast<int>(Errc::closed); ++code) {
    EXPECT_NE(to_string(static_cast<Errc>(code)), "unknown") << code;
  }
}

}  // namespace
}  // namespace wasmq
