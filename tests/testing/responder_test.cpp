// Scripted responders: canned, several, echoed and silent replies; no responders.

#include <wasi/messaging/request_reply.hpp>
#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wasmq::testkit {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace types = wasi::messaging::types;
using types::Error;
using wasi::messaging::request_reply::RequestOptions;

class ResponderTest : public ::testing::Test {
 protected:
  /// Sends `data` to `topic` as the default guest and returns the replies' texts, or the error.
  std::expected<std::vector<std::string>, Error> request(std::string_view topic, std::string_view data,
                                                         std::optional<std::uint32_t> timeout_ms = std::nullopt,
                                                         std::optional<std::uint32_t> expected = std::nullopt) {
    auto scope = harness.as_guest();
    auto client = types::Client::Connect("inproc");
    if (!client) return std::unexpected(client.error());
    std::optional<RequestOptions> options;
    if (timeout_ms || expected) {
      options.emplace();
      if (timeout_ms) options->SetTimeoutMs(*timeout_ms);
      if (expected) options->SetExpectedReplies(*expected);
    }
    auto replies = wasi::messaging::request_reply::Request(*client, topic, message_of(data), std::move(options));
    if (!replies) return std::unexpected(replies.error());
    std::vector<std::string> texts;
    for (const auto& reply : *replies) texts.push_back(text_of(reply));
    return texts;
  }

  Harness harness;
};

TEST_F(ResponderTest, ACannedReplyAnswersEachRequest) {
  auto& responder = harness.respond("pricing.quote", canned({"9.99"}));
  EXPECT_EQ(request("pricing.quote", "sku-1"), std::vector<std::string>{"9.99"});
  EXPECT_EQ(request("pricing.quote", "sku-2"), std::vector<std::string>{"9.99"});
  EXPECT_THAT(responder.requests(), ElementsAre("sku-1", "sku-2"));
}

TEST_F(ResponderTest, SeveralRepliesReachARequestThatExpectsThem) {
  harness.respond("inventory.where", canned({"depot-a", "depot-b", "depot-c"}));
  EXPECT_EQ(request("inventory.where", "sku-1", 1000, 3), (std::vector<std::string>{"depot-a", "depot-b", "depot-c"}));
  harness.respond("inventory.count", repeated(4, "ok"));
  EXPECT_EQ(request("inventory.count", "sku-1", 1000, 4), std::vector<std::string>(4, "ok"));
}

TEST_F(ResponderTest, EchoAnswersWithTheRequest) {
  harness.respond("echo", echo());
  EXPECT_EQ(request("echo", "hello"), std::vector<std::string>{"hello"});
}

TEST_F(ResponderTest, ASilentResponderMakesTheRequestTimeOutOnTheManualClock) {
  auto& responder = harness.respond("slow.service", silent());
  const TimePoint before = harness.now();
  auto replies = request("slow.service", "anyone?", 250);
  ASSERT_FALSE(replies);
  EXPECT_EQ(replies.error(), Error::Timeout());
  EXPECT_EQ(harness.now() - before, 250ms);  // virtual time: the test did not wait
  EXPECT_EQ(responder.requests().size(), 1u);
}

TEST_F(ResponderTest, NoResponderFailsAtOnce) {
  auto replies = request("nobody.home", "hello", 5000);
  ASSERT_FALSE(replies);
  EXPECT_EQ(replies.error().GetKind(), Error::Kind::kOther);
  EXPECT_THAT(replies.error().Message(), HasSubstr("no responders"));
}

TEST_F(ResponderTest, AStoppedResponderLeavesNoResponders) {
  auto& responder = harness.respond("pricing.quote", canned({"1"}));
  EXPECT_TRUE(responder.active());
  responder.stop();
  EXPECT_FALSE(responder.active());
  auto replies = request("pricing.quote", "sku-1");
  ASSERT_FALSE(replies);
  EXPECT_THAT(replies.error().Message(), HasSubstr("no responders"));
}

TEST_F(ResponderTest, RepliesAreCapturedAsSendsFromTheResponder) {
  harness.respond("pricing.quote", canned({"9.99"}));
  ASSERT_TRUE(request("pricing.quote", "sku-1"));
  const auto sent = harness.traffic().of_kind(TrafficKind::sent);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_THAT(sent[0], AllOf(OnTopic("pricing.quote"), WithPayload("sku-1")));
  EXPECT_EQ(sent[0].producer, "guest 'test-guest'");
  EXPECT_THAT(sent[1], AllOf(OnTopic("_INBOX.>"), WithPayload("9.99")));
  EXPECT_EQ(sent[1].producer, "guest 'responder:pricing.quote'");
}

TEST_F(ResponderTest, AnInvalidTopicIsRefused) {
  EXPECT_THROW(harness.respond("bad..topic", echo()), std::invalid_argument);
}

}  // namespace
}  // namespace wasmq::testkit
