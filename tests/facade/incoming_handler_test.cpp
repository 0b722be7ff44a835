// wasi:messaging/incoming-handler: the host subscribes a guest and settles by its result.

#include "facade/facade_fixture.hpp"

#include <wasmq/host/turn.hpp>

#include <gmock/gmock.h>

namespace wasi::messaging {

namespace host = ::wasmq::host;  // the host layer, by its short name
namespace {

using namespace std::chrono_literals;
using testing_support::bytes;
using testing_support::FacadeTest;
using testing_support::FunctionGuest;
using testing_support::text;
using types::Error;

using IncomingHandlerTest = FacadeTest;

TEST_F(IncomingHandlerTest, TheGuestGetsTheMessageWithItsTopicAndIsCurrentMeanwhile) {
  std::vector<std::string> seen;
  auto handler = std::make_shared<FunctionGuest>([&](types::Message&& message) -> std::expected<void, Error> {
    seen.push_back(*message.Topic() + "=" + text(message) + ";" + std::get<1>(message.Metadata()->front()) + ";" +
                   host::CurrentGuest()->identity);
    return {};
  });
  auto subscription = subscribe(handler, {.topic = "orders.*"});
  {
    host::ScopedGuest scope(guest);
    types::Message message(bytes("17"));
    message.AddMetadata("k", "v");
    ASSERT_TRUE(producer::Send(connect(), "orders.new", std::move(message)));
  }
  runtime.run_until_idle();
  EXPECT_EQ(seen, std::vector<std::string>{"orders.new=17;v;test-guest"});
  EXPECT_EQ(host::CurrentGuest(), nullptr);  // the delivery's turn is over
}

TEST_F(IncomingHandlerTest, AKeptMessageThatIsNotARequestDoesNotKeepItsBackendAlive) {
  // A message holds the backend that delivered it only to send a reply through it.
  auto own_registry = std::make_shared<host::ConnectionRegistry>();
  own_registry->AddBroker("own", broker);
  std::weak_ptr<host::Backend> backend = *own_registry->Resolve("inproc");
  auto own_guest = std::make_shared<host::GuestContext>(host::GuestContext{"keeper", {}, own_registry});
  std::vector<types::Message> kept;
  auto handler = std::make_shared<FunctionGuest>([&](types::Message&& message) -> std::expected<void, Error> {
    kept.push_back(std::move(message));
    return {};
  });
  auto subscription = host::SubscribeGuest(own_guest, "inproc", handler, {.topic = "kept"});
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(broker.publish({.topic = "kept", .payload = wasmq::Payload::copy_of("1")}));
  runtime.run_until_idle();
  ASSERT_EQ(kept.size(), 1u);
  subscription->Close();
  own_guest.reset();
  own_registry.reset();
  EXPECT_TRUE(backend.expired());
  host::ScopedGuest scope(guest);
  auto reply = request_reply::Reply(kept.front(), types::Message(bytes("no")));
  ASSERT_FALSE(reply);
  EXPECT_THAT(reply.error().Message(), ::testing::HasSubstr("no reply address"));
}

class OutcomeTest : public IncomingHandlerTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(broker.declare_queue("dead"));
    ASSERT_TRUE(broker.declare_queue("work", {.dead_letter = "dead"}));
  }
  void run_with(std::function<std::expected<void, Error>(int call)> outcome, host::OutcomePolicy policy = {}) {
    handler = std::make_shared<FunctionGuest>([this, outcome](types::Message&&) { return outcome(++calls); });
    subscription = subscribe(handler, {.topic = "work", .queue = true, .outcome = policy});
    ASSERT_TRUE(broker.publish({.topic = "work", .payload = wasmq::Payload::copy_of("job")}));
    runtime.run_until_idle();
  }
  wasmq::QueueStats work() { return *broker.queue_stats("work"); }
  int calls = 0;
  std::shared_ptr<FunctionGuest> handler;
  host::GuestSubscription subscription;
};

TEST_F(OutcomeTest, OkAccepts) {
  run_with([](int) -> std::expected<void, Error> { return {}; });
  EXPECT_EQ(work().accepted, 1u);
}

TEST_F(OutcomeTest, TimeoutAndConnectionReleaseForARetryAfterTheDelay) {
  run_with(
      [](int call) -> std::expected<void, Error> {
        if (call == 1) return std::unexpected(Error::Timeout());
        if (call == 2) return std::unexpected(Error::Connection("down"));
        return {};
      },
      {.retry_delay = 5s});
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(work().delayed, 1u);
  runtime.advance(5s);
  EXPECT_EQ(calls, 2);
  runtime.advance(5s);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(work().released, 2u);
  EXPECT_EQ(work().accepted, 1u);
}

TEST_F(OutcomeTest, PermissionDeniedRejectsWithTheErrorAsReason) {
  run_with([](int) -> std::expected<void, Error> { return std::unexpected(Error::PermissionDenied("not mine")); });
  EXPECT_EQ(work().rejected, 1u);
  auto dead = broker.open_receiver("dead");
  auto letter = dead->receive(wasmq::Duration::zero());
  ASSERT_TRUE(letter);
  EXPECT_EQ(letter->message().death()->detail, "not mine");
}

TEST_F(OutcomeTest, OtherReleasesByDefault) {
  run_with([](int) -> std::expected<void, Error> { return std::unexpected(Error::Other("later")); },
           {.retry_delay = 1s});
  EXPECT_EQ(work().released, 1u);
  EXPECT_EQ(work().rejected, 0u);
}

TEST_F(OutcomeTest, OtherRejectsWhenThePolicySaysSo) {
  run_with([](int) -> std::expected<void, Error> { return std::unexpected(Error::Other("bad input")); },
           {.reject_other = true});
  EXPECT_EQ(work().rejected, 1u);
}

TEST_F(OutcomeTest, AThrowingGuestIsAFailedDelivery) {
  run_with([](int call) -> std::expected<void, Error> {
    if (call == 1) throw std::runtime_error("guest bug");
    return {};
  });
  EXPECT_EQ(work().handler_failures, 1u);
  runtime.run_until_idle();
  EXPECT_EQ(work().accepted, 1u) << "retried";
}

TEST_F(IncomingHandlerTest, SubscribePermissionsCoverPatterns) {
  auto limited = std::make_shared<host::GuestContext>(
      host::GuestContext{"limited", {.publish = {}, .subscribe = {"orders.>"}}, registry});
  auto noop = std::make_shared<FunctionGuest>([](types::Message&&) -> std::expected<void, Error> { return {}; });
  for (std::string_view allowed : {"orders.*", "orders.eu.new", "orders.>"}) {
    EXPECT_TRUE(host::SubscribeGuest(limited, "inproc", noop, {.topic = std::string(allowed)})) << allowed;
  }
  for (std::string_view denied : {"billing.*", ">", "orders", "*.new"}) {
    auto refused = host::SubscribeGuest(limited, "inproc", noop, {.topic = std::string(denied)});
    ASSERT_FALSE(refused) << denied;
    EXPECT_EQ(refused.error().GetKind(), Error::Kind::kPermissionDenied) << denied;
  }
}

TEST_F(IncomingHandlerTest, BadSubscriptionsAreErrors) {
  auto noop = std::make_shared<FunctionGuest>([](types::Message&&) -> std::expected<void, Error> { return {}; });
  EXPECT_EQ(host::SubscribeGuest(guest, "inproc", noop, {.topic = "a.>.b"}).error().GetKind(), Error::Kind::kOther);
  auto undeclared = host::SubscribeGuest(guest, "inproc", noop, {.topic = "nowhere", .queue = true});
  ASSERT_FALSE(undeclared);
  EXPECT_NE(undeclared.error().Message().find("no_such_queue"), std::string::npos);
  EXPECT_EQ(host::SubscribeGuest(guest, "nats://x", noop, {.topic = "t"}).error().GetKind(), Error::Kind::kConnection);
  EXPECT_EQ(host::SubscribeGuest(guest, "inproc", nullptr, {.topic = "t"}).error().GetKind(), Error::Kind::kOther);
}

TEST_F(IncomingHandlerTest, ClosingTheSubscriptionStopsDeliveries) {
  int calls = 0;
  auto counting = std::make_shared<FunctionGuest>([&](types::Message&&) -> std::expected<void, Error> {
    ++calls;
    return {};
  });
  auto subscription = subscribe(counting, {.topic = "t"});
  ASSERT_TRUE(broker.publish({.topic = "t", .payload = wasmq::Payload::copy_of("1")}));
  runtime.run_until_idle();
  subscription.Close();
  EXPECT_FALSE(subscription.Active());
  auto receipt = broker.publish({.topic = "t", .payload = wasmq::Payload::copy_of("2")});
  runtime.run_until_idle();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(receipt->routed, 0u);
}

TEST_F(IncomingHandlerTest, AGuestCanSendWhileHandling) {
  ASSERT_TRUE(broker.declare_queue("out"));
  auto forwarder = std::make_shared<FunctionGuest>([](types::Message&& message) -> std::expected<void, Error> {
    auto client = types::Client::Connect("inproc");
    if (!client) return std::unexpected(client.error());
    return producer::Send(*client, "out", std::move(message));
  });
  auto subscription = subscribe(forwarder, {.topic = "in"});
  ASSERT_TRUE(broker.publish({.topic = "in", .payload = wasmq::Payload::copy_of("fwd")}));
  runtime.run_until_idle();
  auto out = broker.open_receiver("out");
  EXPECT_EQ(out->receive(wasmq::Duration::zero())->message().payload().as_string(), "fwd");
}

TEST(OneAtATimeTest, ADeliveryThatWouldReenterTheGuestOnItsOwnThreadIsRefused) {
  // The guest, inside a delivery, is handed a second one on the same thread (as a guest waiting
  // in a request is, while its thread helps the broker): it must not run inside the first.
  std::shared_ptr<incoming_handler::Guest> serial;
  int runs = 0;
  std::optional<std::expected<void, types::Error>> nested;
  serial = host::OneAtATime(std::make_shared<FunctionGuest>([&](types::Message&&) -> std::expected<void, types::Error> {
    ++runs;
    if (!nested) nested = serial->Handle(types::Message(bytes("second")));
    return {};
  }));

  EXPECT_TRUE(serial->Handle(types::Message(bytes("first"))));
  EXPECT_EQ(runs, 1);
  ASSERT_TRUE(nested);
  ASSERT_FALSE(*nested);
  EXPECT_EQ(nested->error().GetKind(), types::Error::Kind::kOther);

  // Out of the first delivery, the next one runs.
  EXPECT_TRUE(serial->Handle(types::Message(bytes("third"))));
  EXPECT_EQ(runs, 2);
}

}  // namespace
}  // namespace wasi::messaging
