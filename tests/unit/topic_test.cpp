// Publish-subscribe: fan-out, wildcards, groups, unrouted messages, subscription lifetime.

#include "support/broker_fixture.hpp"

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::Collector;
using testing_support::make_message;

using TopicTest = BrokerTest;

TEST_F(TopicTest, EverySubscriptionGetsEveryMessage) {
  Collector a, b, c;
  auto sa = broker.subscribe("events", {}, a.handler());
  auto sb = broker.subscribe("events", {}, b.handler());
  auto sc = broker.subscribe("events", {}, c.handler());
  ASSERT_TRUE(sa && sb && sc);
  auto receipt = broker.publish(make_message("events", "e1"));
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->routed, 3u);
  runtime.run_until_idle();
  for (Collector* collector : {&a, &b, &c}) EXPECT_EQ(collector->texts(), std::vector<std::string>{"e1"});
}

TEST_F(TopicTest, FanOutSharesALargePayloadWithoutCopying) {
  Collector a, b;
  auto sa = broker.subscribe("events", {}, a.handler());
  auto sb = broker.subscribe("events", {}, b.handler());
  Message message = make_message("events", std::string(Payload::inline_capacity + 1, 's'));
  Payload original = message.payload;
  ASSERT_TRUE(broker.publish(std::move(message)));
  runtime.run_until_idle();
  ASSERT_EQ(a.deliveries.size(), 1u);
  ASSERT_EQ(b.deliveries.size(), 1u);
  EXPECT_TRUE(a.deliveries[0].message().share_payload().shares_buffer_with(original));
  EXPECT_TRUE(b.deliveries[0].message().share_payload().shares_buffer_with(original));
}

TEST_F(TopicTest, StarMatchesExactlyOneToken) {
  Collector star;
  auto subscription = broker.subscribe("orders.*.created", {}, star.handler());
  publish("orders.eu.created", "hit");
  publish("orders.created", "miss");
  publish("orders.eu.west.created", "miss");
  runtime.run_until_idle();
  EXPECT_EQ(star.texts(), std::vector<std::string>{"hit"});
}

TEST_F(TopicTest, GreaterThanMatchesOneOrMoreTrailingTokens) {
  Collector rest;
  auto subscription = broker.subscribe("orders.>", {}, rest.handler());
  publish("orders", "miss");
  publish("orders.a", "one");
  publish("orders.a.b.c", "three");
  runtime.run_until_idle();
  EXPECT_EQ(rest.texts(), (std::vector<std::string>{"one", "three"}));
}

TEST_F(TopicTest, ExactAndWildcardSubscriptionsBothReceive) {
  Collector exact, wild, other;
  auto s1 = broker.subscribe("a.b", {}, exact.handler());
  auto s2 = broker.subscribe("a.*", {}, wild.handler());
  auto s3 = broker.subscribe("x.*", {}, other.handler());
  auto receipt = broker.publish(make_message("a.b"));
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->routed, 2u);
  runtime.run_until_idle();
  EXPECT_EQ(exact.deliveries.size(), 1u);
  EXPECT_EQ(wild.deliveries.size(), 1u);
  EXPECT_TRUE(other.deliveries.empty());
}

TEST_F(TopicTest, GroupMembersShareOneCopy) {
  Collector m1, m2, solo;
  auto g1 = broker.subscribe("jobs.>", {.group = "workers", .consumer = {.batch_size = 1}}, m1.handler());
  auto g2 = broker.subscribe("jobs.>", {.group = "workers", .consumer = {.batch_size = 1}}, m2.handler());
  auto s = broker.subscribe("jobs.>", {}, solo.handler());
  runtime.run_until_idle();
  for (int i = 0; i < 4; ++i) {
    auto receipt = broker.publish(make_message("jobs.x", std::to_string(i)));
    ASSERT_TRUE(receipt);
    EXPECT_EQ(receipt->routed, 2u) << "one copy for the group, one for the solo subscriber";
  }
  runtime.run_until_idle();
  EXPECT_EQ(m1.deliveries.size() + m2.deliveries.size(), 4u);
  EXPECT_FALSE(m1.deliveries.empty());
  EXPECT_FALSE(m2.deliveries.empty());
  EXPECT_EQ(solo.deliveries.size(), 4u);
  EXPECT_EQ(broker.queue_stats("jobs.> [group workers]")->consumers, 2u);
}

TEST_F(TopicTest, PublishWithNoSubscriberIsCountedAsUnrouted) {
  auto receipt = broker.publish(make_message("nobody.listens"));
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->routed, 0u);
  auto stats = broker.stats();
  EXPECT_EQ(stats.published, 1u);
  EXPECT_EQ(stats.unrouted, 1u);
}

TEST_F(TopicTest, SubscriptionsSeeOnlyMessagesPublishedAfterThey) {
  publish("events", "before");
  Collector late;
  auto subscription = broker.subscribe("events", {}, late.handler());
  publish("events", "after");
  runtime.run_until_idle();
  EXPECT_EQ(late.texts(), std::vector<std::string>{"after"});
}

TEST_F(TopicTest, ClosingTheLastMemberRemovesTheSubscriptionAndCountsWhatItHeld) {
  auto receiver = broker.subscribe_receiver("events", {.group = "g"});
  ASSERT_TRUE(receiver);
  publish("events", "1");
  publish("events", "2");
  auto held = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(held);
  EXPECT_EQ(stats_of("events [group g]").depth, 1u);
  receiver->close();
  EXPECT_EQ(broker.queue_stats("events [group g]").error().code, Errc::no_such_queue);
  auto receipt = broker.publish(make_message("events"));
  EXPECT_EQ(receipt->routed, 0u) << "no subscription left";
  EXPECT_EQ(held->accept().error().code, Errc::lock_lost);
}

TEST_F(TopicTest, ClosingOneGroupMemberKeepsTheGroup) {
  Collector m1, m2;
  auto g1 = broker.subscribe("t", {.group = "g"}, m1.handler());
  auto g2 = broker.subscribe("t", {.group = "g"}, m2.handler());
  g1->close();
  publish("t", "x");
  runtime.run_until_idle();
  EXPECT_EQ(m2.texts(), std::vector<std::string>{"x"});
}

TEST_F(TopicTest, ADeclaredQueueAndASubscriptionOnTheSameNameBothReceive) {
  ASSERT_TRUE(broker.declare_queue("orders"));
  Collector tap;
  auto subscription = broker.subscribe("orders", {}, tap.handler());
  auto receipt = broker.publish(make_message("orders"));
  EXPECT_EQ(receipt->routed, 2u);
}

// A publishing thread remembers the last name it routed and that name's queues (per broker and
// routing snapshot); these check that what it remembers never routes a different name.
TEST_F(TopicTest, APublisherAlternatingNamesReachesEachNamesQueuesOnly) {
  Collector ab, ba, prefix, pattern;
  auto sab = broker.subscribe("ab", {}, ab.handler());
  auto sba = broker.subscribe("ba", {}, ba.handler());  // same length as "ab"
  auto sprefix = broker.subscribe("a", {}, prefix.handler());
  auto spattern = broker.subscribe("ab.*", {}, pattern.handler());
  ASSERT_TRUE(sab && sba && sprefix && spattern);
  for (const char* name : {"ab", "ab", "ba", "ab", "a", "ab", "zz", "ab", "ab.c", "ab"}) publish(name, name);
  runtime.run_until_idle();
  EXPECT_EQ(ab.texts(), (std::vector<std::string>{"ab", "ab", "ab", "ab", "ab", "ab"}));
  EXPECT_EQ(ba.texts(), std::vector<std::string>{"ba"});
  EXPECT_EQ(prefix.texts(), std::vector<std::string>{"a"});
  EXPECT_EQ(pattern.texts(), std::vector<std::string>{"ab.c"});
  EXPECT_EQ(broker.stats().unrouted, 1u) << "\"zz\" is bound to nothing, whatever was routed before it";
}

TEST_F(TopicTest, ARepeatedNameReachesSubscriptionsMadeAndLosesThoseClosedSinceItsLastPublish) {
  Collector first, second;
  auto s1 = broker.subscribe("events", {}, first.handler());
  ASSERT_TRUE(s1);
  publish("events", "1");
  auto s2 = broker.subscribe("events", {}, second.handler());
  ASSERT_TRUE(s2);
  publish("events", "2");
  runtime.run_until_idle();
  s1->close();
  publish("events", "3");
  runtime.run_until_idle();
  EXPECT_EQ(first.texts(), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(second.texts(), (std::vector<std::string>{"2", "3"}));
}

}  // namespace
}  // namespace wasmq
