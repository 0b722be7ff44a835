// The counters add up: every message is accounted for exactly once.

#include "support/broker_fixture.hpp"

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::Collector;

using StatsTest = BrokerTest;

TEST_F(StatsTest, EveryFateIsCountedOnce) {
  ASSERT_TRUE(broker.declare_queue("dead"));
  ASSERT_TRUE(broker.declare_queue("q", {.lock_duration = 1s, .max_deliveries = 2, .dead_letter = "dead"}));
  auto receiver = broker.open_receiver("q");
  for (int i = 0; i < 6; ++i) publish("q");
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->accept());      // accepted
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->reject("no"));  // dead-lettered: rejected
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->release(10s));  // delayed
  auto expiring = receiver->receive(wasmq::Duration::zero());             // in flight, lock will expire
  auto held = receiver->receive(wasmq::Duration::zero());                 // in flight
  expect_conserved(stats_of("q"));
  runtime.advance(1s);  // both locks expire: back to waiting
  auto stats = stats_of("q");
  EXPECT_EQ(stats.lock_expired, 2u);
  EXPECT_EQ(stats.depth, 3u);
  EXPECT_EQ(stats.delayed, 1u);
  EXPECT_EQ(stats.in_flight, 0u);
  expect_conserved(stats);
  EXPECT_EQ(stats.published, 6u);
  EXPECT_EQ(stats.delivered, 5u);
  EXPECT_EQ(stats.accepted, 1u);
  EXPECT_EQ(stats.rejected, 1u);
  EXPECT_EQ(stats.released, 1u);
  EXPECT_EQ(stats.dead_lettered_total(), 1u);
  EXPECT_EQ(stats_of("dead").depth, 1u);
}

// A queue's delivery counts live in its consumers' blocks (no shared counter per message): they
// must still add up across consumers, survive a consumer that leaves, and not leak into the
// counts of the next consumer, which may count in the same block.
TEST_F(StatsTest, QueueTotalsSurviveConsumersAndEachConsumerCountsItsOwn) {
  ASSERT_TRUE(broker.declare_queue("q", {.lock_duration = 1s}));
  for (int i = 0; i < 7; ++i) publish("q");
  {
    auto first = broker.open_receiver("q");
    auto second = broker.open_receiver("q");
    ASSERT_TRUE(first->receive(wasmq::Duration::zero())->accept());
    ASSERT_TRUE(first->receive(wasmq::Duration::zero())->accept());
    ASSERT_TRUE(second->receive(wasmq::Duration::zero())->reject("no"));
    auto held = second->receive(wasmq::Duration::zero());  // in flight while we look
    auto stats = stats_of("q");
    EXPECT_EQ(stats.delivered, 4u);
    EXPECT_EQ(stats.accepted, 2u);
    EXPECT_EQ(stats.rejected, 1u);
    EXPECT_EQ(stats.in_flight, 1u);
    EXPECT_EQ(first->stats().delivered, 2u);
    EXPECT_EQ(second->stats().delivered, 2u);
    expect_conserved(stats);
  }  // both leave; the held delivery is released as its receiver closes
  auto after = stats_of("q");
  EXPECT_EQ(after.delivered, 4u);
  EXPECT_EQ(after.accepted, 2u);
  EXPECT_EQ(after.rejected, 1u);
  EXPECT_EQ(after.released, 1u);
  EXPECT_EQ(after.in_flight, 0u);

  auto next = broker.open_receiver("q");  // takes a block a departed receiver counted in
  ASSERT_TRUE(next->receive(wasmq::Duration::zero())->accept());
  const ConsumerStats own = next->stats();
  EXPECT_EQ(own.delivered, 1u);
  EXPECT_EQ(own.accepted, 1u);
  EXPECT_EQ(own.released, 0u);
  EXPECT_EQ(own.rejected, 0u);
  auto total = stats_of("q");
  EXPECT_EQ(total.delivered, 5u);
  EXPECT_EQ(total.accepted, 3u);
  expect_conserved(total);
}

TEST_F(StatsTest, BrokerStatsListQueuesAndConsumers) {
  ASSERT_TRUE(broker.declare_queue("q"));
  Collector collector;
  auto consumer = broker.consume("q", {}, collector.handler());
  auto subscription = broker.subscribe("t.>", {.group = "g"}, collector.handler());
  auto stats = broker.stats();
  ASSERT_EQ(stats.queues.size(), 2u);
  EXPECT_EQ(stats.consumers.size(), 2u);
  EXPECT_EQ(stats.queues[0].name, "q");
  EXPECT_EQ(stats.queues[1].name, "t.> [group g]");
  EXPECT_EQ(stats.queues[1].binding, "t.>");
}

TEST_F(StatsTest, UnknownQueueStatsAreAnError) {
  EXPECT_EQ(broker.queue_stats("missing").error().code, Errc::no_such_queue);
}

}  // namespace
}  // namespace wasmq
