// The history checker: counts, and the violations it must catch (fed real and synthetic traffic).

#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wasmq::testkit {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
namespace types = wasi::messaging::types;
using types::Error;

TEST(HistoryTest, ACleanRunIsOkAndCounted) {
  Harness harness;
  ASSERT_TRUE(harness.broker().declare_queue("dead"));
  ASSERT_TRUE(harness.broker().declare_queue("work", {.max_deliveries = 3, .dead_letter = "dead"}));
  auto guest = guest_from([](types::Message&& message) -> std::expected<void, Error> {
    if (text_of(message) == "poison") return std::unexpected(Error::Other("bad"));
    if (text_of(message) == "forbidden") return std::unexpected(Error::PermissionDenied("no"));
    return {};
  });
  auto work = harness.subscribe(guest, {.topic = "work", .queue = true, .outcome = {.retry_delay = {}}});
  auto accepting = guest_from([](types::Message&&) -> std::expected<void, Error> { return {}; });
  auto dead = harness.subscribe(accepting, {.topic = "dead", .queue = true});
  for (const char* data : {"a", "b", "poison", "forbidden"}) ASSERT_TRUE(harness.publish("work", data));
  ASSERT_TRUE(harness.publish("nowhere", "x"));
  harness.run_until_idle();

  const HistoryReport report = harness.check_history();
  EXPECT_TRUE(report.ok()) << report;
  EXPECT_EQ(report.sent, 5u);
  EXPECT_EQ(report.unrouted_sends, 1u);
  EXPECT_EQ(report.published, 6u);  // 4 into work, 2 dead letters into dead
  EXPECT_EQ(report.accepted, 4u);   // a, b, and both dead letters
  EXPECT_EQ(report.dead_lettered, 2u);
  EXPECT_EQ(report.duplicated, 1u);  // the poison message, three times
  EXPECT_THAT(report.delivery_counts, ElementsAre(Pair(1u, 5u), Pair(3u, 1u)));
  EXPECT_THAT(report.dead_letters_by_reason,
              ElementsAre(Pair(DeadLetterReason::rejected, 1u), Pair(DeadLetterReason::max_deliveries, 1u)));
  EXPECT_THAT(report.summary(), HasSubstr("deliveries per message: 1×5 3×1"));
  EXPECT_THAT(report.summary(), HasSubstr("dead letters by reason: rejected=1 max_deliveries=1"));
}

TEST(HistoryTest, AMessageNobodySettledIsLost) {
  Harness harness;
  ASSERT_TRUE(harness.broker().declare_queue("work"));
  ASSERT_TRUE(harness.publish("work", "stuck"));
  const HistoryReport report = harness.check_history();
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(report.lost,
              ElementsAre("message 1 on 'work' in 'work' from test was neither accepted nor "
                          "dead-lettered: still waiting, never delivered (does the queue have a consumer?)"));
  EXPECT_THAT(report.summary(), HasSubstr("LOST (1):"));
}

/// Synthetic events: what a broken broker would have recorded.
class SyntheticHistoryTest : public ::testing::Test {
 protected:
  SharedMessage message(std::string data) {
    return SharedMessage::of(Message{.topic = "q", .payload = Payload::copy_of(data)});
  }
  void add(TrafficKind kind, const SharedMessage& message, std::uint64_t id, std::uint32_t delivery_count = 0) {
    TrafficEvent event;
    event.sequence = events.size() + 1;
    event.kind = kind;
    event.queue = kind == TrafficKind::sent ? "" : "q";
    event.message = message;
    event.delivery_count = delivery_count;
    event.producer = "p";
    event.message_id = id;
    events.push_back(std::move(event));
  }
  std::vector<TrafficEvent> events;
};

TEST_F(SyntheticHistoryTest, FirstDeliveriesOutOfTheProducersOrderAreReported) {
  auto first = message("1");
  auto second = message("2");
  add(TrafficKind::published, first, 1);
  add(TrafficKind::published, second, 2);
  add(TrafficKind::delivered, second, 2, 1);
  add(TrafficKind::delivered, first, 1, 1);
  add(TrafficKind::accepted, first, 1);
  add(TrafficKind::accepted, second, 2);
  const HistoryReport report = check_history(events);
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(report.out_of_order, ElementsAre("message 1 on 'q' in 'q' from p was first delivered after message 2, "
                                               "which its producer sent later"));
}

TEST_F(SyntheticHistoryTest, RedeliveriesMayOvertake) {
  auto first = message("1");
  auto second = message("2");
  add(TrafficKind::published, first, 1);
  add(TrafficKind::published, second, 2);
  add(TrafficKind::delivered, first, 1, 1);
  add(TrafficKind::released, first, 1);
  add(TrafficKind::delivered, second, 2, 1);
  add(TrafficKind::delivered, first, 1, 2);
  add(TrafficKind::accepted, first, 1);
  add(TrafficKind::accepted, second, 2);
  EXPECT_TRUE(check_history(events).ok());
}

TEST_F(SyntheticHistoryTest, ADeliveryAfterAcceptanceIsReported) {
  auto only = message("1");
  add(TrafficKind::published, only, 1);
  add(TrafficKind::delivered, only, 1, 1);
  add(TrafficKind::accepted, only, 1);
  add(TrafficKind::delivered, only, 1, 2);
  add(TrafficKind::accepted, only, 1);
  const HistoryReport report = check_history(events);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.delivered_after_accept.size(), 1u);
  EXPECT_THAT(report.summary(), HasSubstr("DELIVERED AFTER ACCEPT (1)"));
}

}  // namespace
}  // namespace wasmq::testkit
