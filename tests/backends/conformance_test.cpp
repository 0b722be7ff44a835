// The facade's behaviour, the same on every backend. Where a backend differs, the test says so
// for that backend instead of skipping it.

#include "backend_fixture.hpp"

#include <wasmq/message.hpp>

#include <gmock/gmock.h>

#include <algorithm>
#include <set>

namespace wasmq::backend_tests {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

std::vector<std::string> Numbered(std::string_view stem, int count) {
  std::vector<std::string> texts;
  for (int i = 0; i < count; ++i) texts.push_back(std::string(stem) + std::to_string(i));
  return texts;
}

class Conformance : public BackendTest {};

TEST_P(Conformance, EverySubscriptionGetsEachMessage) {
  Open();
  auto exact = std::make_shared<Collector>();
  auto one_token = std::make_shared<Collector>();
  auto rest = std::make_shared<Collector>();
  Subscribe(exact, {.topic = Name("orders.created")});
  Subscribe(one_token, {.topic = Name("orders.*")});
  Subscribe(rest, {.topic = Name("orders.>")});
  for (const auto& text : Numbered("order-", 3)) SendOk(Name("orders.created"), text);

  ASSERT_TRUE(exact->WaitFor(3) && one_token->WaitFor(3) && rest->WaitFor(3));
  for (const auto& collector : {exact, one_token, rest}) {
    EXPECT_THAT(collector->Texts(), ElementsAre("order-0", "order-1", "order-2"));  // one publisher: in order
    EXPECT_EQ(collector->All().front().topic, Name("orders.created"));
  }
}

TEST_P(Conformance, GroupMembersShareTheGroupsMessages) {
  Open();
  auto group = std::make_shared<Tally>();
  auto first = std::make_shared<Collector>(Collector::Respond{}, group);
  auto second = std::make_shared<Collector>(Collector::Respond{}, group);
  auto outside = std::make_shared<Collector>();
  Subscribe(first, {.topic = Name("jobs"), .group = "workers"});
  Subscribe(second, {.topic = Name("jobs"), .group = "workers"});
  Subscribe(outside, {.topic = Name("jobs")});
  const auto texts = Numbered("job-", 40);
  for (const auto& text : texts) SendOk(Name("jobs"), text);

  ASSERT_TRUE(outside->WaitFor(40));
  ASSERT_TRUE(group->WaitFor(40));  // the group's copy of each message reaches one member
  auto together = first->Texts();
  const auto other = second->Texts();
  together.insert(together.end(), other.begin(), other.end());
  EXPECT_THAT(together, UnorderedElementsAreArray(texts));
  EXPECT_THAT(outside->Texts(), ::testing::ElementsAreArray(texts));
}

TEST_P(Conformance, DurableQueueGivesEachMessageToOneConsumer) {
  Open({{.name = Name("work")}});
  auto both = std::make_shared<Tally>();
  auto first = std::make_shared<Collector>(Collector::Respond{}, both);
  auto second = std::make_shared<Collector>(Collector::Respond{}, both);
  Subscribe(first, {.topic = Name("work"), .queue = true});
  Subscribe(second, {.topic = Name("work"), .queue = true});
  const auto texts = Numbered("task-", 40);
  for (const auto& text : texts) SendOk(Name("work"), text);

  ASSERT_TRUE(both->WaitFor(40));
  auto together = first->Texts();
  const auto other = second->Texts();
  together.insert(together.end(), other.begin(), other.end());
  EXPECT_THAT(together, UnorderedElementsAreArray(texts));
}

TEST_P(Conformance, DurableQueueKeepsWhatWasSentBeforeAnyConsumer) {
  Open({{.name = Name("inbox")}});
  for (const auto& text : Numbered("early-", 3)) SendOk(Name("inbox"), text);
  auto late = std::make_shared<Collector>();
  Subscribe(late, {.topic = Name("inbox"), .queue = true});
  ASSERT_TRUE(late->WaitFor(3));
  EXPECT_THAT(late->Texts(), ElementsAre("early-0", "early-1", "early-2"));
}

TEST_P(Conformance, MetadataAndContentTypeArriveAsSent) {
  Open();
  auto seen = std::make_shared<Collector>();
  Subscribe(seen, {.topic = Name("meta")});
  types::Message message = message_of("{}");
  message.SetContentType("application/json");
  message.AddMetadata("order-id", "ord-7");
  message.AddMetadata("priority", "high");
  message.AddMetadata("empty", "");
  ASSERT_TRUE(Send(Name("meta"), std::move(message)));

  ASSERT_TRUE(seen->WaitFor(1));
  const auto got = seen->All().front();
  EXPECT_EQ(got.content_type, "application/json");
  using Pair = std::tuple<std::string, std::string>;
  if (IsNats()) {
    // NATS headers are a map: the values arrive, their order does not.
    EXPECT_THAT(got.metadata,
                UnorderedElementsAre(Pair{"order-id", "ord-7"}, Pair{"priority", "high"}, Pair{"empty", ""}));
  } else {
    EXPECT_THAT(got.metadata, ElementsAre(Pair{"order-id", "ord-7"}, Pair{"priority", "high"}, Pair{"empty", ""}));
  }
}

TEST_P(Conformance, RequestWithoutOptionsReturnsTheFirstReply) {
  Open();
  Subscribe(Responder(1), {.topic = Name("echo")});
  auto replies = Request(Name("echo"), "ping");
  ASSERT_TRUE(replies) << replies.error().Message();
  ASSERT_EQ(replies->size(), 1U);
  EXPECT_EQ(text_of(replies->front()), "re:ping#1");
}

TEST_P(Conformance, RequestCollectsTheExpectedNumberOfReplies) {
  Open();
  for (int i = 0; i < 3; ++i) Subscribe(Responder(1), {.topic = Name("quote")});
  auto replies = Request(Name("quote"), "sku", 5000, 3);
  ASSERT_TRUE(replies) << replies.error().Message();
  std::vector<std::string> texts;
  for (const auto& reply : *replies) texts.push_back(text_of(reply));
  EXPECT_THAT(texts, ElementsAre("re:sku#1", "re:sku#1", "re:sku#1"));
}

TEST_P(Conformance, RequestWithOnlyATimeoutCollectsEveryReplyInTime) {
  Open();
  Subscribe(Responder(2), {.topic = Name("multi")});
  Subscribe(Responder(1), {.topic = Name("multi")});
  auto replies = Request(Name("multi"), "x", 300);
  ASSERT_TRUE(replies) << replies.error().Message();
  std::vector<std::string> texts;
  for (const auto& reply : *replies) texts.push_back(text_of(reply));
  EXPECT_THAT(texts, UnorderedElementsAre("re:x#1", "re:x#2", "re:x#1"));
}

TEST_P(Conformance, RequestNobodyAnswersTimesOut) {
  Open();
  auto silent = std::make_shared<Collector>();
  Subscribe(silent, {.topic = Name("silent")});
  auto replies = Request(Name("silent"), "hello?", 100);
  ASSERT_FALSE(replies);
  EXPECT_EQ(replies.error().GetKind(), types::Error::Kind::kTimeout);
  EXPECT_TRUE(silent->WaitFor(1));
}

TEST_P(Conformance, RequestToATopicNobodyReceivesFailsAtOnceWithNoResponders) {
  Open();
  const auto started = std::chrono::steady_clock::now();
  auto replies = Request(Name("nobody"), "hello?", 5000);
  ASSERT_FALSE(replies);
  EXPECT_EQ(replies.error().GetKind(), types::Error::Kind::kOther);
  EXPECT_THAT(replies.error().Message(), StartsWith("no responders"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);  // not the 5 s timeout
}

TEST_P(Conformance, ReplyingToAMessageThatWasNotARequestIsAnError) {
  Open();
  std::optional<types::Error> error;
  auto replier = std::make_shared<Collector>([&](types::Message& message, std::size_t) {
    auto replied = wasi::messaging::request_reply::Reply(message, message_of("nobody asked"));
    if (!replied) error = replied.error();
    return std::expected<void, types::Error>{};
  });
  Subscribe(replier, {.topic = Name("plain")});
  SendOk(Name("plain"), "not a request");
  ASSERT_TRUE(replier->WaitFor(1));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->GetKind(), types::Error::Kind::kOther);
  EXPECT_THAT(error->Message(), HasSubstr("no reply address"));
}

TEST_P(Conformance, AReleasedMessageIsOfferedAgain) {
  Open({{.name = Name("retry")}});
  auto flaky = std::make_shared<Collector>([](types::Message&, std::size_t call) -> std::expected<void, types::Error> {
    if (call == 1) return std::unexpected(types::Error::Timeout());  // release, retry after 20 ms
    return {};
  });
  Subscribe(flaky, {.topic = Name("retry"), .queue = true, .outcome = {.retry_delay = 20ms}});
  SendOk(Name("retry"), "once more");
  ASSERT_TRUE(flaky->WaitFor(2));
  EXPECT_THAT(flaky->Texts(), ElementsAre("once more", "once more"));
}

TEST_P(Conformance, AHandlerThatThrowsIsAFailedDeliveryAndIsRetried) {
  Open({{.name = Name("throws")}});
  auto throwing =
      std::make_shared<Collector>([](types::Message&, std::size_t call) -> std::expected<void, types::Error> {
        if (call == 1) throw std::runtime_error("guest bug");
        return {};
      });
  Subscribe(throwing, {.topic = Name("throws"), .queue = true, .outcome = {.retry_delay = 20ms}});
  SendOk(Name("throws"), "boom");
  ASSERT_TRUE(throwing->WaitFor(2));
}

TEST_P(Conformance, ARejectedMessageIsDeadLetteredWithItsStory) {
  Open({{.name = Name("payments"), .dead_letter = Name("payments.dead")}});
  auto refusing = std::make_shared<Collector>([](types::Message&, std::size_t) -> std::expected<void, types::Error> {
    return std::unexpected(types::Error::PermissionDenied("card blocked"));  // → reject
  });
  auto dead = std::make_shared<Collector>();
  Subscribe(refusing, {.topic = Name("payments"), .queue = true});
  Subscribe(dead, {.topic = Name("payments.dead")});
  SendOk(Name("payments"), "pay 10");

  ASSERT_TRUE(dead->WaitFor(1));
  const auto letter = dead->All().front();
  EXPECT_EQ(letter.text, "pay 10");
  const auto value = [&](std::string_view key) { return MetadataOf(letter.metadata, key); };
  EXPECT_EQ(value(dead_letter_keys::reason), "rejected");
  EXPECT_THAT(value(dead_letter_keys::detail), HasSubstr("card blocked"));
  EXPECT_EQ(value(dead_letter_keys::original_topic), Name("payments"));
  EXPECT_EQ(value(dead_letter_keys::queue), Name("payments"));
  EXPECT_EQ(value(dead_letter_keys::delivery_count), "1");
  EXPECT_NE(value(dead_letter_keys::published_at_ns), "(missing)");
  EXPECT_NE(value(dead_letter_keys::dead_lettered_at_ns), "(missing)");
  EXPECT_EQ(refusing->Count(), 1U);
}

TEST_P(Conformance, AMessageOutOfDeliveriesIsDeadLettered) {
  Open({{.name = Name("poison"), .max_deliveries = 3, .dead_letter = Name("poison.dead")}});
  auto failing = std::make_shared<Collector>([](types::Message&, std::size_t) -> std::expected<void, types::Error> {
    return std::unexpected(types::Error::Other("cannot pack"));  // → release after 20 ms
  });
  auto dead = std::make_shared<Collector>();
  Subscribe(failing, {.topic = Name("poison"), .queue = true, .outcome = {.retry_delay = 20ms}});
  Subscribe(dead, {.topic = Name("poison.dead")});
  SendOk(Name("poison"), "500 lamps");

  ASSERT_TRUE(dead->WaitFor(1));
  const auto letter = dead->All().front();
  EXPECT_EQ(letter.text, "500 lamps");
  EXPECT_THAT(letter.metadata, ::testing::Contains(std::tuple<std::string, std::string>(
                                   std::string(dead_letter_keys::reason), "max_deliveries")));
  EXPECT_THAT(letter.metadata, ::testing::Contains(std::tuple<std::string, std::string>(
                                   std::string(dead_letter_keys::delivery_count), "3")));
  EXPECT_EQ(failing->Count(), 3U);
}

TEST_P(Conformance, TheFacadeRefusesWhatTheGuestMayNotDo) {
  Open();
  host::ScopedGuest as(Guest("limited", {.publish = {"allowed.>"}, .subscribe = {}}));
  auto client = types::Client::Connect("shop");
  ASSERT_TRUE(client);
  auto denied = wasi::messaging::producer::Send(*client, "secret.plans", message_of("x"));
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().GetKind(), types::Error::Kind::kPermissionDenied);
  auto invalid = wasi::messaging::producer::Send(*client, "allowed..double", message_of("x"));
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().GetKind(), types::Error::Kind::kOther);
  ASSERT_TRUE(client->Disconnect());
  auto after = wasi::messaging::producer::Send(*client, "allowed.x", message_of("x"));
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().GetKind(), types::Error::Kind::kConnection);
}

TEST_P(Conformance, NoGuestReachesAReplyInboxButThroughReply) {
  Open();
  // A hostile guest with the default permissions (`>` for both) listens to everything and tries
  // every way into an inbox; a requester and a responder go about their business beside it.
  auto everything = std::make_shared<Collector>();
  auto hostile = Guest("hostile");
  auto listening = host::SubscribeGuest(hostile, "shop", everything, {.topic = ">"});
  ASSERT_TRUE(listening) << listening.error().Message();
  auto inbox_listener = host::SubscribeGuest(hostile, "shop", std::make_shared<Collector>(), {.topic = "_INBOX.>"});
  ASSERT_FALSE(inbox_listener);
  EXPECT_EQ(inbox_listener.error().GetKind(), types::Error::Kind::kPermissionDenied);
  {
    host::ScopedGuest as(hostile);
    auto client = types::Client::Connect("shop");
    ASSERT_TRUE(client);
    for (const char* forged : {"_INBOX.1.1", "_INBOX", "_INBOX.anything.at.all"}) {
      auto sent = wasi::messaging::producer::Send(*client, forged, message_of("forged"));
      ASSERT_FALSE(sent) << forged;
      EXPECT_EQ(sent.error().GetKind(), types::Error::Kind::kPermissionDenied) << forged;
      auto asked = wasi::messaging::request_reply::Request(*client, forged, message_of("forged"), std::nullopt);
      ASSERT_FALSE(asked) << forged;
      EXPECT_EQ(asked.error().GetKind(), types::Error::Kind::kPermissionDenied) << forged;
    }
  }
  Subscribe(Responder(1), {.topic = Name("echo")});
  auto replies = Request(Name("echo"), "ping");
  ASSERT_TRUE(replies) << replies.error().Message();
  EXPECT_EQ(text_of(replies->front()), "re:ping#1");

  // The reply went out before this marker, through the same connection: once the marker is in,
  // the reply has passed the wildcard subscription too.
  SendOk(Name("marker"), "after the reply");
  // (Other tests' traffic on the shared server may arrive too: wait for the marker itself.)
  std::vector<std::string> topics;
  for (std::size_t count = 1; std::ranges::find(topics, Name("marker")) == topics.end(); ++count) {
    ASSERT_TRUE(everything->WaitFor(count)) << "the marker never reached the wildcard subscription";
    topics.clear();
    for (const auto& seen : everything->All()) topics.push_back(seen.topic);
  }
  EXPECT_THAT(topics, ::testing::IsSupersetOf({Name("echo"), Name("marker")}));
  for (const auto& topic : topics) EXPECT_THAT(topic, ::testing::Not(StartsWith("_INBOX")));
  listening->Close();
}

#ifdef WASMQ_WITH_NATS
INSTANTIATE_TEST_SUITE_P(Backends, Conformance, ::testing::Values(BackendKind::kInproc, BackendKind::kNats),
                         BackendName);
#else
INSTANTIATE_TEST_SUITE_P(Backends, Conformance, ::testing::Values(BackendKind::kInproc), BackendName);
#endif

}  // namespace
}  // namespace wasmq::backend_tests
