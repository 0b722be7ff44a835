// wasi:messaging/producer: send, its permission check and each of its errors.

#include "facade/facade_fixture.hpp"

#include <array>
#include <thread>

namespace wasi::messaging {

namespace host = ::wasmq::host;  // the host layer, by its short name
namespace {

using namespace std::chrono_literals;
using testing_support::bytes;
using testing_support::FacadeTest;
using types::Error;

using SendTest = FacadeTest;

TEST_F(SendTest, DeliversDataContentTypeAndMetadataInOrder) {
  host::ScopedGuest scope(guest);
  ASSERT_TRUE(broker.declare_queue("orders"));
  auto receiver = broker.open_receiver("orders");
  types::Message message(bytes("{\"id\":1}"));
  message.SetContentType("application/json");
  message.AddMetadata("z", "1");
  message.AddMetadata("a", "2");
  ASSERT_TRUE(producer::Send(connect(), "orders", std::move(message)));
  auto delivery = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(delivery);
  const wasmq::SharedMessage& received = delivery->message();
  EXPECT_EQ(received.topic(), "orders");
  EXPECT_EQ(received.payload().as_string(), "{\"id\":1}");
  EXPECT_EQ(received.content_type(), "application/json");
  EXPECT_EQ(received.metadata(), (wasmq::Metadata{{"z", "1"}, {"a", "2"}}));
}

TEST_F(SendTest, LargeDataReachesTheBrokerWithoutACopy) {
  host::ScopedGuest scope(guest);
  ASSERT_TRUE(broker.declare_queue("q"));
  auto receiver = broker.open_receiver("q");
  types::Message message(bytes(std::string(wasmq::Payload::inline_capacity + 1, 'p')));
  const std::uint8_t* data = message.DataView().data();
  ASSERT_TRUE(producer::Send(connect(), "q", std::move(message)));
  EXPECT_EQ(receiver->receive(wasmq::Duration::zero())->message().payload().bytes().data(), data);
}

TEST_F(SendTest, SmallDataTravelsInline) {
  host::ScopedGuest scope(guest);
  ASSERT_TRUE(broker.declare_queue("q"));
  auto receiver = broker.open_receiver("q");
  const std::string text(wasmq::Payload::inline_capacity, 'p');
  ASSERT_TRUE(producer::Send(connect(), "q", types::Message(bytes(text))));
  const wasmq::Payload payload = receiver->receive(wasmq::Duration::zero())->message().share_payload();
  EXPECT_TRUE(payload.is_inline());
  EXPECT_EQ(payload.as_string(), text);
}

TEST_F(SendTest, AnInvalidTopicIsAnOtherError) {
  host::ScopedGuest scope(guest);
  auto client = connect();
  for (std::string_view topic : {"", "a..b", "has space", "orders.*", "orders.>"}) {
    auto sent = producer::Send(client, topic, types::Message(bytes("x")));
    ASSERT_FALSE(sent) << topic;
    EXPECT_EQ(sent.error().GetKind(), Error::Kind::kOther) << topic;
    EXPECT_NE(sent.error().Message().find("invalid topic"), std::string::npos);
  }
}

TEST_F(SendTest, PublishPermissionsFollowWildcards) {
  auto scope = as_guest({.publish = {"orders.*", "audit.>"}});
  auto client = connect();
  EXPECT_TRUE(producer::Send(client, "orders.new", types::Message(bytes("ok"))));
  EXPECT_TRUE(producer::Send(client, "audit.a.b.c", types::Message(bytes("ok"))));
  for (std::string_view denied : {"orders", "orders.new.eu", "billing.x", "audit"}) {
    auto sent = producer::Send(client, denied, types::Message(bytes("no")));
    ASSERT_FALSE(sent) << denied;
    EXPECT_EQ(sent.error().GetKind(), Error::Kind::kPermissionDenied) << denied;
    EXPECT_NE(sent.error().Message().find("limited-guest"), std::string::npos);
    EXPECT_NE(sent.error().Message().find(std::string(denied)), std::string::npos);
  }
  EXPECT_EQ(broker.stats().published, 2u) << "denied sends never reach the broker";
}

TEST_F(SendTest, AGuestWithoutPermissionsMaySendNothing) {
  auto scope = as_guest(host::Permissions::None());
  EXPECT_EQ(producer::Send(connect(), "anything", types::Message(bytes("x"))).error().GetKind(),
            Error::Kind::kPermissionDenied);
}

TEST_F(SendTest, AFullQueueIsAnOtherErrorNamingTheQueue) {
  host::ScopedGuest scope(guest);
  ASSERT_TRUE(broker.declare_queue("small", {.max_length = 1}));
  auto client = connect();
  ASSERT_TRUE(producer::Send(client, "small", types::Message(bytes("1"))));
  auto full = producer::Send(client, "small", types::Message(bytes("2")));
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().GetKind(), Error::Kind::kOther);
  EXPECT_NE(full.error().Message().find("queue_full"), std::string::npos) << full.error().Message();
  EXPECT_NE(full.error().Message().find("small"), std::string::npos);
}

TEST_F(SendTest, AQueueThatStaysFullIsATimeout) {
  host::ScopedGuest scope(guest);
  ASSERT_TRUE(
      broker.declare_queue("slow", {.max_length = 1, .overflow = wasmq::OverflowPolicy::block, .block_timeout = 10ms}));
  auto client = connect();
  ASSERT_TRUE(producer::Send(client, "slow", types::Message(bytes("1"))));
  EXPECT_EQ(producer::Send(client, "slow", types::Message(bytes("2"))).error(), Error::Timeout());
}

TEST_F(SendTest, AnOversizedPayloadIsAnOtherError) {
  wasmq::Broker small(runtime, {.max_message_bytes = 4});
  auto tiny = std::make_shared<host::ConnectionRegistry>();
  tiny->AddBroker("tiny", small);
  host::ScopedGuest scope(std::make_shared<host::GuestContext>(host::GuestContext{"g", {}, tiny}));
  auto sent = producer::Send(connect(), "x", types::Message(bytes("12345")));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().GetKind(), Error::Kind::kOther);
  EXPECT_NE(sent.error().Message().find("payload_too_large"), std::string::npos);
}

TEST_F(SendTest, SendingAfterDisconnectIsAConnectionError) {
  host::ScopedGuest scope(guest);
  auto client = connect();
  ASSERT_TRUE(client.Disconnect());
  auto sent = producer::Send(client, "q", types::Message(bytes("x")));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().GetKind(), Error::Kind::kConnection);
  types::Client moved = std::move(client);
  EXPECT_EQ(
      producer::Send(client, "q", types::Message(bytes("x"))).error().GetKind(),  // NOLINT(bugprone-use-after-move)
      Error::Kind::kConnection);
}

TEST_F(SendTest, SendingToAShutDownBrokerIsAConnectionError) {
  host::ScopedGuest scope(guest);
  auto client = connect();
  broker.shutdown();
  auto sent = producer::Send(client, "q", types::Message(bytes("x")));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().GetKind(), Error::Kind::kConnection);
}

TEST_F(SendTest, AClientKeepsTheGuestThatConnectedIt) {
  types::Client client = [&] {
    auto scope = as_guest({.publish = {"allowed"}});
    return connect();
  }();
  // No guest is current now; the client still carries its guest's permissions.
  EXPECT_TRUE(producer::Send(client, "allowed", types::Message(bytes("x"))));
  EXPECT_EQ(producer::Send(client, "other", types::Message(bytes("x"))).error().GetKind(),
            Error::Kind::kPermissionDenied);
}

// A thread remembers the last (client, topic) it was permitted to publish; these check that the
// permit never outlives what it was granted for.

TEST_F(SendTest, APermitIsNotCarriedOverToAnotherGuestsClient) {
  const auto trusted = guest;  // as_guest replaces the fixture's guest
  for (int i = 0; i < 3; ++i) {
    {
      // Permitted, then freed: the limited client below is made in its place (the same size of
      // block from the same thread), where a permit kept by address would be found again.
      host::ScopedGuest scope(trusted);
      ASSERT_TRUE(producer::Send(connect(), "orders.x", types::Message(bytes("ok")))) << i;
    }
    auto scope = as_guest({.publish = {"audit"}});
    auto sent = producer::Send(connect(), "orders.x", types::Message(bytes("no")));
    ASSERT_FALSE(sent) << i;
    EXPECT_EQ(sent.error().GetKind(), Error::Kind::kPermissionDenied) << i;
  }
  EXPECT_EQ(broker.stats().published, 3u);
}

TEST_F(SendTest, APermittedTopicIsComparedWhole) {
  auto scope = as_guest({.publish = {"orders"}});
  auto client = connect();
  ASSERT_TRUE(producer::Send(client, "orders", types::Message(bytes("ok"))));
  for (std::string_view denied : {"order", "orders.x", "ordersx", "Orders"}) {
    auto sent = producer::Send(client, denied, types::Message(bytes("no")));
    ASSERT_FALSE(sent) << denied;
    EXPECT_EQ(sent.error().GetKind(), Error::Kind::kPermissionDenied) << denied;
  }
  EXPECT_TRUE(producer::Send(client, "orders", types::Message(bytes("ok"))));
}

TEST_F(SendTest, ADisconnectIsSeenByTheNextSendToARepeatedTopic) {
  host::ScopedGuest scope(guest);
  auto client = connect();
  ASSERT_TRUE(producer::Send(client, "q", types::Message(bytes("1"))));
  ASSERT_TRUE(client.Disconnect());
  EXPECT_EQ(producer::Send(client, "q", types::Message(bytes("2"))).error().GetKind(), Error::Kind::kConnection);
}

TEST_F(SendTest, AClientSharedByThreadsChecksEachThreadsTopics) {
  auto scope = as_guest({.publish = {"allowed.*"}});
  const auto client = connect();
  constexpr int sends = 2000;
  auto send_alternately = [&client](std::string_view allowed, int& accepted, int& denied) {
    for (int i = 0; i < sends; ++i) {
      auto sent =
          producer::Send(client, i % 2 == 0 ? allowed : std::string_view("denied.x"), types::Message(bytes("x")));
      if (sent) ++accepted;
      if (!sent && sent.error().GetKind() == Error::Kind::kPermissionDenied) ++denied;
    }
  };
  std::array<int, 2> accepted{};
  std::array<int, 2> denied{};
  std::thread other([&] { send_alternately("allowed.b", accepted[1], denied[1]); });
  send_alternately("allowed.a", accepted[0], denied[0]);
  other.join();
  for (std::size_t t = 0; t < 2; ++t) {
    EXPECT_EQ(accepted.at(t), sends / 2) << t;
    EXPECT_EQ(denied.at(t), sends / 2) << t;
  }
  EXPECT_EQ(broker.stats().published, std::uint64_t{sends});
}

}  // namespace
}  // namespace wasi::messaging
