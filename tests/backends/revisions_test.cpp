// The earlier revisions of wasi:messaging (R1 … R4), each on every backend: what each revision's
// text promises, through the same host seam the current revision uses. Where a backend differs,
// the test says so for that backend.

#include "backend_fixture.hpp"

#include <wasi/messaging/r1/service.hpp>
#include <wasi/messaging/r2/consumer.hpp>
#include <wasi/messaging/r2/producer.hpp>
#include <wasi/messaging/r3/producer.hpp>
#include <wasi/messaging/r4/producer.hpp>
#include <wasmq/dead_letter_keys.hpp>
#include <wasmq/host/cloudevents.hpp>
#include <wasmq/host/r1_session.hpp>
#include <wasmq/host/r2_session.hpp>
#include <wasmq/host/r3_guest.hpp>

#include <gmock/gmock.h>

#include <set>

namespace wasmq::backend_tests {
namespace {

using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Le;
using ::testing::UnorderedElementsAreArray;
namespace r1 = wasi::messaging::r1;
namespace r2 = wasi::messaging::r2;
namespace r3 = wasi::messaging::r3;
namespace r4 = wasi::messaging::r4;

std::vector<std::uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }
std::string Text(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }
std::tuple<std::string, std::string> Entry(std::string_view key, std::string_view value) {
  return {std::string(key), std::string(value)};
}

// --- R2 -------------------------------------------------------------------------------------------

/// An R2 guest: records each batch, then does what `decide` says with it (complete all by default).
class BatchGuest final : public r2::guest::Guest {
 public:
  using Decide = std::function<std::expected<void, r2::types::Error>(std::span<const r2::types::Message>)>;
  explicit BatchGuest(Decide decide = {}) : decide_(std::move(decide)) {}

  std::expected<void, r2::types::Error> Handler(std::span<const r2::types::Message> ms) override {
    batch_sizes.push_back(ms.size());
    for (const auto& message : ms) seen.push_back(message);
    return decide_ ? decide_(ms) : std::expected<void, r2::types::Error>{};
  }

  std::vector<std::size_t> batch_sizes;
  std::vector<r2::types::Message> seen;

 private:
  Decide decide_;
};

class Revisions : public BackendTest {
 protected:
  std::unique_ptr<host::r2::Session> R2Session(std::shared_ptr<BatchGuest> guest, host::r2::SessionOptions options,
                                               host::Permissions permissions = {}) {
    options.connection = "shop";
    return std::make_unique<host::r2::Session>(Guest("r2-guest", std::move(permissions)), std::move(guest),
                                               std::move(options));
  }
  static std::expected<void, r2::types::Error> Configure(host::r2::Session& session,
                                                         std::vector<std::string> channels) {
    host::r2::ScopedSession as(session);
    return r2::consumer::UpdateGuestConfiguration({.channels = std::move(channels), .extensions = std::nullopt});
  }
  /// Delivers batches until `guest` has seen `count` messages (10 s at most).
  static bool DeliverUntil(host::r2::Session& session, const BatchGuest& guest, std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (guest.seen.size() < count && std::chrono::steady_clock::now() < deadline) {
      if (!session.DeliverWaiting(200ms)) return false;
    }
    return guest.seen.size() >= count;
  }
};

TEST_P(Revisions, R2CompleteAcceptsOnceAndASecondSettlementIsAnError) {
  Open({{.name = Name("jobs")}});
  std::vector<std::expected<void, r2::types::Error>> settled;
  auto guest = std::make_shared<BatchGuest>([&](std::span<const r2::types::Message> ms) {
    for (const auto& m : ms) {
      settled.push_back(r2::consumer::CompleteMessage(m));
      settled.push_back(r2::consumer::CompleteMessage(m));
      settled.push_back(r2::consumer::AbandonMessage(m));
    }
    return std::expected<void, r2::types::Error>{};
  });
  auto session = R2Session(guest, {.queue_channels = {Name("jobs")}, .retry_delay = 0ms});
  ASSERT_TRUE(Configure(*session, {Name("jobs")}));
  SendOk(Name("jobs"), "job-1");

  ASSERT_TRUE(DeliverUntil(*session, *guest, 1));
  ASSERT_EQ(settled.size(), 3U);
  EXPECT_TRUE(settled[0]);
  ASSERT_FALSE(settled[1]);
  EXPECT_EQ(settled[1].error().GetKind(), r2::types::Error::Kind::kOther);
  EXPECT_THAT(settled[1].error().Message(), HasSubstr("completed or abandoned already"));
  EXPECT_FALSE(settled[2]);
  EXPECT_EQ(session->Held(), 0U);
  // Accepted: it does not come back (an abandoned one would, at once: retry_delay is 0).
  auto again = session->DeliverWaiting(300ms);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0U);
  EXPECT_THAT(Text(guest->seen.front().data), "job-1");
}

TEST_P(Revisions, R2AbandonRetriesUntilMaxDeliveriesThenDeadLettersWithTheStory) {
  Open({{.name = Name("poison"), .max_deliveries = 2, .dead_letter = Name("poison.dead")}});
  auto dead = std::make_shared<Collector>();
  Subscribe(dead, {.topic = Name("poison.dead")});
  auto guest = std::make_shared<BatchGuest>([](std::span<const r2::types::Message> ms) {
    for (const auto& m : ms) {
      if (auto abandoned = r2::consumer::AbandonMessage(m); !abandoned) return abandoned;
    }
    return std::expected<void, r2::types::Error>{};
  });
  auto session = R2Session(guest, {.queue_channels = {Name("poison")}, .retry_delay = 10ms});
  ASSERT_TRUE(Configure(*session, {Name("poison")}));
  SendOk(Name("poison"), "500 lamps");

  ASSERT_TRUE(DeliverUntil(*session, *guest, 2));
  ASSERT_TRUE(dead->WaitFor(1));
  const auto letter = dead->All().front();
  EXPECT_EQ(letter.text, "500 lamps");
  EXPECT_EQ(MetadataOf(letter.metadata, dead_letter_keys::reason), "max_deliveries");
  EXPECT_EQ(MetadataOf(letter.metadata, dead_letter_keys::delivery_count), "2");
  EXPECT_EQ(MetadataOf(letter.metadata, r2::types::kDeliveryIdKey), "(missing)");  // the host's, not the message's
  // Each delivery had an id of its own.
  ASSERT_EQ(guest->seen.size(), 2U);
  EXPECT_NE(guest->seen[0].metadata, guest->seen[1].metadata);
}

TEST_P(Revisions, R2AbandonDeadLettersAtOnceOrDeletesAsTheSessionSays) {
  Open({{.name = Name("refunds"), .dead_letter = Name("refunds.dead")},
        {.name = Name("noise"), .dead_letter = Name("noise.dead")}});
  auto dead = std::make_shared<Collector>();
  Subscribe(dead, {.topic = Name("*.dead")});
  const auto abandon_all = [](std::span<const r2::types::Message> ms) {
    for (const auto& m : ms) (void)r2::consumer::AbandonMessage(m);
    return std::expected<void, r2::types::Error>{};
  };
  auto refunds = std::make_shared<BatchGuest>(abandon_all);
  auto noise = std::make_shared<BatchGuest>(abandon_all);
  auto dead_lettering =
      R2Session(refunds, {.queue_channels = {Name("refunds")}, .abandon = host::r2::AbandonAction::kDeadLetter});
  auto deleting = R2Session(
      noise, {.queue_channels = {Name("noise")}, .abandon = host::r2::AbandonAction::kDelete, .retry_delay = 0ms});
  ASSERT_TRUE(Configure(*dead_lettering, {Name("refunds")}));
  ASSERT_TRUE(Configure(*deleting, {Name("noise")}));
  SendOk(Name("refunds"), "refund 7");
  SendOk(Name("noise"), "static");

  ASSERT_TRUE(DeliverUntil(*dead_lettering, *refunds, 1));
  ASSERT_TRUE(DeliverUntil(*deleting, *noise, 1));
  ASSERT_TRUE(dead->WaitFor(1));
  const auto letter = dead->All().front();
  EXPECT_EQ(letter.text, "refund 7");
  EXPECT_EQ(MetadataOf(letter.metadata, dead_letter_keys::reason), "rejected");
  EXPECT_THAT(MetadataOf(letter.metadata, dead_letter_keys::detail), HasSubstr("abandoned by guest 'r2-guest'"));
  // Deleted: neither offered again nor dead-lettered.
  auto again = deleting->DeliverWaiting(300ms);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0U);
  EXPECT_EQ(dead->Count(), 1U);
}

TEST_P(Revisions, R2WhatTheHandlerLeavesIsCompletedOnOkAndAbandonedOnError) {
  Open({{.name = Name("left"), .dead_letter = Name("left.dead")}});
  auto dead = std::make_shared<Collector>();
  Subscribe(dead, {.topic = Name("left.dead")});
  int call = 0;
  auto guest =
      std::make_shared<BatchGuest>([&](std::span<const r2::types::Message>) -> std::expected<void, r2::types::Error> {
        if (++call == 1) return {};
        return std::unexpected(r2::types::Error::Other("cannot file it"));
      });
  auto session = R2Session(
      guest, {.max_batch = 1, .queue_channels = {Name("left")}, .abandon = host::r2::AbandonAction::kDeadLetter});
  ASSERT_TRUE(Configure(*session, {Name("left")}));
  SendOk(Name("left"), "kept");
  SendOk(Name("left"), "failed");

  ASSERT_TRUE(DeliverUntil(*session, *guest, 2));
  ASSERT_TRUE(dead->WaitFor(1));
  EXPECT_THAT(dead->Texts(), ElementsAre("failed"));
  EXPECT_EQ(session->Held(), 0U);
}

TEST_P(Revisions, R2BatchesTakeWhatIsWaitingUpToTheConfiguredSize) {
  Open({{.name = Name("orders")}});
  auto guest = std::make_shared<BatchGuest>();
  auto session = R2Session(guest, {.max_batch = 4, .queue_channels = {Name("orders")}});
  ASSERT_TRUE(Configure(*session, {Name("orders")}));
  const std::vector<std::string> texts{"o0", "o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9"};
  for (const auto& text : texts) SendOk(Name("orders"), text);

  ASSERT_TRUE(DeliverUntil(*session, *guest, texts.size()));
  std::vector<std::string> seen;
  for (const auto& message : guest->seen) seen.push_back(Text(message.data));
  EXPECT_THAT(seen, UnorderedElementsAreArray(texts));  // each once
  EXPECT_THAT(guest->batch_sizes, Each(Le(4U)));
  // The embedded broker has all ten waiting before the first batch: 4, 4, 2. A NATS client holds
  // what the server has pushed so far, which may be less.
  if (!IsNats()) {
    EXPECT_THAT(guest->batch_sizes, ElementsAre(4U, 4U, 2U));
  }
}

TEST_P(Revisions, R2APeersOwnDeliveryIdIsReplacedByTheHosts) {
  Open();
  auto guest = std::make_shared<BatchGuest>();
  auto session = R2Session(guest, {});
  ASSERT_TRUE(Configure(*session, {Name("spoof")}));
  auto spoofed = message_of("hello");
  spoofed.AddMetadata(r2::types::kDeliveryIdKey, "chosen-by-a-peer");
  ASSERT_TRUE(Send(Name("spoof"), std::move(spoofed)));

  ASSERT_TRUE(DeliverUntil(*session, *guest, 1));
  ASSERT_TRUE(guest->seen.front().metadata);
  std::vector<std::string> ids;
  for (const auto& [key, value] : *guest->seen.front().metadata) {
    if (key == r2::types::kDeliveryIdKey) ids.push_back(value);
  }
  ASSERT_EQ(ids.size(), 1U);
  EXPECT_NE(ids.front(), "chosen-by-a-peer");
  EXPECT_EQ(ids.front().size(), 32U);
}

TEST_P(Revisions, R2TopicChannelsReachEveryGuestAndGroupsShare) {
  Open();
  auto first = std::make_shared<BatchGuest>();
  auto second = std::make_shared<BatchGuest>();
  auto a = R2Session(first, {});
  auto b = R2Session(second, {});
  ASSERT_TRUE(Configure(*a, {Name("news.>")}));
  ASSERT_TRUE(Configure(*b, {Name("news.>")}));
  SendOk(Name("news.sport"), "goal");

  ASSERT_TRUE(DeliverUntil(*a, *first, 1));
  ASSERT_TRUE(DeliverUntil(*b, *second, 1));
  EXPECT_EQ(first->seen.front().topic, Name("news.sport"));
  EXPECT_EQ(Text(second->seen.front().data), "goal");
}

TEST_P(Revisions, R2ConfigurationOutsidePermissionsIsRefusedAndChangesNothing) {
  Open();
  auto guest = std::make_shared<BatchGuest>();
  auto session = R2Session(guest, {.max_channels = 2}, {.publish = {}, .subscribe = {Name("allowed.>")}});
  ASSERT_TRUE(Configure(*session, {Name("allowed.a")}));

  auto forbidden = Configure(*session, {Name("allowed.a"), Name("secret")});
  ASSERT_FALSE(forbidden);
  EXPECT_EQ(forbidden.error(), r2::types::Error::Unauthorized());
  auto inbox = Configure(*session, {"_INBOX.>"});
  ASSERT_FALSE(inbox);
  EXPECT_EQ(inbox.error(), r2::types::Error::Unauthorized());
  EXPECT_THAT(session->Channels(), ElementsAre(Name("allowed.a")));

  // At the limit, and past it.
  EXPECT_TRUE(Configure(*session, {Name("allowed.a"), Name("allowed.b")}));
  auto too_many = Configure(*session, {Name("allowed.a"), Name("allowed.b"), Name("allowed.c")});
  ASSERT_FALSE(too_many);
  EXPECT_THAT(too_many.error().Message(), HasSubstr("at most 2"));
  EXPECT_THAT(session->Channels(), ElementsAre(Name("allowed.a"), Name("allowed.b")));
  // An empty configuration ends every subscription.
  EXPECT_TRUE(Configure(*session, {}));
  EXPECT_TRUE(session->Channels().empty());
}

TEST_P(Revisions, R2SettlingWhatThisGuestWasNotDeliveredIsAnError) {
  Open({{.name = Name("mail")}});
  auto other_guest = std::make_shared<BatchGuest>();
  auto other = R2Session(other_guest, {});
  std::vector<std::expected<void, r2::types::Error>> attempts;
  auto guest = std::make_shared<BatchGuest>([&](std::span<const r2::types::Message> ms) {
    const r2::types::Message& delivered = ms.front();
    r2::types::Message made{.topic = delivered.topic, .data = delivered.data};  // no delivery id
    attempts.push_back(r2::consumer::CompleteMessage(made));
    r2::types::Message forged = delivered;
    forged.metadata = {{Entry(r2::types::kDeliveryIdKey, "00000000000000000000000000000000")}};
    attempts.push_back(r2::consumer::CompleteMessage(forged));
    {
      host::r2::ScopedSession as_other(*other);  // another guest holding this one's message
      attempts.push_back(r2::consumer::CompleteMessage(delivered));
    }
    attempts.push_back(r2::consumer::CompleteMessage(delivered));  // its own: fine
    return std::expected<void, r2::types::Error>{};
  });
  auto session = R2Session(guest, {.queue_channels = {Name("mail")}});
  ASSERT_TRUE(Configure(*session, {Name("mail")}));
  SendOk(Name("mail"), "letter");

  ASSERT_TRUE(DeliverUntil(*session, *guest, 1));
  ASSERT_EQ(attempts.size(), 4U);
  EXPECT_THAT(attempts[0].error().Message(), HasSubstr("carries no delivery id"));
  EXPECT_THAT(attempts[1].error().Message(), HasSubstr("is not held by this guest"));
  EXPECT_THAT(attempts[2].error().Message(), HasSubstr("is not held by this guest"));
  EXPECT_TRUE(attempts[3]);
  // Outside any session there is nothing to settle with.
  auto outside = r2::consumer::CompleteMessage(guest->seen.front());
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().GetKind(), r2::types::Error::Kind::kConnection);
}

TEST_P(Revisions, R2SendOverridesTopicsCarriesRecordsAndConfinesReplyTo) {
  Open();
  auto guest = std::make_shared<BatchGuest>();
  auto receiving = R2Session(guest, {});
  ASSERT_TRUE(Configure(*receiving, {Name("inbox.>")}));
  const host::Permissions sender{.publish = {Name("inbox.>"), Name("replies.>")}, .subscribe = {}};
  host::ScopedGuest as(Guest("r2-sender", sender));
  const auto connect = [] {
    auto client = r2::types::Client::Connect("shop");
    EXPECT_TRUE(client);
    return std::move(*client);
  };
  const std::vector<r2::types::Message> batch{{.topic = Name("inbox.a"),
                                               .content_type = "text/plain",
                                               .reply_to = Name("replies.a"),
                                               .data = Bytes("first"),
                                               .metadata = {{Entry("lang", "en")}}},
                                              {.topic = Name("inbox.b"), .data = Bytes("second")}};
  ASSERT_TRUE(r2::producer::Send(connect(), "", batch));                 // each to its own topic
  ASSERT_TRUE(r2::producer::Send(connect(), Name("inbox.all"), batch));  // both to the override

  auto refused = r2::producer::Send(
      connect(), "", std::vector<r2::types::Message>{{.topic = Name("inbox.c"), .reply_to = "elsewhere"}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), r2::types::Error::Unauthorized());  // a reply-to it may not send to
  auto not_allowed = r2::producer::Send(connect(), Name("secret"), batch);
  ASSERT_FALSE(not_allowed);
  EXPECT_EQ(not_allowed.error(), r2::types::Error::Unauthorized());

  ASSERT_TRUE(DeliverUntil(*receiving, *guest, 4));
  std::set<std::pair<std::string, std::string>> where;
  for (const auto& m : guest->seen) where.emplace(m.topic, Text(m.data));
  EXPECT_EQ(where, (std::set<std::pair<std::string, std::string>>{{Name("inbox.a"), "first"},
                                                                  {Name("inbox.b"), "second"},
                                                                  {Name("inbox.all"), "first"},
                                                                  {Name("inbox.all"), "second"}}));
  for (const auto& m : guest->seen) {
    if (Text(m.data) != "first") continue;
    EXPECT_EQ(m.content_type, "text/plain");
    EXPECT_EQ(m.reply_to, Name("replies.a"));
    ASSERT_TRUE(m.metadata);
    EXPECT_THAT(*m.metadata, Contains(Entry("lang", "en")));
  }
  EXPECT_EQ(guest->seen.size(), 4U);  // the refused sends sent nothing
}

TEST_P(Revisions, R2SendIsBoundedPerCallAndPerMessage) {
  Open();
  auto context = std::make_shared<host::GuestContext>(*Guest("bounded"));
  context->limits.max_messages_per_send = 2;
  context->limits.max_message_bytes = 8;
  host::ScopedGuest as(context);
  const auto send = [topic = Name("bounded")](std::vector<r2::types::Message> batch) {
    auto client = r2::types::Client::Connect("shop");
    EXPECT_TRUE(client);
    return r2::producer::Send(std::move(*client), topic, batch);
  };
  context->limits.max_metadata_entries = 1;
  EXPECT_TRUE(send({{.data = Bytes("12345678")}, {.data = Bytes("1")}}));      // at both limits
  EXPECT_TRUE(send({{.data = Bytes("1"), .metadata = {{Entry("k", "v")}}}}));  // at the entry limit
  auto three = send({{.data = Bytes("1")}, {.data = Bytes("2")}, {.data = Bytes("3")}});
  ASSERT_FALSE(three);
  EXPECT_THAT(three.error().Message(), HasSubstr("at most 2"));
  auto large = send({{.data = Bytes("123456789")}});
  ASSERT_FALSE(large);
  EXPECT_THAT(large.error().Message(), HasSubstr("larger than the 8"));
  auto entries = send({{.data = Bytes("1"), .metadata = {{Entry("k", "v"), Entry("l", "w")}}}});
  ASSERT_FALSE(entries);
  EXPECT_THAT(entries.error().Message(), HasSubstr("at most 1 are allowed"));
}

TEST_P(Revisions, R2ConfigurationExtensionsAreBoundedInEntriesAndBytes) {
  Open();
  auto context = std::make_shared<host::GuestContext>(*Guest("configured"));
  context->limits.max_metadata_entries = 2;
  context->limits.max_message_bytes = 8;
  host::r2::Session session(context, std::make_shared<BatchGuest>(), {.connection = "shop"});
  const auto configure = [&](std::vector<std::tuple<std::string, std::string>> extensions) {
    host::r2::ScopedSession as(session);
    return r2::consumer::UpdateGuestConfiguration({.channels = {Name("x")}, .extensions = std::move(extensions)});
  };
  EXPECT_TRUE(configure({Entry("ab", "cd"), Entry("ef", "gh")}));  // at both limits
  EXPECT_THAT(session.Extensions(), ElementsAre(Entry("ab", "cd"), Entry("ef", "gh")));
  auto three = configure({Entry("a", "1"), Entry("b", "2"), Entry("c", "3")});
  ASSERT_FALSE(three);
  EXPECT_THAT(three.error().Message(), HasSubstr("3 extensions; at most 2"));
  auto large = configure({Entry("abcd", "efghi")});
  ASSERT_FALSE(large);
  EXPECT_THAT(large.error().Message(), HasSubstr("9 bytes of extensions; at most 8"));
  EXPECT_THAT(session.Extensions(), ElementsAre(Entry("ab", "cd"), Entry("ef", "gh")));  // unchanged
}

// --- R1 -------------------------------------------------------------------------------------------

/// An R1 guest: records the events it receives.
class EventGuest final : public r1::handler::Guest {
 public:
  using Respond = std::function<std::expected<void, r1::types::MessagingError>(const r1::types::Event&)>;
  explicit EventGuest(std::shared_ptr<Tally> tally = nullptr, Respond respond = {})
      : tally_(std::move(tally)), respond_(std::move(respond)) {}
  std::expected<void, r1::types::MessagingError> OnReceive(const r1::types::Event& e) override {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(e);
    }
    changed_.notify_all();
    if (tally_) tally_->Add();
    return respond_ ? respond_(e) : std::expected<void, r1::types::MessagingError>{};
  }
  bool WaitFor(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return events_.size() >= count; });
  }
  std::vector<r1::types::Event> Events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  std::shared_ptr<Tally> tally_;
  Respond respond_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<r1::types::Event> events_;
};

r1::types::Event EventWithId(std::string id) {
  return {.specversion = "1.0", .ty = "com.example.order", .source = "/shop", .id = std::move(id)};
}

class R1Sessions : public Revisions {
 protected:
  host::r1::Session& Session(std::shared_ptr<EventGuest> guest, std::string identity = "r1-guest",
                             host::Permissions permissions = {}, std::size_t max_subscriptions = 64) {
    sessions_.push_back(std::make_unique<host::r1::Session>(
        Guest(std::move(identity), std::move(permissions)), std::move(guest),
        host::r1::SessionOptions{.connection = "shop", .max_subscriptions = max_subscriptions}));
    return *sessions_.back();
  }
  void TearDown() override { sessions_.clear(); }

 private:
  std::vector<std::unique_ptr<host::r1::Session>> sessions_;
};

TEST_P(R1Sessions, AQueueChannelSharesItsEventsAndATopicChannelGivesEachToEverySubscriber) {
  Open({{.name = Name("work")}});
  auto shared = std::make_shared<Tally>();
  auto worker_a = std::make_shared<EventGuest>(shared);
  auto worker_b = std::make_shared<EventGuest>(shared);
  auto listener_a = std::make_shared<EventGuest>();
  auto listener_b = std::make_shared<EventGuest>();
  for (const auto& [guest, channel] : {std::pair{worker_a, r1::types::Channel::Queue(Name("work"))},
                                       {worker_b, r1::types::Channel::Queue(Name("work"))},
                                       {listener_a, r1::types::Channel::Topic(Name("news"))},
                                       {listener_b, r1::types::Channel::Topic(Name("news"))}}) {
    auto& session = Session(guest);
    host::r1::ScopedSession as(session);
    ASSERT_TRUE(r1::sub::Subscribe(channel));
  }
  auto& publisher = Session(std::make_shared<EventGuest>(), "publisher");
  host::r1::ScopedSession as(publisher);
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    ids.push_back("work-" + std::to_string(i));
    ASSERT_TRUE(r1::pub::Publish(r1::types::Channel::Queue(Name("work")), EventWithId(ids.back())));
  }
  ASSERT_TRUE(r1::pub::Publish(r1::types::Channel::Topic(Name("news")), EventWithId("news-1")));

  ASSERT_TRUE(shared->WaitFor(20));
  ASSERT_TRUE(listener_a->WaitFor(1) && listener_b->WaitFor(1));
  std::vector<std::string> worked;
  for (const auto& worker : {worker_a, worker_b}) {
    for (const auto& event : worker->Events()) worked.push_back(event.id);
  }
  EXPECT_THAT(worked, UnorderedElementsAreArray(ids));  // each queued event reached one worker, once
  EXPECT_EQ(listener_a->Events().front().id, "news-1");
  EXPECT_EQ(listener_b->Events().front().id, "news-1");
}

TEST_P(R1Sessions, ACloudEventRoundTripsExactly) {
  Open();
  auto receiver = std::make_shared<EventGuest>();
  {
    auto& session = Session(receiver);
    host::r1::ScopedSession as(session);
    ASSERT_TRUE(r1::sub::Subscribe(r1::types::Channel::Topic(Name("events"))));
  }
  const r1::types::Event sent{
      .specversion = "1.0",
      .ty = "com.example.order.placed",
      .source = "https://shop.example/orders",
      .id = "A234-1234-1234",
      .data = Bytes("{\"total\": 12.5}"),
      .datacontenttype = "application/json",
      .dataschema = "https://shop.example/schema/order.json",
      .subject = "order 42: «naïve café» 100%",
      .time = "2026-11-30T12:00:00Z",
      .extensions = {{Entry("comexampleext", " padded value "), Entry("traceparent", "00-4bf9")}}};
  auto& publisher = Session(std::make_shared<EventGuest>(), "publisher");
  host::r1::ScopedSession as(publisher);
  ASSERT_TRUE(r1::pub::Publish(r1::types::Channel::Topic(Name("events")), sent));

  ASSERT_TRUE(receiver->WaitFor(1));
  EXPECT_EQ(receiver->Events().front(), sent);
}

TEST_P(R1Sessions, TokensEndTheirOwnSubscriptionOnlyOnce) {
  Open();
  auto& owner = Session(std::make_shared<EventGuest>(), "owner");
  auto& stranger = Session(std::make_shared<EventGuest>(), "stranger");
  std::string token;
  {
    host::r1::ScopedSession as(owner);
    auto subscribed = r1::sub::Subscribe(r1::types::Channel::Topic(Name("t")));
    ASSERT_TRUE(subscribed);
    token = *subscribed;
    EXPECT_EQ(token.size(), 32U);  // 128 random bits, in hex
  }
  {
    host::r1::ScopedSession as(stranger);
    auto foreign = r1::sub::Unsubscribe(token);
    ASSERT_FALSE(foreign);
    EXPECT_EQ(foreign.error().GetKind(), r1::types::MessagingError::Kind::kQueueOrTopicNotFound);
  }
  host::r1::ScopedSession as(owner);
  EXPECT_EQ(owner.Subscriptions(), 1U);
  EXPECT_TRUE(r1::sub::Unsubscribe(token));
  EXPECT_EQ(owner.Subscriptions(), 0U);
  auto twice = r1::sub::Unsubscribe(token);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().GetKind(), r1::types::MessagingError::Kind::kQueueOrTopicNotFound);
  EXPECT_FALSE(r1::sub::Unsubscribe("not-a-token"));
}

TEST_P(R1Sessions, ErrorsAreTheRevisionsOwn) {
  Open();
  auto& limited = Session(std::make_shared<EventGuest>(), "limited",
                          {.publish = {Name("open.>")}, .subscribe = {Name("open.>")}}, 1);
  host::r1::ScopedSession as(limited);
  const auto kind_of = [](const auto& result) { return result.error().GetKind(); };
  using Kind = r1::types::MessagingError::Kind;
  auto forbidden = r1::pub::Publish(r1::types::Channel::Topic(Name("closed")), EventWithId("1"));
  ASSERT_FALSE(forbidden);
  EXPECT_EQ(kind_of(forbidden), Kind::kInsufficientPermissions);
  auto no_id = r1::pub::Publish(r1::types::Channel::Topic(Name("open.a")), EventWithId(""));
  ASSERT_FALSE(no_id);
  EXPECT_EQ(kind_of(no_id), Kind::kUnsupportedMessageFormat);
  r1::types::Event bad_extension = EventWithId("2");
  bad_extension.extensions = {{Entry("Not-Allowed", "x")}};
  EXPECT_EQ(kind_of(r1::pub::Publish(r1::types::Channel::Topic(Name("open.a")), bad_extension)),
            Kind::kUnsupportedMessageFormat);
  // At the size limit (the event as it travels: data, content type and its ce-* entries), and past it.
  r1::types::Event sized = EventWithId("3");
  sized.data = std::vector<std::uint8_t>(1000, 'x');
  auto travelling = host::cloudevents::ToMessage(sized, Name("open.a"));
  ASSERT_TRUE(travelling);
  auto bounded =
      std::make_shared<host::GuestContext>(*Guest("bounded", {.publish = {Name("open.>")}, .subscribe = {}}));
  bounded->limits.max_message_bytes = travelling->size_bytes();
  host::r1::Session at_limit(bounded, std::make_shared<EventGuest>(), {.connection = "shop"});
  {
    host::r1::ScopedSession as_bounded(at_limit);
    EXPECT_TRUE(r1::pub::Publish(r1::types::Channel::Topic(Name("open.a")), sized));
    sized.data->push_back('x');
    EXPECT_EQ(kind_of(r1::pub::Publish(r1::types::Channel::Topic(Name("open.a")), sized)), Kind::kPayloadTooLarge);
  }
  EXPECT_EQ(kind_of(r1::sub::Subscribe(r1::types::Channel::Topic(Name("closed")))), Kind::kInsufficientPermissions);
  // At the subscription limit (1), and past it.
  EXPECT_TRUE(r1::sub::Subscribe(r1::types::Channel::Topic(Name("open.a"))));
  EXPECT_EQ(kind_of(r1::sub::Subscribe(r1::types::Channel::Topic(Name("open.b")))), Kind::kUnexpectedError);
  if (!IsNats()) {
    // The embedded broker knows its queues; a NATS queue channel is a queue group, made on use.
    auto& other = Session(std::make_shared<EventGuest>(), "other");
    host::r1::ScopedSession as_other(other);
    EXPECT_EQ(kind_of(r1::sub::Subscribe(r1::types::Channel::Queue(Name("undeclared")))), Kind::kQueueOrTopicNotFound);
  }
}

TEST_P(R1Sessions, AMessageThatIsNotACloudEventIsDeadLettered) {
  Open({{.name = Name("intake"), .dead_letter = Name("intake.dead")}});
  auto dead = std::make_shared<Collector>();
  Subscribe(dead, {.topic = Name("intake.dead")});
  auto receiver = std::make_shared<EventGuest>();
  {
    auto& session = Session(receiver);
    host::r1::ScopedSession as(session);
    ASSERT_TRUE(r1::sub::Subscribe(r1::types::Channel::Queue(Name("intake"))));
  }
  SendOk(Name("intake"), "plain bytes");

  ASSERT_TRUE(dead->WaitFor(1));
  EXPECT_THAT(MetadataOf(dead->All().front().metadata, dead_letter_keys::detail), HasSubstr("no 'ce-specversion'"));
  EXPECT_TRUE(receiver->Events().empty());
}

// --- R3 and R4 ------------------------------------------------------------------------------------

/// An R3 (or R4) guest: records the messages it handles.
template <typename Base>
class TopicGuest : public Base {
 public:
  std::expected<void, r3::types::Error> Handle(r3::types::Message&& ms) override {
    {
      std::lock_guard lock(mutex_);
      seen_.emplace_back(ms.Topic(), Text(ms.Data()));
      metadata_ = ms.Metadata();
    }
    changed_.notify_all();
    return {};
  }
  bool WaitFor(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return seen_.size() >= count; });
  }
  std::vector<std::pair<std::string, std::string>> Seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  std::optional<std::vector<std::tuple<std::string, std::string>>> LastMetadata() const {
    std::lock_guard lock(mutex_);
    return metadata_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<std::string, std::string>> seen_;
  std::optional<std::vector<std::tuple<std::string, std::string>>> metadata_;
};
using R3Guest = TopicGuest<r3::incoming_handler::Guest>;
/// An R4 guest that names `topics` when started.
class R4Guest final : public TopicGuest<r4::incoming_handler::Guest> {
 public:
  explicit R4Guest(std::vector<std::string> topics) : topics_(std::move(topics)) {}
  std::expected<std::vector<std::string>, r4::types::Error> Subscribe() override { return topics_; }

 private:
  std::vector<std::string> topics_;
};

TEST_P(Revisions, R3MessagesCarryTheirTopicAndAreTakenBySend) {
  Open();
  auto guest = std::make_shared<R3Guest>();
  auto subscribed = host::r3::SubscribeGuest(Guest("r3-guest"), "shop", guest, {.topic = Name("parcels.*")});
  ASSERT_TRUE(subscribed) << subscribed.error().Message();
  host::ScopedGuest as(Guest("r3-sender", {.publish = {Name("parcels.>")}, .subscribe = {}}));
  auto client = r3::types::Client::Connect("shop");
  ASSERT_TRUE(client);
  r3::types::Message message(Name("parcels.draft"), Bytes("box"));
  message.SetTopic(Name("parcels.sent"));
  message.SetContentType("text/plain");
  message.AddMetadata("weight", "2kg");
  ASSERT_TRUE(r3::producer::Send(std::move(*client), std::move(message)));

  ASSERT_TRUE(guest->WaitFor(1));
  EXPECT_THAT(guest->Seen(), ElementsAre(std::pair{Name("parcels.sent"), std::string("box")}));
  ASSERT_TRUE(guest->LastMetadata());
  EXPECT_THAT(*guest->LastMetadata(), ElementsAre(Entry("weight", "2kg")));

  auto again = r3::types::Client::Connect("shop");
  ASSERT_TRUE(again);
  auto denied = r3::producer::Send(std::move(*again), r3::types::Message("elsewhere", Bytes("x")));
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().GetKind(), r3::types::Error::Kind::kOther);  // R3 has no permission case
  EXPECT_THAT(denied.error().Message(), HasSubstr("permission denied"));
}

TEST_P(Revisions, R4GuestsNameTheirTopicsWhenStartedAllOrNothing) {
  Open();
  auto guest = std::make_shared<R4Guest>(std::vector<std::string>{Name("a"), Name("b.*")});
  const host::Permissions permissions{.publish = {">"}, .subscribe = {Name("a"), Name("b.>")}};
  auto started = host::r4::StartGuest(Guest("r4-guest", permissions), "shop", guest);
  ASSERT_TRUE(started) << started.error().Message();
  EXPECT_THAT(started->topics, ElementsAre(Name("a"), Name("b.*")));
  host::ScopedGuest as(Guest("r4-sender"));
  for (const auto& topic : {Name("a"), Name("b.c")}) {
    auto client = r4::types::Client::Connect("shop");
    ASSERT_TRUE(client);
    ASSERT_TRUE(r4::producer::Send(std::move(*client), r4::types::Message(topic, Bytes("hi"))));
  }
  ASSERT_TRUE(guest->WaitFor(2));

  auto greedy = std::make_shared<R4Guest>(std::vector<std::string>{Name("a"), Name("secret")});
  auto refused = host::r4::StartGuest(Guest("greedy", permissions), "shop", greedy);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().GetKind(), types::Error::Kind::kPermissionDenied);
  EXPECT_THAT(refused.error().Message(), HasSubstr(Name("secret")));
  // At the topic limit (2), and past it.
  EXPECT_TRUE(host::r4::StartGuest(Guest("two", permissions), "shop", guest, {}, 2));
  auto past = host::r4::StartGuest(Guest("one", permissions), "shop", guest, {}, 1);
  ASSERT_FALSE(past);
  EXPECT_THAT(past.error().Message(), HasSubstr("at most 1"));
}

#ifdef WASMQ_WITH_NATS
INSTANTIATE_TEST_SUITE_P(Backends, Revisions, ::testing::Values(BackendKind::kInproc, BackendKind::kNats), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, R1Sessions, ::testing::Values(BackendKind::kInproc, BackendKind::kNats),
                         BackendName);
#else
INSTANTIATE_TEST_SUITE_P(Backends, Revisions, ::testing::Values(BackendKind::kInproc), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, R1Sessions, ::testing::Values(BackendKind::kInproc), BackendName);
#endif

}  // namespace
}  // namespace wasmq::backend_tests
