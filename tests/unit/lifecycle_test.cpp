// available → acquired → accepted | released | rejected, delivery counts, locks and their expiry.

#include "support/broker_fixture.hpp"

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::Collector;
using testing_support::text_of;

class LifecycleTest : public BrokerTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(broker.declare_queue("jobs", {.lock_duration = 10s, .max_deliveries = 5}));
    auto opened = broker.consume("jobs", {}, collector.handler());
    ASSERT_TRUE(opened);
    consumer = std::move(*opened);
    runtime.run_until_idle();
  }

  Delivery take_only() {
    EXPECT_EQ(collector.deliveries.size(), 1u);
    Delivery delivery = std::move(collector.deliveries.front());
    collector.deliveries.clear();
    return delivery;
  }

  Collector collector;
  Consumer consumer;
};

TEST_F(LifecycleTest, AcceptRemovesTheMessage) {
  publish("jobs", "m");
  runtime.run_until_idle();
  Delivery delivery = take_only();
  EXPECT_EQ(stats_of("jobs").in_flight, 1u);
  ASSERT_TRUE(delivery.accept());
  auto stats = stats_of("jobs");
  EXPECT_EQ(stats.accepted, 1u);
  EXPECT_EQ(stats.in_flight, 0u);
  EXPECT_EQ(stats.depth, 0u);
  runtime.advance(1h);
  EXPECT_TRUE(collector.deliveries.empty()) << "an accepted message never comes back";
}

TEST_F(LifecycleTest, ReleaseRedeliversWithTheNextDeliveryCount) {
  publish("jobs", "m");
  runtime.run_until_idle();
  ASSERT_TRUE(take_only().release());
  runtime.run_until_idle();
  Delivery again = take_only();
  EXPECT_EQ(text_of(again), "m");
  EXPECT_EQ(again.delivery_count(), 2u);
  auto stats = stats_of("jobs");
  EXPECT_EQ(stats.released, 1u);
  EXPECT_EQ(stats.redelivered, 1u);
  EXPECT_EQ(stats.delivered, 2u);
}

TEST_F(LifecycleTest, ReleaseWithADelayWaitsForIt) {
  publish("jobs", "m");
  runtime.run_until_idle();
  ASSERT_TRUE(take_only().release(5s));
  EXPECT_EQ(stats_of("jobs").delayed, 1u);
  runtime.advance(4s);
  EXPECT_TRUE(collector.deliveries.empty());
  runtime.advance(1s);
  Delivery again = take_only();
  EXPECT_EQ(again.delivery_count(), 2u);
  EXPECT_EQ(stats_of("jobs").delayed, 0u);
}

TEST_F(LifecycleTest, ADeliveryDroppedUnsettledIsReleased) {
  publish("jobs", "m");
  runtime.run_until_idle();
  {
    Delivery dropped = take_only();
  }
  EXPECT_EQ(stats_of("jobs").released, 1u);
  runtime.run_until_idle();
  EXPECT_EQ(take_only().delivery_count(), 2u);
}

TEST_F(LifecycleTest, AHandlerThatLeavesTheDeliveryReleasesIt) {
  ASSERT_TRUE(broker.declare_queue("ignored"));
  int calls = 0;
  auto ignoring = broker.consume("ignored", {}, [&](Delivery& delivery) {
    if (++calls == 1) return;  // leave it: released when the handler returns
    (void)delivery.accept();
  });
  publish("ignored");
  runtime.run_until_idle();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(stats_of("ignored").accepted, 1u);
}

TEST_F(LifecycleTest, SettlingTwiceIsAnError) {
  publish("jobs", "m");
  runtime.run_until_idle();
  Delivery delivery = take_only();
  ASSERT_TRUE(delivery.accept());
  EXPECT_EQ(delivery.accept().error().code, Errc::already_settled);
  EXPECT_EQ(delivery.release().error().code, Errc::already_settled);
  EXPECT_EQ(delivery.reject("x").error().code, Errc::already_settled);
  EXPECT_EQ(delivery.extend_lock().error().code, Errc::already_settled);
  EXPECT_EQ(stats_of("jobs").accepted, 1u);
}

TEST_F(LifecycleTest, AnEmptyHandleIsAnError) {
  Delivery empty;
  EXPECT_FALSE(empty.valid());
  EXPECT_EQ(empty.accept().error().code, Errc::invalid_handle);
  publish("jobs");
  runtime.run_until_idle();
  Delivery delivery = take_only();
  Delivery moved = std::move(delivery);
  EXPECT_EQ(delivery.accept().error().code, Errc::invalid_handle);  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(moved.accept());
}

TEST_F(LifecycleTest, NegativeReleaseDelayIsRefused) {
  publish("jobs");
  runtime.run_until_idle();
  Delivery delivery = take_only();
  EXPECT_EQ(delivery.release(-1s).error().code, Errc::invalid_argument);
  EXPECT_TRUE(delivery.accept()) << "a refused release leaves the delivery settleable";
}

TEST_F(LifecycleTest, AnExpiredLockRedeliversAndTheOldHandleLosesIt) {
  publish("jobs", "m");
  runtime.run_until_idle();
  Delivery first = take_only();
  runtime.advance(9s);
  EXPECT_TRUE(collector.deliveries.empty());
  runtime.advance(1s);
  Delivery second = take_only();
  EXPECT_EQ(second.delivery_count(), 2u);
  auto lost = first.accept();
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, Errc::lock_lost);
  ASSERT_TRUE(second.accept());
  auto stats = stats_of("jobs");
  EXPECT_EQ(stats.lock_expired, 1u);
  EXPECT_EQ(stats.accepted, 1u);
  EXPECT_EQ(consumer.stats().lock_expired, 1u);
}

TEST_F(LifecycleTest, ExtendingTheLockPostponesExpiry) {
  publish("jobs", "m");
  runtime.run_until_idle();
  Delivery delivery = take_only();
  runtime.advance(8s);
  ASSERT_TRUE(delivery.extend_lock());
  runtime.advance(8s);  // 16 s after delivery, 8 s after extending
  EXPECT_TRUE(collector.deliveries.empty());
  runtime.advance(2s);  // 10 s after extending
  EXPECT_EQ(collector.deliveries.size(), 1u);
  EXPECT_EQ(delivery.extend_lock().error().code, Errc::lock_lost);
}

TEST_F(LifecycleTest, MaxDeliveriesDeadLettersOnTheLastReturn) {
  ASSERT_TRUE(broker.declare_queue("limited", {.max_deliveries = 2, .dead_letter = "limited.dead"}));
  ASSERT_TRUE(broker.declare_queue("limited.dead"));
  auto receiver = broker.open_receiver("limited");
  publish("limited", "poison");
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->release());
  auto second = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(second);
  EXPECT_EQ(second->delivery_count(), 2u);
  ASSERT_TRUE(second->release());
  EXPECT_EQ(receiver->receive(wasmq::Duration::zero()).error().code, Errc::timeout) << "not offered a third time";
  auto stats = stats_of("limited");
  EXPECT_EQ(stats.dead_lettered[static_cast<std::size_t>(DeadLetterReason::max_deliveries)], 1u);
  EXPECT_EQ(stats_of("limited.dead").depth, 1u);
}

TEST_F(LifecycleTest, ZeroMaxDeliveriesMeansUnlimited) {
  ASSERT_TRUE(broker.declare_queue("forever", {.max_deliveries = 0}));
  auto receiver = broker.open_receiver("forever");
  publish("forever");
  for (int i = 1; i <= 50; ++i) {
    auto delivery = receiver->receive(wasmq::Duration::zero());
    ASSERT_TRUE(delivery);
    EXPECT_EQ(delivery->delivery_count(), static_cast<std::uint32_t>(i));
    ASSERT_TRUE(delivery->release());
  }
}

TEST_F(LifecycleTest, BackoffDelaysRedeliveryAfterAFailedDelivery) {
  ASSERT_TRUE(broker.declare_queue("backoff", {.lock_duration = 1s, .redelivery_backoff = {2s, 5s}}));
  Collector held;
  auto holder = broker.consume("backoff", {}, held.handler());
  publish("backoff");
  runtime.run_until_idle();
  ASSERT_EQ(held.deliveries.size(), 1u);
  runtime.advance(1s);  // lock expires: first failure, backoff 2 s
  EXPECT_EQ(stats_of("backoff").delayed, 1u);
  runtime.advance(1999ms);
  EXPECT_EQ(held.deliveries.size(), 1u);
  runtime.advance(1ms);
  ASSERT_EQ(held.deliveries.size(), 2u);
  runtime.advance(1s);  // second failure: backoff 5 s
  runtime.advance(4999ms);
  EXPECT_EQ(held.deliveries.size(), 2u);
  runtime.advance(1ms);
  EXPECT_EQ(held.deliveries.size(), 3u);
  runtime.advance(1s);  // third failure: the last backoff repeats
  runtime.advance(5s);
  EXPECT_EQ(held.deliveries.size(), 4u);
}

TEST_F(LifecycleTest, AnExplicitReleaseIgnoresTheBackoff) {
  ASSERT_TRUE(broker.declare_queue("backoff", {.redelivery_backoff = {1h}}));
  auto receiver = broker.open_receiver("backoff");
  publish("backoff");
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->release());
  EXPECT_TRUE(receiver->receive(wasmq::Duration::zero())) << "released without delay: available at once";
}

TEST_F(LifecycleTest, AThrowingHandlerIsAFailedDeliveryNotACrash) {
  ASSERT_TRUE(broker.declare_queue("throws", {.redelivery_backoff = {3s}}));
  int calls = 0;
  auto thrower = broker.consume("throws", {}, [&](Delivery& delivery) {
    if (++calls == 1) throw std::runtime_error("handler bug");
    (void)delivery.accept();
  });
  publish("throws");
  runtime.run_until_idle();
  EXPECT_EQ(calls, 1);
  auto stats = stats_of("throws");
  EXPECT_EQ(stats.handler_failures, 1u);
  EXPECT_EQ(stats.delayed, 1u) << "a failure gets the backoff";
  runtime.advance(3s);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(stats_of("throws").accepted, 1u);
  EXPECT_EQ(thrower->stats().handler_failures, 1u);
}

TEST_F(LifecycleTest, AHandlerThatThrowsAfterSettlingCountsTheFailureOnly) {
  ASSERT_TRUE(broker.declare_queue("settled.throws"));
  auto thrower = broker.consume("settled.throws", {}, [&](Delivery& delivery) {
    (void)delivery.accept();
    throw 42;  // not even a std::exception
  });
  publish("settled.throws");
  runtime.run_until_idle();
  auto stats = stats_of("settled.throws");
  EXPECT_EQ(stats.accepted, 1u);
  EXPECT_EQ(stats.depth + stats.delayed + stats.in_flight, 0u);
  EXPECT_EQ(thrower->stats().handler_failures, 1u);
}

}  // namespace
}  // namespace wasmq
