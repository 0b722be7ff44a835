// The harness: manual and threaded modes, driving guests directly, the test as a producer.

#include <wasi/messaging/producer.hpp>
#include <wasi/messaging/request_reply.hpp>
#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>

namespace wasmq::testkit {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace host = wasmq::host;
namespace types = wasi::messaging::types;
using types::Error;

std::shared_ptr<FunctionGuest> accepting() {
  return guest_from([](types::Message&&) -> std::expected<void, Error> { return {}; });
}

TEST(HarnessTest, ManualModeRunsNothingUntilTheTestSaysSo) {
  Harness harness;
  auto guest = accepting();
  auto subscription = harness.subscribe(guest, {.topic = "orders.*"});
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(harness.publish("orders.new", "1"));
  EXPECT_EQ(guest->calls(), 0u);
  EXPECT_GT(harness.run_until_idle(), 0u);
  EXPECT_EQ(guest->calls(), 1u);
}

TEST(HarnessTest, AdvanceMovesTheClockToRedeliveries) {
  Harness harness;
  auto guest = guest_from([calls = 0](types::Message&&) mutable -> std::expected<void, Error> {
    if (++calls == 1) return std::unexpected(Error::Timeout());
    return {};
  });
  auto subscription = harness.subscribe(guest, {.topic = "work", .outcome = {.retry_delay = 2s}});
  ASSERT_TRUE(harness.publish("work", "job"));
  harness.run_until_idle();
  EXPECT_EQ(guest->calls(), 1u);
  harness.advance(1999ms);
  EXPECT_EQ(guest->calls(), 1u);
  harness.advance(1ms);
  EXPECT_EQ(guest->calls(), 2u);
  EXPECT_EQ(harness.now() - harness.traffic().events().front().time, 2s);
}

TEST(HarnessTest, ManualOnlyCallsRefuseTheThreadedMode) {
  Harness harness({.threads = 1});
  EXPECT_FALSE(harness.manual());
  EXPECT_THROW(harness.run_until_idle(), std::logic_error);
  EXPECT_THROW(harness.advance(1s), std::logic_error);
}

// A guest that publishes the next link of a chain: when wait_for_idle returns, the whole chain
// must have run — it counts outstanding work, it does not wait for a quiet spell.
TEST(HarnessTest, ThreadedWaitForIdleReturnsOnlyWhenAllWorkIsDone) {
  Harness harness({.threads = 2});
  constexpr int links = 200;
  std::atomic<int> handled{0};
  auto guest = guest_from([&](types::Message&& message) -> std::expected<void, Error> {
    const int link = std::stoi(text_of(message));
    handled.fetch_add(1, std::memory_order_relaxed);
    if (link == links) return {};
    auto client = types::Client::Connect("inproc");
    if (!client) return std::unexpected(client.error());
    return wasi::messaging::producer::Send(*client, "chain", message_of(std::to_string(link + 1)));
  });
  auto subscription = harness.subscribe(guest, {.topic = "chain"});
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(harness.publish("chain", "1"));
  ASSERT_TRUE(harness.wait_for_idle(30s));
  EXPECT_EQ(handled.load(std::memory_order_relaxed), links);
  EXPECT_EQ(harness.traffic().count(TrafficKind::accepted), static_cast<std::size_t>(links));
}

TEST(HarnessTest, ThreadedWaitForIdleDoesNotWaitForTimersDueLater) {
  Harness harness({.threads = 1});
  auto guest =
      guest_from([](types::Message&&) -> std::expected<void, Error> { return std::unexpected(Error::Timeout()); });
  auto subscription = harness.subscribe(guest, {.topic = "later", .outcome = {.retry_delay = 1h}});
  ASSERT_TRUE(harness.publish("later", "x"));
  // The release is due in an hour (and the lock sweeper in 30 s): neither is outstanding work.
  EXPECT_TRUE(harness.wait_for_idle(30s));
  EXPECT_EQ(guest->calls(), 1u);
}

TEST(HarnessTest, ThreadedWaitForIdleWaitsOutAConsumersIdlePoll) {
  Harness harness({.threads = 1});
  auto guest = accepting();
  // Once its queue is empty the consumer keeps itself scheduled for 5 ms; that is work, and then
  // it must end (the consumer parks), or the harness would never be idle.
  auto subscription = harness.subscribe(guest, {.topic = "a", .consumer = {.idle_poll = std::chrono::milliseconds(5)}});
  ASSERT_TRUE(harness.publish("a", "x"));
  EXPECT_TRUE(harness.wait_for_idle(30s));
  EXPECT_EQ(guest->calls(), 1u);
}

TEST(HarnessTest, DeliverReportsHowTheHostWouldSettle) {
  Harness harness;
  std::expected<void, Error> next;
  auto guest = guest_from([&](types::Message&&) { return next; });

  next = {};
  EXPECT_TRUE(harness.deliver(*guest, "t", "x").accepted());
  next = std::unexpected(Error::Timeout());
  auto released = harness.deliver(*guest, "t", "x");
  EXPECT_TRUE(released.released());
  EXPECT_EQ(released.retry_delay, 1s);
  EXPECT_EQ(describe(released), "released after 1.000s: timeout");
  next = std::unexpected(Error::Connection("down"));
  EXPECT_TRUE(harness.deliver(*guest, "t", "x").released());
  next = std::unexpected(Error::PermissionDenied("no"));
  EXPECT_TRUE(harness.deliver(*guest, "t", "x").rejected());
  next = std::unexpected(Error::Other("bad"));
  EXPECT_TRUE(harness.deliver(*guest, "t", "x").released());
  auto rejected = harness.deliver(*guest, "t", "x", {.policy = {.reject_other = true}});
  EXPECT_TRUE(rejected.rejected());
  EXPECT_EQ(rejected.error, Error::Other("bad"));
}

TEST(HarnessTest, DeliverReportsAThrowingHandleAsFailed) {
  Harness harness;
  auto guest = guest_from([](types::Message&&) -> std::expected<void, Error> { throw std::runtime_error("boom"); });
  auto outcome = harness.deliver(*guest, "t", "x");
  EXPECT_TRUE(outcome.failed());
  EXPECT_EQ(describe(outcome), "failed: threw boom");
}

TEST(HarnessTest, DeliverGivesTheGuestTopicMetadataAndItsContext) {
  Harness harness;
  std::string seen;
  auto guest = guest_from([&](types::Message&& message) -> std::expected<void, Error> {
    seen = *message.Topic() + " " + text_of(message) + " " + std::get<1>(message.Metadata()->front()) + " " +
           host::CurrentGuest()->identity;
    return {};
  });
  harness.deliver(*guest, "orders.new", "17", {.metadata = {{"k", "v"}}, .as = harness.guest("shop")});
  EXPECT_EQ(seen, "orders.new 17 v shop");
}

TEST(HarnessTest, DeliverWithAReplyAddressCapturesTheReplies) {
  Harness harness;
  auto guest = guest_from([](types::Message&& request) -> std::expected<void, Error> {
    return wasi::messaging::request_reply::Reply(request, message_of("pong"));
  });
  EXPECT_TRUE(harness.deliver(*guest, "ping", "?", {.reply_to = "replies.1"}).accepted());
  EXPECT_THAT(harness.traffic().of_kind(TrafficKind::sent),
              ElementsAre(AllOf(OnTopic("replies.1"), WithPayload("pong"))));
  // Without a reply address the guest's Reply fails, as it would under a host.
  EXPECT_TRUE(harness.deliver(*guest, "ping", "?").released());
}

TEST(HarnessTest, TheTestPublishesAsProducerTest) {
  Harness harness;
  ASSERT_TRUE(harness.broker().declare_queue("q"));
  ASSERT_TRUE(harness.publish("q", "hello", {{"k", "v"}}));
  EXPECT_THAT(harness.traffic().events(),
              ElementsAre(AllOf(OfKind(TrafficKind::sent), WithPayload("hello"), WithMetadata("k", "v")),
                          OfKind(TrafficKind::published)));
  EXPECT_EQ(harness.traffic().events()[1].producer, "test");
}

TEST(HarnessTest, FillStopsWhenTheQueueRefuses) {
  Harness harness;
  ASSERT_TRUE(harness.broker().declare_queue("bounded", {.max_length = 5}));
  EXPECT_EQ(harness.fill("bounded"), 5u);
  EXPECT_EQ(harness.traffic().count(TrafficKind::refused), 1u);
  auto refused = harness.publish("bounded", "one more");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::queue_full);
}

TEST(HarnessTest, FillStopsWhenTheQueueStartsDroppingItsOldest) {
  Harness harness;
  ASSERT_TRUE(harness.broker().declare_queue("ring", {.max_length = 3, .overflow = OverflowPolicy::drop_oldest}));
  EXPECT_EQ(harness.fill("ring"), 4u);
  EXPECT_EQ(harness.traffic().count(TrafficKind::dropped), 1u);
}

TEST(HarnessTest, FillRefusesAnUnboundedOrUnknownQueue) {
  Harness harness;
  ASSERT_TRUE(harness.broker().declare_queue("unbounded"));
  auto unbounded = harness.fill("unbounded", "x", 100);
  ASSERT_FALSE(unbounded);
  EXPECT_THAT(unbounded.error().message(), HasSubstr("took 100 messages without refusing"));
  auto unknown = harness.fill("nobody.listens");
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message(), HasSubstr("nothing receives"));
}

TEST(HarnessTest, GuestsConnectByTheConfiguredNamesOnly) {
  Harness harness({.connection_names = {"orders-broker"}});
  auto scope = harness.as_guest();
  EXPECT_TRUE(types::Client::Connect("inproc"));
  EXPECT_TRUE(types::Client::Connect("inproc://test"));
  EXPECT_TRUE(types::Client::Connect("orders-broker"));
  auto unknown = types::Client::Connect("nats://elsewhere:4222");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().GetKind(), Error::Kind::kConnection);
}

TEST(HarnessTest, GuestContextsCarryTheirPermissions) {
  Harness harness;
  auto scope = harness.as_guest(harness.guest("limited", {.publish = {"mail.>"}, .subscribe = {}}));
  auto client = types::Client::Connect("inproc");
  ASSERT_TRUE(client);
  EXPECT_TRUE(wasi::messaging::producer::Send(*client, "mail.out", message_of("hi")));
  auto denied = wasi::messaging::producer::Send(*client, "orders.new", message_of("forged"));
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().GetKind(), Error::Kind::kPermissionDenied);
  auto subscribe = harness.subscribe(accepting(), {.topic = "mail.>"}, harness.guest("limited", {.subscribe = {}}));
  ASSERT_FALSE(subscribe);
  EXPECT_EQ(subscribe.error().GetKind(), Error::Kind::kPermissionDenied);
}

TEST(HarnessTest, AnObserverOfTheTestStillSeesEveryEvent) {
  struct Counter final : Observer {
    void on_event(const Event&) noexcept override { ++events; }
    std::atomic<int> events{0};
  };
  auto counter = std::make_shared<Counter>();
  Harness harness({.broker = {.observer = counter}});
  ASSERT_TRUE(harness.broker().declare_queue("q"));
  ASSERT_TRUE(harness.publish("q", "x"));
  EXPECT_EQ(counter->events.load(), 1);
  EXPECT_EQ(harness.traffic().count(TrafficKind::published), 1u);
}

}  // namespace
}  // namespace wasmq::testkit
