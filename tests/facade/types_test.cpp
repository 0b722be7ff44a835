// wasi:messaging/types: message, error, client.

#include "facade/facade_fixture.hpp"

#include <memory>
#include <sstream>
#include <thread>

namespace wasi::messaging {

namespace host = ::wasmq::host;  // the host layer, by its short name
namespace {

using testing_support::bytes;
using testing_support::FacadeTest;
using types::Error;

TEST(MessageTest, HoldsItsDataAndHasNoTopicUntilDelivered) {
  types::Message message(bytes("hello"));
  EXPECT_EQ(message.Data(), bytes("hello"));
  EXPECT_FALSE(message.Topic()) << "only the host sets the topic, on delivered messages";
  EXPECT_FALSE(message.ContentType());
  EXPECT_FALSE(message.Metadata());
}

TEST(MessageTest, SetDataReplacesTheData) {
  types::Message message(bytes("old"));
  message.SetData(bytes("new data"));
  EXPECT_EQ(message.Data(), bytes("new data"));
  message.SetData({});
  EXPECT_TRUE(message.Data().empty());
}

TEST(MessageTest, ContentTypeIsSetAndReplaced) {
  types::Message message(bytes(""));
  message.SetContentType("text/plain");
  EXPECT_EQ(message.ContentType(), "text/plain");
  message.SetContentType("application/json");
  EXPECT_EQ(message.ContentType(), "application/json");
}

TEST(MessageTest, MetadataKeepsInsertionOrderAndAddOverwritesInPlace) {
  types::Message message(bytes(""));
  message.AddMetadata("b", "1");
  message.AddMetadata("a", "2");
  message.AddMetadata("b", "3");
  EXPECT_EQ(message.Metadata(), (types::Metadata{{"b", "3"}, {"a", "2"}}));
}

TEST(MessageTest, SetMetadataReplacesAllAndRemoveIgnoresMissingKeys) {
  types::Message message(bytes(""));
  message.AddMetadata("old", "x");
  const types::Metadata replacement{{"k1", "v1"}, {"k2", "v2"}};
  message.SetMetadata(replacement);
  EXPECT_EQ(message.Metadata(), replacement);
  message.RemoveMetadata("missing");
  EXPECT_EQ(message.Metadata(), replacement);
  message.RemoveMetadata("k1");
  EXPECT_EQ(message.Metadata(), (types::Metadata{{"k2", "v2"}}));
  message.RemoveMetadata("k2");
  EXPECT_FALSE(message.Metadata()) << "no metadata left";
}

TEST(ErrorTest, CasesCarryTheirText) {
  EXPECT_EQ(Error::Timeout().GetKind(), Error::Kind::kTimeout);
  EXPECT_TRUE(Error::Timeout().Message().empty());
  EXPECT_EQ(Error::Connection("c").GetKind(), Error::Kind::kConnection);
  EXPECT_EQ(Error::PermissionDenied("p").Message(), "p");
  EXPECT_EQ(Error::Other("o").GetKind(), Error::Kind::kOther);
  EXPECT_EQ(types::ToString(Error::Kind::kPermissionDenied), "permission-denied");
  EXPECT_EQ(types::ToString(Error::Kind::kTimeout), "timeout");
}

using ClientTest = FacadeTest;

TEST_F(ClientTest, ConnectResolvesInprocNames) {
  host::ScopedGuest scope(guest);
  EXPECT_TRUE(types::Client::Connect("inproc"));
  EXPECT_TRUE(types::Client::Connect("inproc://main"));
}

TEST_F(ClientTest, AnUnknownNameIsAConnectionErrorThatListsTheKnownOnes) {
  host::ScopedGuest scope(guest);
  auto client = types::Client::Connect("nats://elsewhere:4222");
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().GetKind(), Error::Kind::kConnection);
  EXPECT_NE(client.error().Message().find("nats://elsewhere:4222"), std::string::npos);
  EXPECT_NE(client.error().Message().find("inproc://main"), std::string::npos) << client.error().Message();
}

TEST_F(ClientTest, ConnectOutsideAGuestContextIsAConnectionError) {
  auto client = types::Client::Connect("inproc");
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().GetKind(), Error::Kind::kConnection);
  EXPECT_NE(client.error().Message().find("no guest context"), std::string::npos);
}

TEST_F(ClientTest, ScopedGuestRestoresThePreviousGuest) {
  {
    host::ScopedGuest outer(guest);
    {
      auto inner_guest = std::make_shared<host::GuestContext>(host::GuestContext{"inner", {}, registry});
      host::ScopedGuest inner(inner_guest);
      EXPECT_EQ(host::CurrentGuest()->identity, "inner");
    }
    EXPECT_EQ(host::CurrentGuest()->identity, "test-guest");
  }
  EXPECT_EQ(host::CurrentGuest(), nullptr);
}

TEST_F(ClientTest, NestedScopesKeepNoGuestAliveOnceTheyEnd) {
  // A context kept by the thread after its scopes would keep its registry's backends past the
  // brokers they publish to.
  auto outer_guest = std::make_shared<host::GuestContext>(host::GuestContext{"outer", {}, registry});
  const std::weak_ptr<const host::GuestContext> watched = outer_guest;
  {
    host::ScopedGuest outer(std::move(outer_guest));
    host::ScopedGuest inner(guest);  // saves "outer" to restore it
  }
  EXPECT_EQ(host::CurrentGuest(), nullptr);
  EXPECT_TRUE(watched.expired());
}

TEST_F(ClientTest, ScopedGuestsThatEndOutOfOrderLeaveAGuestThatIsStillAlive) {
  // On a thread of its own: scopes ended out of order leave a guest current on their thread.
  std::thread([this] {
    auto first = std::make_unique<host::ScopedGuest>(
        std::make_shared<host::GuestContext>(host::GuestContext{"first", {}, registry}));
    auto second = std::make_unique<host::ScopedGuest>(
        std::make_shared<host::GuestContext>(host::GuestContext{"second", {}, registry}));
    first.reset();  // not the innermost: the thread goes back to what was current before it
    EXPECT_EQ(host::CurrentGuest(), nullptr);
    second.reset();  // restores "first", which no scope keeps alive any more
    ASSERT_NE(host::CurrentGuest(), nullptr);
    EXPECT_EQ(host::CurrentGuest()->identity, "first");
  }).join();
}

TEST_F(ClientTest, DisconnectEndsTheClientOnce) {
  host::ScopedGuest scope(guest);
  auto client = connect();
  EXPECT_TRUE(client.Disconnect());
  auto again = client.Disconnect();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().GetKind(), Error::Kind::kConnection);
  types::Client moved = std::move(client);
  EXPECT_EQ(client.Disconnect().error().GetKind(), Error::Kind::kConnection);  // NOLINT(bugprone-use-after-move)
}

TEST_F(ClientTest, EachBrokerHasItsOwnName) {
  wasmq::Broker second(runtime);
  auto two = std::make_shared<host::ConnectionRegistry>();
  two->AddBroker("first", broker);
  two->AddBroker("second", second);
  host::ScopedGuest scope(std::make_shared<host::GuestContext>(host::GuestContext{"g", {}, two}));
  ASSERT_TRUE(broker.declare_queue("q"));
  ASSERT_TRUE(second.declare_queue("q"));
  ASSERT_TRUE(producer::Send(connect("inproc://second"), "q", types::Message(bytes("2"))));
  ASSERT_TRUE(producer::Send(connect("inproc"), "q", types::Message(bytes("1"))));
  EXPECT_EQ(broker.queue_stats("q")->depth, 1u) << "\"inproc\" is the first broker registered";
  EXPECT_EQ(second.queue_stats("q")->depth, 1u);
}

TEST(ErrorPrinting, FacadeErrorsPrintTheirKindAndText) {
  std::ostringstream timeout;
  timeout << Error::Timeout();
  EXPECT_EQ(timeout.str(), "timeout");
  std::ostringstream denied;
  denied << Error::PermissionDenied("topic 'x'");
  EXPECT_EQ(denied.str(), "permission-denied: topic 'x'");
}

}  // namespace
}  // namespace wasi::messaging
