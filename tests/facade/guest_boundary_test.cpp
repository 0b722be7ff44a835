// The guest boundary: what a guest can never do, whatever it tries. Each test holds one line of
// docs/facade.md, "What a guest can never do".

#include "facade/facade_fixture.hpp"

#include <wasmq/host/guest_instance.hpp>
#include <wasmq/host/reply_inbox.hpp>

#include <algorithm>

namespace wasi::messaging {

namespace host = ::wasmq::host;  // the host layer, by its short name
namespace {

using host::GuestInstance;
using host::Handle;
using testing_support::bytes;
using testing_support::FacadeTest;
using testing_support::FunctionGuest;
using testing_support::responder;
using testing_support::text;
using types::Error;

std::shared_ptr<host::GuestContext> guest_with(const std::shared_ptr<const host::ConnectionRegistry>& registry,
                                               std::string identity, host::Permissions permissions,
                                               host::GuestLimits limits = {}) {
  return std::make_shared<host::GuestContext>(
      host::GuestContext{std::move(identity), std::move(permissions), registry, limits});
}

class GuestBoundaryTest : public FacadeTest {
 protected:
  /// Every message published to `topic`, as a native (host-side) subscriber sees it.
  std::shared_ptr<std::vector<wasmq::Message>> tap(std::string_view topic) {
    auto seen = std::make_shared<std::vector<wasmq::Message>>();
    auto consumer = broker.subscribe(topic, {}, [seen](wasmq::Delivery& delivery) {
      seen->push_back(delivery.message().to_message());
      (void)delivery.accept();
    });
    EXPECT_TRUE(consumer) << consumer.error().message();
    taps_.push_back(std::move(*consumer));
    return seen;
  }

  std::vector<wasmq::Consumer> taps_;
};

// --- replies -------------------------------------------------------------------------------------

TEST_F(GuestBoundaryTest, ReplyAddressesCarry128RandomBitsUnderTheInboxPrefix) {
  auto requests = tap("svc");
  host::ScopedGuest scope(guest);
  for (int i = 0; i < 3; ++i) {
    request_reply::RequestOptions options;
    options.SetTimeoutMs(10);  // the tap never answers: each request times out (manual clock)
    auto replies = request_reply::Request(connect(), "svc", types::Message(bytes("q")), std::move(options));
    ASSERT_FALSE(replies);
  }
  ASSERT_EQ(requests->size(), 3u);
  std::vector<std::string> tokens;
  for (const auto& request : *requests) {
    ASSERT_TRUE(request.reply_to);
    const std::string& address = *request.reply_to;
    EXPECT_TRUE(host::IsUnderInbox(address)) << address;
    const std::string token = address.substr(address.rfind('.') + 1);
    ASSERT_EQ(token.size(), 32u) << address;
    EXPECT_TRUE(std::ranges::all_of(token, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }));
    tokens.push_back(token);
  }
  std::ranges::sort(tokens);
  EXPECT_EQ(std::ranges::unique(tokens).begin(), tokens.end()) << "no token repeats";
}

TEST_F(GuestBoundaryTest, AGuestThatKnowsAnotherGuestsReplyAddressCannotAnswerThroughIt) {
  // The worst case: the hostile guest has the address (as if it had guessed 128 bits right).
  auto hostile = guest_with(registry, "hostile", {});  // `>` for publish and subscribe
  std::optional<Error> forged;
  auto requests = tap("svc");
  auto service = subscribe(std::make_shared<FunctionGuest>([&](types::Message&& request) {
                             host::ScopedGuest as(hostile);
                             auto client = types::Client::Connect("inproc");
                             EXPECT_TRUE(client);
                             auto sent =
                                 producer::Send(*client, *requests->back().reply_to, types::Message(bytes("forged")));
                             if (!sent) forged = sent.error();
                             return request_reply::Reply(request, types::Message(bytes("genuine")));
                           }),
                           {.topic = "svc"});
  host::ScopedGuest scope(guest);
  auto replies = request_reply::Request(connect(), "svc", types::Message(bytes("q")), std::nullopt);
  ASSERT_TRUE(replies) << replies.error().Message();
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ(text(replies->front()), "genuine");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->GetKind(), Error::Kind::kPermissionDenied);
  EXPECT_NE(forged->Message().find("reply inbox"), std::string::npos) << forged->Message();
}

TEST_F(GuestBoundaryTest, NoGuestSubscribesUnderTheInboxPrefixAndWildcardsNeverSeeReplies) {
  auto hostile = guest_with(registry, "hostile", {});
  for (const char* pattern : {"_INBOX.>", "_INBOX.*.*", "_INBOX"}) {
    auto denied = host::SubscribeGuest(hostile, "inproc", std::make_shared<FunctionGuest>([](types::Message&&) {
                                         return std::expected<void, Error>{};
                                       }),
                                       {.topic = pattern});
    ASSERT_FALSE(denied) << pattern;
    EXPECT_EQ(denied.error().GetKind(), Error::Kind::kPermissionDenied) << pattern;
  }
  std::vector<std::string> seen;
  auto everything = subscribe(std::make_shared<FunctionGuest>([&](types::Message&& message) {
                                seen.push_back(message.Topic().value_or(""));
                                return std::expected<void, Error>{};
                              }),
                              {.topic = ">"}, hostile);
  auto three_tokens = subscribe(std::make_shared<FunctionGuest>([&](types::Message&& message) {
                                  seen.push_back(message.Topic().value_or(""));
                                  return std::expected<void, Error>{};
                                }),
                                {.topic = "*.*.*"}, hostile);
  auto service = subscribe(responder(1), {.topic = "svc"});
  {
    host::ScopedGuest scope(guest);
    auto replies = request_reply::Request(connect(), "svc", types::Message(bytes("q")), std::nullopt);
    ASSERT_TRUE(replies) << replies.error().Message();
  }
  runtime.run_until_idle();
  EXPECT_EQ(seen, std::vector<std::string>{"svc"}) << "the request, but not its reply";
  const auto stats = broker.stats();
  for (const auto& queue : stats.queues) {
    EXPECT_EQ(queue.depth + queue.in_flight, 0u) << queue.name << ": replies the guest never saw are settled";
  }
}

TEST_F(GuestBoundaryTest, AReplyToAnAddressThePublisherChoseIsAPublishThatNeedsPermission) {
  auto secret = tap("b.secret");
  std::vector<Error> errors;
  auto replier = [&](std::shared_ptr<host::GuestContext> as) {
    return subscribe(std::make_shared<FunctionGuest>([&](types::Message&& request) {
                       auto replied = request_reply::Reply(request, types::Message(bytes("leak")));
                       if (!replied) errors.push_back(replied.error());
                       return std::expected<void, Error>{};
                     }),
                     {.topic = "svc"}, std::move(as));
  };
  const auto publish_request = [&] {
    wasmq::Message request;
    request.topic = "svc";
    request.reply_to = "b.secret";  // a host-side producer's choice, not an inbox
    ASSERT_TRUE(broker.publish(std::move(request)));
    runtime.run_until_idle();
  };
  {
    auto no_publish = replier(guest_with(registry, "no-publish", {.publish = {}, .subscribe = {"svc"}}));
    publish_request();
  }
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].GetKind(), Error::Kind::kPermissionDenied);
  EXPECT_NE(errors[0].Message().find("b.secret"), std::string::npos) << errors[0].Message();
  EXPECT_TRUE(secret->empty());
  {
    auto allowed = replier(guest_with(registry, "allowed", {.publish = {"b.>"}, .subscribe = {"svc"}}));
    publish_request();
  }
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_EQ(secret->size(), 1u) << "with the permission, the reply is sent";
}

TEST_F(GuestBoundaryTest, AMessageAGuestSendsCarriesNoReplyAddress) {
  auto forwarded = tap("fwd");
  auto forwarder = subscribe(std::make_shared<FunctionGuest>([&](types::Message&& request) {
                               return producer::Send(connect(), "fwd", std::move(request));
                             }),
                             {.topic = "svc"});
  wasmq::Message request;
  request.topic = "svc";
  request.reply_to = "_INBOX.1.someone-elses-request";
  ASSERT_TRUE(broker.publish(std::move(request)));
  runtime.run_until_idle();
  ASSERT_EQ(forwarded->size(), 1u);
  EXPECT_FALSE(forwarded->front().reply_to) << "forwarding a request does not forward its reply address";
}

TEST_F(GuestBoundaryTest, ARequestHoldsAtMostMaxRepliesHoweverManyArrive) {
  auto flooding = subscribe(responder(50), {.topic = "svc"});
  host::ScopedGuest scope(guest_with(registry, "bounded", {}, {.max_replies = 3}));
  request_reply::RequestOptions timeout_only;
  timeout_only.SetTimeoutMs(100);
  auto replies = request_reply::Request(connect(), "svc", types::Message(bytes("q")), std::move(timeout_only));
  ASSERT_TRUE(replies) << replies.error().Message();
  EXPECT_EQ(replies->size(), 3u);
  request_reply::RequestOptions more_than_allowed;
  more_than_allowed.SetExpectedReplies(10);
  replies = request_reply::Request(connect(), "svc", types::Message(bytes("q")), std::move(more_than_allowed));
  ASSERT_TRUE(replies) << replies.error().Message();
  EXPECT_EQ(replies->size(), 3u);
}

TEST_F(GuestBoundaryTest, ADeliveryWhoseStringsAreNotUtf8IsDeadLetteredNotHandedToAGuest) {
  ASSERT_TRUE(broker.declare_queue("in.dead"));
  ASSERT_TRUE(broker.declare_queue("in", {.dead_letter = "in.dead"}));
  int handled = 0;
  auto consumer = subscribe(std::make_shared<FunctionGuest>([&](types::Message&&) {
                              ++handled;
                              return std::expected<void, Error>{};
                            }),
                            {.topic = "in", .queue = true});
  auto dead = tap("in.dead");
  wasmq::Message from_outside;  // as a native publisher or a NATS peer may send it
  from_outside.topic = "in";
  from_outside.metadata = {{"note", "\xff\xfe"}};
  ASSERT_TRUE(broker.publish(std::move(from_outside)));
  runtime.run_until_idle();
  EXPECT_EQ(handled, 0);
  ASSERT_EQ(dead->size(), 1u);
  ASSERT_TRUE(dead->front().death);
  EXPECT_NE(dead->front().death->detail.find("UTF-8"), std::string::npos) << dead->front().death->detail;
}

TEST_F(GuestBoundaryTest, AConnectionNameThatIsNotUtf8IsAConnectionError) {
  host::ScopedGuest scope(guest);
  auto client = types::Client::Connect("inproc\xff");
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().GetKind(), Error::Kind::kConnection);
}

// --- the resource table and what a guest's resources may hold ------------------------------------

class GuestTableTest : public FacadeTest {
 protected:
  static constexpr host::GuestLimits small{
      .max_resources = 4, .max_message_bytes = 100, .max_metadata_entries = 3, .max_replies = 1000};
  GuestInstance instance{guest_with(registry, "tabled", {}, small)};

  template <class T>
  static void expect_trap(const host::Call<T>& call, std::string_view words) {
    ASSERT_FALSE(call.has_value()) << "expected a trap mentioning: " << words;
    EXPECT_NE(call.error().message.find(words), std::string::npos) << call.error().message;
  }
};

TEST_F(GuestTableTest, LiveResourcesAreBoundedAtMaxResources) {
  std::vector<Handle> held;
  for (int i = 0; i < 4; ++i) held.push_back(*instance.MessageNew(bytes("m")));
  EXPECT_EQ(instance.Size(), 4u);
  expect_trap(instance.MessageNew(bytes("one too many")), "max_resources");
  expect_trap(instance.RequestOptionsNew(), "max_resources");
  expect_trap(instance.ClientConnect("inproc"), "max_resources");
  expect_trap(instance.AdoptMessage(types::Message(bytes("delivered"))), "max_resources");
  EXPECT_EQ(instance.Size(), 4u) << "a refused resource is not kept";
  for (Handle handle : held) EXPECT_TRUE(instance.MessageData(handle)) << "the others are untouched";
  ASSERT_TRUE(instance.MessageDrop(held.back()));
  EXPECT_TRUE(instance.MessageNew(bytes("room again")));
}

TEST_F(GuestTableTest, RepliesPastTheBoundTrapAndLeaveNoHandleBehind) {
  auto service = subscribe(responder(3), {.topic = "svc"});
  const Handle client = **instance.ClientConnect("inproc");
  const Handle request = *instance.MessageNew(bytes("q"));
  const Handle options = *instance.RequestOptionsNew();
  ASSERT_TRUE(instance.RequestOptionsSetExpectedReplies(options, 3));
  // Live: client, request, options; the call takes the options, then 3 replies need 3 slots of
  // the 2 left under max_resources = 4.
  expect_trap(instance.RequestReplyRequest(client, "svc", request, options), "max_resources");
  EXPECT_EQ(instance.Size(), 2u) << "client and request only: no reply was left in the table";
}

TEST_F(GuestTableTest, AStaleHandleNeverComesBackAfterMoreThan4096Reuses) {
  GuestInstance roomy{guest};
  const Handle first = *roomy.MessageNew(bytes("first"));
  ASSERT_TRUE(roomy.MessageDrop(first));
  std::vector<Handle> stale{first};
  for (std::uint32_t i = 0; i < GuestInstance::kMaxGeneration + 10; ++i) {
    const Handle next = *roomy.MessageNew(bytes("next"));
    for (Handle old : {stale.front(), stale.back()}) {
      ASSERT_FALSE(roomy.MessageData(old)) << "reuse " << i << ": stale handle " << old << " came back";
    }
    stale.push_back(next);
    ASSERT_TRUE(roomy.MessageDrop(next));
  }
  std::ranges::sort(stale);
  EXPECT_EQ(std::ranges::unique(stale).begin(), stale.end()) << "no handle value is ever handed out twice";
  EXPECT_EQ(roomy.Size(), 0u);
}

TEST_F(GuestTableTest, AMessageResourceIsBoundedInBytesAndEntries) {
  expect_trap(instance.MessageNew(std::vector<std::uint8_t>(101, 'x')), "max_message_bytes");
  const Handle m = *instance.MessageNew(std::vector<std::uint8_t>(100, 'x'));  // at the limit
  expect_trap(instance.MessageSetContentType(m, "t"), "max_message_bytes");
  ASSERT_TRUE(instance.MessageSetData(m, bytes("0123456789")));  // 10 bytes
  expect_trap(instance.MessageSetData(m, std::vector<std::uint8_t>(101, 'x')), "max_message_bytes");
  EXPECT_EQ(*instance.MessageData(m), bytes("0123456789")) << "a trapped call changed nothing";
  ASSERT_TRUE(instance.MessageAddMetadata(m, "a", std::string(88, 'v')));  // 10 + 1 + 88 = 99
  ASSERT_TRUE(instance.MessageAddMetadata(m, "a", std::string(89, 'v')));  // 100: an overwrite counts once
  expect_trap(instance.MessageAddMetadata(m, "a", std::string(90, 'v')), "max_message_bytes");
  expect_trap(instance.MessageAddMetadata(m, "b", ""), "max_message_bytes");
  ASSERT_TRUE(instance.MessageAddMetadata(m, "a", "1"));
  ASSERT_TRUE(instance.MessageAddMetadata(m, "b", "2"));
  ASSERT_TRUE(instance.MessageAddMetadata(m, "c", "3"));  // 3 entries: at the limit
  expect_trap(instance.MessageAddMetadata(m, "d", "4"), "max_metadata_entries");
  ASSERT_TRUE(instance.MessageAddMetadata(m, "c", "33")) << "replacing a value adds no entry";
  const types::Metadata four{{"w", "1"}, {"x", "2"}, {"y", "3"}, {"z", "4"}};
  expect_trap(instance.MessageSetMetadata(m, four), "max_metadata_entries");
  const types::Metadata duplicates{{"w", "1"}, {"x", "2"}, {"w", "3"}, {"y", "4"}};
  ASSERT_TRUE(instance.MessageSetMetadata(m, duplicates)) << "three distinct keys once duplicates collapse";
  EXPECT_EQ(**instance.MessageMetadata(m), (types::Metadata{{"w", "3"}, {"x", "2"}, {"y", "4"}}));
}

TEST_F(GuestTableTest, AStringArgumentThatIsNotUtf8Traps) {
  const Handle m = *instance.MessageNew(bytes("m"));
  const std::string bad = "\xc3\x28";
  expect_trap(instance.ClientConnect(bad), "UTF-8");
  expect_trap(instance.MessageSetContentType(m, bad), "UTF-8");
  expect_trap(instance.MessageAddMetadata(m, bad, "v"), "UTF-8");
  expect_trap(instance.MessageAddMetadata(m, "k", bad), "UTF-8");
  expect_trap(instance.MessageRemoveMetadata(m, bad), "UTF-8");
  const types::Metadata bad_list{{"k", bad}};
  expect_trap(instance.MessageSetMetadata(m, bad_list), "UTF-8");
  const Handle client = **instance.ClientConnect("inproc");
  expect_trap(instance.ProducerSend(client, bad, *instance.MessageNew(bytes("x"))), "UTF-8");
  expect_trap(instance.RequestReplyRequest(client, bad, m, std::nullopt), "UTF-8");
  EXPECT_FALSE(*instance.MessageMetadata(m)) << "nothing was stored";
}

}  // namespace
}  // namespace wasi::messaging
