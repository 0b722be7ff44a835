// Captured traffic: every event in order, attributed to its producer and send; the timeline.

#include <wasi/messaging/producer.hpp>
#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wasmq::testkit {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
namespace types = wasi::messaging::types;
using types::Error;

std::vector<TrafficKind> kinds(const std::vector<TrafficEvent>& events) {
  std::vector<TrafficKind> out;
  for (const auto& event : events) out.push_back(event.kind);
  return out;
}

void send_as(Harness& harness, const std::string& identity, std::string_view topic, std::string_view data) {
  auto scope = harness.as_guest(harness.guest(identity));
  auto client = types::Client::Connect("inproc");
  ASSERT_TRUE(client);
  ASSERT_TRUE(wasi::messaging::producer::Send(*client, topic, message_of(data)));
}

class TrafficTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(harness.broker().declare_queue("work.dead"));
    ASSERT_TRUE(harness.broker().declare_queue("work", {.max_deliveries = 3, .dead_letter = "work.dead"}));
  }
  Harness harness;
};

TEST_F(TrafficTest, CapturesEachStepOfTheLifecycleInOrder) {
  auto guest = guest_from([calls = 0](types::Message&&) mutable -> std::expected<void, Error> {
    if (++calls < 3) return std::unexpected(Error::Timeout());
    return {};
  });
  auto subscription = harness.subscribe(guest, {.topic = "work", .queue = true});
  send_as(harness, "shop", "work", "job");
  harness.run_until_idle();
  harness.advance(1s);
  harness.advance(1s);
  using enum TrafficKind;
  EXPECT_EQ(kinds(harness.traffic().events()),
            (std::vector{sent, published, delivered, released, delivered, released, delivered, accepted}));
  const auto deliveries = harness.traffic().of_kind(delivered);
  ASSERT_EQ(deliveries.size(), 3u);
  EXPECT_EQ(deliveries[2].delivery_count, 3u);
  EXPECT_EQ(deliveries[2].time - deliveries[0].time, 2s);
}

TEST_F(TrafficTest, AttributesEveryEventToItsProducerAndSend) {
  auto guest = guest_from([](types::Message&&) -> std::expected<void, Error> { return {}; });
  auto subscription = harness.subscribe(guest, {.topic = "work", .queue = true});
  send_as(harness, "shop", "work", "a");
  send_as(harness, "till", "work", "b");
  harness.run_until_idle();
  for (const auto& event : harness.traffic().events()) {
    EXPECT_EQ(event.producer, event.text() == "a" ? "guest 'shop'" : "guest 'till'") << describe(event, {});
    EXPECT_EQ(event.message_id, event.text() == "a" ? 1u : 2u) << describe(event, {});
  }
}

TEST_F(TrafficTest, AFanOutIsOneSendSeenInEverySubscription) {
  auto guest = guest_from([](types::Message&&) -> std::expected<void, Error> { return {}; });
  auto first = harness.subscribe(guest, {.topic = "news.*"});
  auto second = harness.subscribe(guest, {.topic = "news.>"});
  ASSERT_TRUE(harness.publish("news.today", "x"));
  harness.run_until_idle();
  const auto published = harness.traffic().of_kind(TrafficKind::published);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_NE(published[0].queue, published[1].queue);
  EXPECT_EQ(published[0].message_id, published[1].message_id);
  EXPECT_EQ(harness.traffic().count(TrafficKind::accepted), 2u);
}

TEST_F(TrafficTest, ADeadLetterIsANewMessageFromTheBroker) {
  auto guest = guest_from([](types::Message&&) -> std::expected<void, Error> {
    return std::unexpected(Error::PermissionDenied("not mine"));
  });
  auto subscription = harness.subscribe(guest, {.topic = "work", .queue = true});
  ASSERT_TRUE(harness.publish("work", "poison"));
  harness.run_until_idle();
  const auto letters = harness.traffic().in_queue("work.dead");
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].producer, "broker (dead letter from work)");
  EXPECT_EQ(letters[0].message_id, 2u);
  EXPECT_THAT(harness.traffic().dead_letters(), ElementsAre(DeadLettered(DeadLetterReason::rejected, 1)));
}

TEST_F(TrafficTest, QueriesSelectByTopicKindAndQueue) {
  ASSERT_TRUE(harness.publish("work", "1"));
  ASSERT_TRUE(harness.publish("orders.new", "2"));
  ASSERT_TRUE(harness.publish("orders.paid", "3"));
  EXPECT_EQ(harness.traffic().on_topic("orders.*").size(), 2u);
  EXPECT_EQ(harness.traffic().on_topic(">").size(), 4u) << "every kind of event: the queue's 'published' too";
  EXPECT_EQ(harness.traffic().sent_to(">").size(), 3u) << "what was sent, alone";
  EXPECT_EQ(harness.traffic().sent_to("orders.*").size(), 2u);
  EXPECT_EQ(harness.traffic().in_queue("work").size(), 1u);
  EXPECT_EQ(harness.traffic().of_kind(TrafficKind::sent).size(), 3u);
  EXPECT_EQ(harness.traffic().count(TrafficKind::published), 1u);
  EXPECT_EQ(harness.traffic().size(), 4u);
  harness.traffic().clear();
  EXPECT_EQ(harness.traffic().size(), 0u);
  EXPECT_EQ(harness.traffic().count(TrafficKind::sent), 0u);
}

TEST_F(TrafficTest, TheTimelineSaysWhatHappenedToEachMessage) {
  auto guest =
      guest_from([](types::Message&&) -> std::expected<void, Error> { return std::unexpected(Error::Timeout()); });
  auto subscription = harness.subscribe(guest, {.topic = "work", .queue = true});
  send_as(harness, "shop", "work", "job-7");
  harness.run_until_idle();
  harness.advance(1s);
  harness.advance(1s);
  const std::string timeline = harness.timeline();
  EXPECT_THAT(timeline, HasSubstr("wasmq traffic: 10 events"));
  EXPECT_THAT(timeline, HasSubstr("#1 +0.000s sent            work 'job-7' (from guest 'shop', id 1)"));
  EXPECT_THAT(timeline, HasSubstr("#7 +2.000s delivered#3     work 'job-7'"));
  EXPECT_THAT(timeline, HasSubstr("dead_lettered   work 'job-7' reason=max_deliveries after 3 deliveries"));
  EXPECT_THAT(timeline, HasSubstr("published       work.dead 'job-7' (from broker (dead letter from work), id 2)"));
}

TEST_F(TrafficTest, TheTimelineEscapesAndShortensPayloads) {
  ASSERT_TRUE(harness.publish("work", std::string("a\nb'") + std::string(60, 'x')));
  EXPECT_THAT(harness.timeline(), HasSubstr("'a\\x0ab\\x27xxxx"));
  EXPECT_THAT(harness.timeline(), HasSubstr("'… (64 bytes)"));
}

TEST(TimelineOnFailureTest, IsPrintedWhenTheTestFailed) {
  ::testing::internal::CaptureStdout();
  {
    Harness harness({.test_failed = [] { return true; }});
    ASSERT_TRUE(harness.publish("nobody", "x"));
  }
  const std::string printed = ::testing::internal::GetCapturedStdout();
  EXPECT_THAT(printed, HasSubstr("wasmq traffic: 1 events"));
  EXPECT_THAT(printed, HasSubstr("sent            nobody 'x' (from test, id 1)"));
  EXPECT_THAT(printed, HasSubstr("history: 1 sent (0 failed, 1 unrouted)"));
}

TEST(TimelineOnFailureTest, IsNotPrintedWhenTheTestPassedOrWhenTurnedOff) {
  ::testing::internal::CaptureStdout();
  {
    Harness passed({.test_failed = [] { return false; }});
    Harness quiet({.print_timeline_on_failure = false, .test_failed = [] { return true; }});
    ASSERT_TRUE(passed.publish("nobody", "x"));
  }
  EXPECT_THAT(::testing::internal::GetCapturedStdout(), Not(HasSubstr("wasmq traffic")));
}

}  // namespace
}  // namespace wasmq::testkit
