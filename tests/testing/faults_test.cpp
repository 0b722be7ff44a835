// Fault injection: failed sends, expired locks, duplicate deliveries, consumers closed mid-delivery,
// and seeded random faults that replay.

#include <wasi/messaging/producer.hpp>
#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wasmq::testkit {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace types = wasi::messaging::types;
using types::Error;

std::vector<TrafficKind> kinds(const std::vector<TrafficEvent>& events) {
  std::vector<TrafficKind> out;
  for (const auto& event : events) out.push_back(event.kind);
  return out;
}

std::expected<void, Error> send(Harness& harness, std::string_view topic, std::string_view data) {
  auto scope = harness.as_guest();
  auto client = types::Client::Connect("inproc");
  if (!client) return std::unexpected(client.error());
  return wasi::messaging::producer::Send(*client, topic, message_of(data));
}

class FaultsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(harness.broker().declare_queue("jobs", {.lock_duration = 5s})); }
  Harness harness;
  std::shared_ptr<FunctionGuest> accepting =
      guest_from([](types::Message&&) -> std::expected<void, Error> { return {}; });
};

TEST_F(FaultsTest, FailNextSendFailsOnlyTheNextMatchingSend) {
  harness.faults().fail_next_send("orders.>");
  EXPECT_TRUE(send(harness, "audit", "a"));
  auto failed = send(harness, "orders.new", "b");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), Error::Connection("injected fault: send failed"));
  EXPECT_TRUE(send(harness, "orders.new", "c"));
  EXPECT_EQ(harness.faults().injected(), 1u);
  const auto failures = harness.traffic().of_kind(TrafficKind::send_failed);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0], WithPayload("b"));
  EXPECT_EQ(failures[0].detail, "injected fault: connection: injected fault: send failed");
}

TEST_F(FaultsTest, FailNextSendTakesTheErrorToReturn) {
  harness.faults().fail_next_send(">", Error::Timeout());
  EXPECT_EQ(send(harness, "x", "1").error(), Error::Timeout());
}

TEST_F(FaultsTest, ARealSendFailureIsCapturedToo) {
  ASSERT_TRUE(harness.broker().declare_queue("tiny", {.max_length = 1}));
  EXPECT_TRUE(send(harness, "tiny", "1"));
  EXPECT_FALSE(send(harness, "tiny", "2"));
  const auto failures = harness.traffic().of_kind(TrafficKind::send_failed);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0].detail, HasSubstr("queue_full"));
}

TEST_F(FaultsTest, AnExpiredLockLosesTheOutcomeAndRedelivers) {
  auto subscription = harness.subscribe(accepting, {.topic = "jobs", .queue = true});
  harness.faults().expire_next_lock("jobs");
  ASSERT_TRUE(harness.publish("jobs", "job"));
  const TimePoint before = harness.now();
  harness.run_until_idle();
  EXPECT_EQ(accepting->calls(), 2u);
  EXPECT_EQ(harness.now() - before, 5s);  // the lock's duration, on the manual clock
  using enum TrafficKind;
  EXPECT_EQ(kinds(harness.traffic().in_queue("jobs")),
            (std::vector{published, delivered, lock_expired, delivered, accepted}));
  const auto report = harness.check_history();
  EXPECT_TRUE(report.ok()) << report;
  EXPECT_EQ(report.duplicated, 1u);
}

TEST_F(FaultsTest, ADuplicateDeliveryRunsHandleTwice) {
  std::vector<std::string> seen;
  auto guest = guest_from([&](types::Message&& message) -> std::expected<void, Error> {
    seen.push_back(text_of(message));
    return {};
  });
  auto subscription = harness.subscribe(guest, {.topic = "jobs", .queue = true});
  harness.faults().duplicate_next_delivery();
  ASSERT_TRUE(harness.publish("jobs", "a"));
  ASSERT_TRUE(harness.publish("jobs", "b"));
  harness.run_until_idle();
  EXPECT_THAT(seen, ElementsAre("a", "a", "b"));
  using enum TrafficKind;
  EXPECT_EQ(kinds(harness.traffic().in_queue("jobs")),
            (std::vector{published, published, delivered, duplicated, accepted, delivered, accepted}));
  EXPECT_EQ(harness.check_history().duplicated, 1u);
}

TEST_F(FaultsTest, ClosingAConsumerMidDeliveryHandsTheMessageToACompetitor) {
  auto first = guest_from([](types::Message&&) -> std::expected<void, Error> { return {}; });
  auto second = guest_from([](types::Message&&) -> std::expected<void, Error> { return {}; });
  auto one = harness.subscribe(first, {.topic = "jobs", .queue = true});
  auto two = harness.subscribe(second, {.topic = "jobs", .queue = true});
  harness.faults().close_consumer_during_next_delivery("jobs");
  ASSERT_TRUE(harness.publish("jobs", "job"));
  harness.run_until_idle();
  EXPECT_EQ(first->calls(), 1u);   // it still ran, but its outcome settled nothing
  EXPECT_EQ(second->calls(), 1u);  // the message went back and the competitor took it
  using enum TrafficKind;
  EXPECT_EQ(kinds(harness.traffic().in_queue("jobs")),
            (std::vector{published, delivered, released, delivered, accepted}));
  // The closed consumer gets nothing more.
  ASSERT_TRUE(harness.publish("jobs", "next"));
  harness.run_until_idle();
  EXPECT_EQ(first->calls(), 1u);
  EXPECT_EQ(second->calls(), 2u);
}

TEST_F(FaultsTest, WithNoCompetitorTheMessageWaitsAndTheHistorySaysSo) {
  auto subscription = harness.subscribe(accepting, {.topic = "jobs", .queue = true});
  harness.faults().close_consumer_during_next_delivery();
  ASSERT_TRUE(harness.publish("jobs", "job"));
  harness.run_until_idle();
  const auto report = harness.check_history();
  ASSERT_EQ(report.lost.size(), 1u) << report;
  EXPECT_THAT(report.lost[0], HasSubstr("message 1 on 'jobs' in 'jobs' from test"));
  EXPECT_EQ(harness.broker().queue_stats("jobs")->depth, 1u);
}

TEST_F(FaultsTest, FaultsOnlyHitMatchingTopics) {
  ASSERT_TRUE(harness.broker().declare_queue("other"));
  auto jobs = harness.subscribe(accepting, {.topic = "jobs", .queue = true});
  auto other = harness.subscribe(accepting, {.topic = "other", .queue = true});
  harness.faults().duplicate_next_delivery("jobs");
  ASSERT_TRUE(harness.publish("other", "x"));
  harness.run_until_idle();
  EXPECT_EQ(accepting->calls(), 1u);
  ASSERT_TRUE(harness.publish("jobs", "y"));
  harness.run_until_idle();
  EXPECT_EQ(accepting->calls(), 3u);
}

TEST_F(FaultsTest, ClearForgetsPendingFaults) {
  harness.faults().fail_next_send();
  harness.faults().clear();
  EXPECT_TRUE(send(harness, "x", "1"));
  EXPECT_EQ(harness.faults().injected(), 0u);
}

/// Runs a fixed workload under random faults from `seed`; returns the timeline's kinds.
std::vector<TrafficKind> run_with_random_faults(std::uint64_t seed, HistoryReport& report) {
  Harness harness;
  EXPECT_TRUE(harness.broker().declare_queue("jobs", {.lock_duration = 5s, .max_deliveries = 0}));
  auto guest = guest_from([](types::Message&&) -> std::expected<void, Error> { return {}; });
  auto first = harness.subscribe(guest, {.topic = "jobs", .queue = true});
  auto second = harness.subscribe(guest, {.topic = "jobs", .queue = true});
  harness.faults().randomize(seed, {.fail_send = 0.2, .expire_lock = 0.2, .duplicate_delivery = 0.2});
  for (int n = 0; n < 40; ++n) {
    (void)send(harness, "jobs", std::to_string(n));
  }
  harness.run_until_idle();
  report = harness.check_history();
  return kinds(harness.traffic().events());
}

TEST(RandomFaultsTest, ASeedReplaysTheSameFaults) {
  HistoryReport first, again, other;
  EXPECT_EQ(run_with_random_faults(7, first), run_with_random_faults(7, again));
  EXPECT_NE(run_with_random_faults(7, first), run_with_random_faults(8, other));
}

TEST(RandomFaultsTest, NoSeedLosesOrReordersAMessage) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    HistoryReport report;
    run_with_random_faults(seed, report);
    EXPECT_TRUE(report.ok()) << "seed " << seed << "\n" << report;
    EXPECT_EQ(report.failed_sends + report.accepted, 40u) << "seed " << seed << "\n" << report;
    EXPECT_GT(report.duplicated, 0u) << "seed " << seed;
  }
}

}  // namespace
}  // namespace wasmq::testkit
