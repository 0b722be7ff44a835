// wasi:messaging/request-reply: the four option combinations, replies, errors, and requests made
// from inside a handler.

#include "facade/facade_fixture.hpp"

#include <condition_variable>
#include <mutex>

namespace wasi::messaging {

namespace host = ::wasmq::host;  // the host layer, by its short name
namespace {

using namespace std::chrono_literals;
using request_reply::RequestOptions;
using testing_support::bytes;
using testing_support::FacadeTest;
using testing_support::FunctionGuest;
using testing_support::responder;
using testing_support::text;
using types::Error;

RequestOptions options(std::optional<std::uint32_t> timeout_ms, std::optional<std::uint32_t> expected) {
  RequestOptions built;
  if (timeout_ms) built.SetTimeoutMs(*timeout_ms);
  if (expected) built.SetExpectedReplies(*expected);
  return built;
}

std::vector<std::string> texts(const std::vector<types::Message>& messages) {
  std::vector<std::string> out;
  for (const auto& message : messages) out.push_back(text(message));
  return out;
}

class RequestTest : public FacadeTest {
 protected:
  std::expected<std::vector<types::Message>, Error> request(std::optional<RequestOptions> request_options,
                                                            std::string_view topic = "svc") {
    host::ScopedGuest scope(guest);
    return request_reply::Request(connect(), topic, types::Message(bytes("q")), std::move(request_options));
  }
  host::GuestSubscription serve(int replies) { return subscribe(responder(replies), {.topic = "svc"}); }
};

TEST_F(RequestTest, RequestOptionsRememberWhatWasSet) {
  RequestOptions empty;
  EXPECT_FALSE(empty.TimeoutMs());
  EXPECT_FALSE(empty.ExpectedReplies());
  auto both = options(250, 3);
  EXPECT_EQ(both.TimeoutMs(), 250u);
  EXPECT_EQ(both.ExpectedReplies(), 3u);
}

TEST_F(RequestTest, WithoutOptionsItReturnsTheFirstReply) {
  auto service = serve(3);
  auto replies = request(std::nullopt);
  ASSERT_TRUE(replies) << replies.error().Message();
  EXPECT_EQ(texts(*replies), std::vector<std::string>{"re:q#1"});
}

TEST_F(RequestTest, ATimeoutAloneReturnsEveryReplyThatArrivedInTime) {
  auto service = serve(3);
  const auto start = runtime.now();
  auto replies = request(options(100, std::nullopt));
  ASSERT_TRUE(replies);
  EXPECT_EQ(texts(*replies), (std::vector<std::string>{"re:q#1", "re:q#2", "re:q#3"}));
  EXPECT_EQ(runtime.now() - start, wasmq::Duration(100ms)) << "it waited out the timeout";
}

TEST_F(RequestTest, ATimeoutAloneWithNoReplyIsATimeoutError) {
  auto service = serve(0);
  auto replies = request(options(100, std::nullopt));
  ASSERT_FALSE(replies);
  EXPECT_EQ(replies.error(), Error::Timeout());
}

TEST_F(RequestTest, ATimeoutAndACountReturnAtTheCountIfItComesFirst) {
  auto service = serve(3);
  const auto start = runtime.now();
  auto replies = request(options(100, 2));
  ASSERT_TRUE(replies);
  EXPECT_EQ(texts(*replies), (std::vector<std::string>{"re:q#1", "re:q#2"}));
  EXPECT_EQ(runtime.now(), start) << "no waiting for the deadline";
}

TEST_F(RequestTest, ExactlyTheExpectedCountReturnsWithoutWaitingForTheDeadline) {
  auto service = serve(2);  // as many replies as expected, and not one more
  const auto start = runtime.now();
  auto replies = request(options(3'600'000, 2));
  ASSERT_TRUE(replies);
  EXPECT_EQ(texts(*replies), (std::vector<std::string>{"re:q#1", "re:q#2"}));
  EXPECT_EQ(runtime.now(), start) << "it returned at the count, not at the hour's deadline";
}

TEST_F(RequestTest, ATimeoutAndACountReturnWhatArrivedAtTheDeadline) {
  auto service = serve(2);
  const auto start = runtime.now();
  auto replies = request(options(100, 5));
  ASSERT_TRUE(replies);
  EXPECT_EQ(replies->size(), 2u);
  EXPECT_EQ(runtime.now() - start, wasmq::Duration(100ms));
}

TEST_F(RequestTest, ACountAloneWaitsForThatManyReplies) {
  auto service = serve(3);
  auto replies = request(options(std::nullopt, 3));
  ASSERT_TRUE(replies);
  EXPECT_EQ(replies->size(), 3u);
}

TEST_F(RequestTest, SeveralRespondersEachReply) {
  auto first = serve(1);
  auto second = serve(1);
  auto replies = request(options(50, std::nullopt));
  ASSERT_TRUE(replies);
  EXPECT_EQ(replies->size(), 2u);
}

TEST_F(RequestTest, ATopicNobodyServesFailsAtOnce) {
  const auto start = runtime.now();
  auto replies = request(options(5000, std::nullopt), "nobody.home");
  ASSERT_FALSE(replies);
  EXPECT_EQ(replies.error().GetKind(), Error::Kind::kOther);
  EXPECT_NE(replies.error().Message().find("no responders"), std::string::npos);
  EXPECT_EQ(runtime.now(), start) << "no waiting";
}

TEST_F(RequestTest, EachRequestHasItsOwnReplyAddressOnTheBackendsOneInbox) {
  auto service = serve(1);
  auto first = request(std::nullopt);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->front().Topic()->starts_with("_INBOX.")) << *first->front().Topic();
  const auto queues = broker.stats().queues.size();
  EXPECT_EQ(queues, 2u) << "the service's subscription and the inbox";
  auto second = request(std::nullopt);
  ASSERT_TRUE(second);
  EXPECT_NE(*first->front().Topic(), *second->front().Topic());
  EXPECT_EQ(broker.stats().queues.size(), queues) << "requests share one inbox subscription: no routing change each";
}

TEST_F(RequestTest, AReplyAfterTheRequestReturnedIsDropped) {
  auto service = serve(3);
  auto replies = request(options(std::nullopt, 1));
  ASSERT_TRUE(replies);
  EXPECT_EQ(replies->size(), 1u);
  runtime.run_until_idle();  // the two late replies reach the inbox and find nobody waiting
  auto next = request(options(std::nullopt, 3));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->size(), 3u);
  for (const auto& reply : *next) EXPECT_EQ(reply.Topic(), next->front().Topic()) << "no stale reply mixed in";
}

TEST_F(RequestTest, TheRequestMessageIsBorrowed) {
  auto service = serve(1);
  host::ScopedGuest scope(guest);
  types::Message message(bytes("keep"));
  message.AddMetadata("k", "v");
  ASSERT_TRUE(request_reply::Request(connect(), "svc", message, std::nullopt));
  EXPECT_EQ(text(message), "keep");
  EXPECT_EQ(message.Metadata()->size(), 1u);
}

TEST_F(RequestTest, ReplyNeedsAReplyAddress) {
  auto mine = request_reply::Reply(types::Message(bytes("not delivered")), types::Message(bytes("r")));
  ASSERT_FALSE(mine);
  EXPECT_EQ(mine.error().GetKind(), Error::Kind::kOther);
  EXPECT_NE(mine.error().Message().find("no reply address"), std::string::npos);

  std::optional<std::expected<void, Error>> reply_to_plain;
  auto plain = std::make_shared<FunctionGuest>([&](types::Message&& message) -> std::expected<void, Error> {
    reply_to_plain = request_reply::Reply(message, types::Message(bytes("r")));
    return {};
  });
  auto subscription = subscribe(plain, {.topic = "plain"});
  ASSERT_TRUE(broker.publish({.topic = "plain", .payload = wasmq::Payload::copy_of("not a request")}));
  runtime.run_until_idle();
  ASSERT_TRUE(reply_to_plain);
  EXPECT_EQ(reply_to_plain->error().GetKind(), Error::Kind::kOther) << "a delivered message that was no request";
}

TEST_F(RequestTest, RequestsAreCheckedLikeSends) {
  auto service = serve(1);
  EXPECT_EQ(request(std::nullopt, "svc.*").error().GetKind(), Error::Kind::kOther);
  EXPECT_EQ(request(options(10, 0)).error().GetKind(), Error::Kind::kOther) << "zero expected replies";
  {
    auto scope = as_guest({.publish = {"other"}});
    auto denied = request_reply::Request(connect(), "svc", types::Message(bytes("q")), std::nullopt);
    EXPECT_EQ(denied.error().GetKind(), Error::Kind::kPermissionDenied);
  }
  host::ScopedGuest scope(guest);
  auto client = connect();
  ASSERT_TRUE(client.Disconnect());
  EXPECT_EQ(request_reply::Request(client, "svc", types::Message(bytes("q")), std::nullopt).error().GetKind(),
            Error::Kind::kConnection);
}

TEST_F(RequestTest, AHandlerMayRequestWhileHandlingOnTheManualRuntime) {
  auto service = serve(1);
  std::optional<std::string> answer;
  auto front = std::make_shared<FunctionGuest>([&](types::Message&&) -> std::expected<void, Error> {
    auto client = types::Client::Connect("inproc");
    auto replies = request_reply::Request(*client, "svc", types::Message(bytes("inner")), options(1000, 1));
    if (!replies) return std::unexpected(replies.error());
    answer = text(replies->front());
    return {};
  });
  auto subscription = subscribe(front, {.topic = "front"});
  ASSERT_TRUE(broker.publish({.topic = "front", .payload = wasmq::Payload::copy_of("go")}));
  runtime.run_until_idle();
  EXPECT_EQ(answer, "re:inner#1");
}

TEST(RequestOnThreadsTest, AHandlerMayRequestWhileHandlingOnAOneThreadRuntime) {
  wasmq::ThreadPoolRuntime runtime(1);  // the handler and the responder share the only thread
  wasmq::Broker broker(runtime);
  auto registry = std::make_shared<host::ConnectionRegistry>();
  registry->AddBroker("main", broker);
  auto context = std::make_shared<host::GuestContext>(host::GuestContext{"threaded", {}, registry});

  std::mutex mutex;
  std::condition_variable cv;
  std::optional<std::string> answer;
  auto front = std::make_shared<FunctionGuest>([&](types::Message&&) -> std::expected<void, Error> {
    auto client = types::Client::Connect("inproc");
    auto replies = request_reply::Request(*client, "svc", types::Message(bytes("inner")), options(10000, 1));
    std::lock_guard lock(mutex);
    answer = replies ? text(replies->front()) : "error: " + replies.error().Message();
    cv.notify_all();
    return {};
  });
  auto service = host::SubscribeGuest(context, "inproc", responder(1), {.topic = "svc"});
  auto subscription = host::SubscribeGuest(context, "inproc", front, {.topic = "front"});
  ASSERT_TRUE(service && subscription);
  ASSERT_TRUE(broker.publish({.topic = "front", .payload = wasmq::Payload::copy_of("go")}));
  std::unique_lock lock(mutex);
  ASSERT_TRUE(cv.wait_for(lock, 20s, [&] { return answer.has_value(); }));
  EXPECT_EQ(answer, "re:inner#1");
}

TEST(RequestOnThreadsTest, AnOutsideThreadRequestsAcrossThePool) {
  wasmq::ThreadPoolRuntime runtime(2);
  wasmq::Broker broker(runtime);
  auto registry = std::make_shared<host::ConnectionRegistry>();
  registry->AddBroker("main", broker);
  auto context = std::make_shared<host::GuestContext>(host::GuestContext{"outside", {}, registry});
  auto service = host::SubscribeGuest(context, "inproc", responder(2), {.topic = "svc"});
  ASSERT_TRUE(service);
  host::ScopedGuest scope(context);
  auto client = types::Client::Connect("inproc");
  for (int i = 0; i < 50; ++i) {
    auto replies = request_reply::Request(*client, "svc", types::Message(bytes("q")), options(10000, 2));
    ASSERT_TRUE(replies) << replies.error().Message();
    ASSERT_EQ(replies->size(), 2u);
  }
}

}  // namespace
}  // namespace wasi::messaging
