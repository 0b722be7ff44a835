// gMock matchers over captured events, broker messages and facade messages, and what they say
// when they do not match.

#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wasmq::testkit {
namespace {

using ::testing::AllOf;
using ::testing::DescribeMatcher;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
namespace types = wasi::messaging::types;
using types::Error;

/// What `matcher` says about `value` when it does not match.
template <typename Matcher, typename Value>
std::string explain(const Matcher& matcher, const Value& value) {
  ::testing::StringMatchResultListener listener;
  EXPECT_FALSE(::testing::ExplainMatchResult(matcher, value, &listener));
  return listener.str();
}

Message broker_message() {
  Message message{.topic = "orders.new", .payload = Payload::copy_of("order-1")};
  message.set_metadata("order-id", "1");
  return message;
}

TEST(MatchersTest, OnTopicTakesNamesAndPatterns) {
  const Message message = broker_message();
  EXPECT_THAT(message, OnTopic("orders.new"));
  EXPECT_THAT(message, OnTopic("orders.*"));
  EXPECT_THAT(message, OnTopic(">"));
  EXPECT_THAT(message, Not(OnTopic("orders")));
  EXPECT_EQ(explain(OnTopic("billing.>"), message), "whose topic is 'orders.new'");
  EXPECT_EQ(DescribeMatcher<Message>(OnTopic("billing.>")), "on a topic matching 'billing.>'");
}

TEST(MatchersTest, WithPayloadTakesTextOrAMatcher) {
  const Message message = broker_message();
  EXPECT_THAT(message, WithPayload("order-1"));
  EXPECT_THAT(message, WithPayload(StartsWith("order")));
  EXPECT_EQ(explain(WithPayload("order-2"), message), "whose payload is \"order-1\"");
}

TEST(MatchersTest, WithMetadataNeedsTheKeyAndAMatchingValue) {
  const Message message = broker_message();
  EXPECT_THAT(message, WithMetadata("order-id", "1"));
  EXPECT_THAT(message, WithMetadata("order-id", Not("2")));
  EXPECT_EQ(explain(WithMetadata("customer", "ada"), message), "which has no metadata 'customer'");
  EXPECT_EQ(explain(WithMetadata("order-id", "2"), message), "whose metadata order-id is \"1\"");
}

TEST(MatchersTest, MatchFacadeMessagesToo) {
  auto message = message_of("hello");
  message.AddMetadata("k", "v");
  // A message the guest made has no topic yet.
  EXPECT_THAT(message, AllOf(WithPayload("hello"), WithMetadata("k", "v"), Not(OnTopic(">"))));
}

TEST(MatchersTest, DeadLetteredReadsEventsAndTheMetadataOfDeadLetters) {
  Harness harness;
  ASSERT_TRUE(harness.broker().declare_queue("dead"));
  ASSERT_TRUE(harness.broker().declare_queue("work", {.max_deliveries = 2, .dead_letter = "dead"}));
  auto failing =
      guest_from([](types::Message&&) -> std::expected<void, Error> { return std::unexpected(Error::Other("no")); });
  std::vector<types::Message> letters;
  auto collector = guest_from([&](types::Message&& letter) -> std::expected<void, Error> {
    letters.push_back(std::move(letter));
    return {};
  });
  auto work = harness.subscribe(failing, {.topic = "work", .queue = true, .outcome = {.retry_delay = {}}});
  auto dead = harness.subscribe(collector, {.topic = "dead", .queue = true});
  ASSERT_TRUE(harness.publish("work", "poison"));
  harness.run_until_idle();

  const auto events = harness.traffic().dead_letters();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0], DeadLettered(DeadLetterReason::max_deliveries, 2));
  EXPECT_THAT(events[0], DeadLettered("max_deliveries", 2)) << "the reason by its name, as the docs write it";
  EXPECT_THAT(events[0], Not(DeadLettered(std::string("rejected"), 2)));
  EXPECT_EQ(explain(DeadLettered(DeadLetterReason::rejected, 2), events[0]),
            "which was dead-lettered for max_deliveries after 2 deliveries");
  EXPECT_EQ(DescribeMatcher<TrafficEvent>(DeadLettered(DeadLetterReason::rejected, 2)),
            "dead-lettered for rejected after 2 deliveries");
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_THAT(letters[0], AllOf(DeadLettered(DeadLetterReason::max_deliveries, 2), WithPayload("poison")));
  EXPECT_EQ(explain(DeadLettered(DeadLetterReason::rejected, 1), message_of("fine")), "which is not a dead letter");
}

TEST(MatchersTest, OfKindNamesTheKind) {
  Harness harness;
  ASSERT_TRUE(harness.publish("t", "x"));
  const auto event = harness.traffic().events().at(0);
  EXPECT_THAT(event, OfKind(TrafficKind::sent));
  EXPECT_EQ(explain(OfKind(TrafficKind::accepted), event), "which is a 'sent' event");
}

}  // namespace
}  // namespace wasmq::testkit
