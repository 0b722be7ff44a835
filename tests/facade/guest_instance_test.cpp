// Host bindings: a guest instance's resource table and its own/borrow rules, driven through
// canonical-ABI handles as a WebAssembly runtime would.

#include "facade/facade_fixture.hpp"

#include <wasmq/host/guest_instance.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace wasi::messaging {

namespace host = ::wasmq::host;  // the host layer, by its short name
namespace {

using host::GuestInstance;
using host::Handle;
using testing_support::bytes;
using testing_support::FacadeTest;
using testing_support::responder;
using types::Error;

class GuestInstanceTest : public FacadeTest {
 protected:
  GuestInstance instance{guest};

  Handle message(std::string_view text) { return *instance.MessageNew(bytes(text)); }
  Handle client() { return **instance.ClientConnect("inproc"); }
  template <class T>
  static void expect_trap(const host::Call<T>& call, std::string_view words) {
    ASSERT_FALSE(call.has_value()) << "expected a trap mentioning: " << words;
    EXPECT_NE(call.error().message.find(words), std::string::npos) << call.error().message;
  }
};

TEST_F(GuestInstanceTest, AMessageLivesInTheTableUntilDropped) {
  const Handle m = message("data");
  EXPECT_NE(m, 0u);
  ASSERT_TRUE(instance.MessageSetContentType(m, "text/plain"));
  ASSERT_TRUE(instance.MessageAddMetadata(m, "k", "v"));
  EXPECT_EQ(*instance.MessageContentType(m), "text/plain");
  EXPECT_EQ(*instance.MessageData(m), bytes("data"));
  EXPECT_EQ(**instance.MessageMetadata(m), (types::Metadata{{"k", "v"}}));
  EXPECT_FALSE(*instance.MessageTopic(m));
  ASSERT_TRUE(instance.MessageSetData(m, bytes("new")));
  const types::Metadata replacement{{"a", "b"}};
  ASSERT_TRUE(instance.MessageSetMetadata(m, replacement));
  ASSERT_TRUE(instance.MessageRemoveMetadata(m, "a"));
  EXPECT_FALSE(*instance.MessageMetadata(m));
  EXPECT_EQ(instance.Size(), 1u);
  ASSERT_TRUE(instance.MessageDrop(m));
  EXPECT_EQ(instance.Size(), 0u);
}

TEST_F(GuestInstanceTest, UseAfterDropAndDoubleDropTrap) {
  const Handle m = message("x");
  ASSERT_TRUE(instance.MessageDrop(m));
  expect_trap(instance.MessageData(m), "not a live resource");
  expect_trap(instance.MessageDrop(m), "not a live resource");
  expect_trap(instance.MessageData(0), "not a live resource");
  expect_trap(instance.MessageData(12345), "not a live resource");
}

TEST_F(GuestInstanceTest, AStaleHandleStaysInvalidWhenItsSlotIsReused) {
  const Handle first = message("first");
  ASSERT_TRUE(instance.MessageDrop(first));
  const Handle second = message("second");
  EXPECT_NE(first, second);
  expect_trap(instance.MessageData(first), "not a live resource");
  EXPECT_EQ(*instance.MessageData(second), bytes("second"));
}

TEST_F(GuestInstanceTest, AHandleOfTheWrongTypeTraps) {
  const Handle m = message("x");
  expect_trap(instance.ClientDisconnect(m), "is a message, not a client");
  expect_trap(instance.RequestOptionsSetTimeoutMs(m, 1), "is a message, not a request-options");
  const Handle c = client();
  expect_trap(instance.MessageData(c), "is a client, not a message");
  expect_trap(instance.ProducerSend(m, "t", c), "is a message, not a client");
  EXPECT_EQ(instance.Size(), 2u) << "nothing was taken by the failed calls";
}

TEST_F(GuestInstanceTest, SendTakesTheMessageAndBorrowsTheClient) {
  ASSERT_TRUE(broker.declare_queue("out"));
  const Handle c = client();
  const Handle m = message("payload");
  auto sent = instance.ProducerSend(c, "out", m);
  ASSERT_TRUE(sent);
  ASSERT_TRUE(*sent);
  expect_trap(instance.MessageData(m), "not a live resource");  // moved into the call
  EXPECT_TRUE(instance.ClientDisconnect(c).has_value()) << "the client was only borrowed";
  EXPECT_EQ(broker.queue_stats("out")->depth, 1u);
}

TEST_F(GuestInstanceTest, AnOwnedArgumentIsTakenEvenWhenTheCallFails) {
  const Handle c = client();
  const Handle m = message("x");
  auto sent = instance.ProducerSend(c, "bad topic", m);
  ASSERT_TRUE(sent) << "not a trap";
  EXPECT_EQ(sent->error().GetKind(), Error::Kind::kOther);
  expect_trap(instance.MessageDrop(m), "not a live resource");
}

TEST_F(GuestInstanceTest, ConnectReturnsWitErrorsNotTraps) {
  auto unknown = instance.ClientConnect("nats://nowhere");
  ASSERT_TRUE(unknown) << "an unknown name is the guest's error, not a trap";
  EXPECT_EQ(unknown->error().GetKind(), Error::Kind::kConnection);
  const Handle c = client();
  ASSERT_TRUE(*instance.ClientDisconnect(c));
  EXPECT_EQ(instance.ClientDisconnect(c)->error().GetKind(), Error::Kind::kConnection);
  ASSERT_TRUE(instance.ClientDrop(c));
  expect_trap(instance.ClientDrop(c), "not a live resource");
}

TEST_F(GuestInstanceTest, RequestBorrowsTheMessageTakesTheOptionsAndReturnsOwnedReplies) {
  auto service = subscribe(responder(2), {.topic = "svc"});
  const Handle c = client();
  const Handle m = message("q");
  const Handle options = *instance.RequestOptionsNew();
  ASSERT_TRUE(instance.RequestOptionsSetTimeoutMs(options, 100));
  ASSERT_TRUE(instance.RequestOptionsSetExpectedReplies(options, 2));
  auto replies = instance.RequestReplyRequest(c, "svc", m, options);
  ASSERT_TRUE(replies);
  ASSERT_TRUE(*replies);
  ASSERT_EQ((*replies)->size(), 2u);
  EXPECT_EQ(*instance.MessageData((*replies)->front()), bytes("re:q#1"));
  EXPECT_TRUE(instance.MessageData(m)) << "the request message was borrowed";
  expect_trap(instance.RequestOptionsDrop(options), "not a live resource");  // taken by the call
  EXPECT_EQ(instance.Size(), 4u) << "client, request, two replies";
}

TEST_F(GuestInstanceTest, AnAdoptedDeliveryCanBeRepliedTo) {
  // The host hands a delivered request to the guest's exported handle as an own<message>.
  std::optional<Handle> delivered;
  auto adopting =
      std::make_shared<testing_support::FunctionGuest>([&](types::Message&& message) -> std::expected<void, Error> {
        auto adopted = instance.AdoptMessage(std::move(message));
        if (!adopted) return std::unexpected(Error::Other(adopted.error().message));
        delivered = *adopted;
        auto replied = instance.RequestReplyReply(*delivered, *instance.MessageNew(bytes("pong")));
        if (!replied) return std::unexpected(Error::Other(replied.error().message));
        return *replied;
      });
  auto service = subscribe(adopting, {.topic = "ping"});
  host::ScopedGuest scope(guest);
  auto replies = request_reply::Request(connect(), "ping", types::Message(bytes("ping")), std::nullopt);
  ASSERT_TRUE(replies) << replies.error().Message();
  EXPECT_EQ(testing_support::text(replies->front()), "pong");
  ASSERT_TRUE(delivered);
  EXPECT_EQ(**instance.MessageTopic(*delivered), "ping") << "delivered messages carry their topic";
}

TEST_F(GuestInstanceTest, AMessageDroppedWhileBorrowedStaysReadableUntilTheBorrowEnds) {
  // A runtime lowering `data` holds the message (BorrowMessage) while the guest, on another
  // thread of a shared table, drops its handle: the drop succeeds and the borrow reads on.
  const Handle m = message("kept");
  auto borrowed = instance.BorrowMessage(m);
  ASSERT_TRUE(borrowed);
  ASSERT_TRUE(instance.MessageDrop(m)) << "a drop is not a move: a borrow does not stop it";
  EXPECT_EQ(instance.Size(), 0u);
  expect_trap(instance.MessageData(m), "not a live resource");
  EXPECT_EQ(testing_support::text(**borrowed), "kept");
}

TEST_F(GuestInstanceTest, AMessageMovedWhileBorrowedTrapsAndIsNotSent) {
  ASSERT_TRUE(broker.declare_queue("out"));
  const Handle c = client();
  const Handle m = message("kept");
  auto borrowed = instance.BorrowMessage(m);
  ASSERT_TRUE(borrowed);
  expect_trap(instance.ProducerSend(c, "out", m), "moved while borrowed");
  EXPECT_EQ(broker.queue_stats("out")->depth, 0u);
  EXPECT_EQ(testing_support::text(**borrowed), "kept");
}

TEST(GuestInstanceSharingTest, ATableEnteredOneCallAtATimeCountsItsResourcesForAnyThread) {
  // Sharing::kOneCallAtATime: two threads take turns under a mutex (as deliveries take turns in
  // a WebAssembly instance) and a third reads Size() meanwhile. Run under ThreadSanitizer, a count
  // that were not atomic would be a data race.
  auto registry = std::make_shared<host::ConnectionRegistry>();
  auto context = std::make_shared<const host::GuestContext>(host::GuestContext{"turns", {}, registry});
  GuestInstance instance(context, GuestInstance::Sharing::kOneCallAtATime);
  constexpr int kRounds = 2'000;
  std::mutex turn;
  std::atomic<int> finished{0};
  auto work = [&] {
    for (int i = 0; i < kRounds; ++i) {
      std::lock_guard held(turn);
      auto made = instance.MessageNew(bytes("x"));
      ASSERT_TRUE(made);
      ASSERT_TRUE(instance.MessageDrop(*made));
    }
    finished.fetch_add(1, std::memory_order_release);
  };
  std::thread first(work);
  std::thread second(work);
  std::size_t most = 0;
  while (finished.load(std::memory_order_acquire) < 2) most = std::max(most, instance.Size());
  first.join();
  second.join();
  EXPECT_LE(most, 1u) << "one resource at a time was alive";
  EXPECT_EQ(instance.Size(), 0u);
}

// Under Sharing::kOneCallAtATime the table keeps the blocks of resources that go for its next
// ones (GuestInstance::kSpareBlocks): what a reused block held must be gone, and a block a borrow
// still shares must not be reused.
class SpareBlocksTest : public FacadeTest {
 protected:
  GuestInstance instance{guest, GuestInstance::Sharing::kOneCallAtATime};
};

TEST_F(SpareBlocksTest, AMessageMadeInAReusedBlockHoldsNothingOfTheOneBefore) {
  const Handle first = *instance.MessageNew(bytes("first"));
  ASSERT_TRUE(instance.MessageSetContentType(first, "text/plain"));
  ASSERT_TRUE(instance.MessageAddMetadata(first, "k", "v"));
  ASSERT_TRUE(instance.MessageDrop(first));
  const Handle second = *instance.MessageNew(bytes("second"));
  EXPECT_EQ(*instance.MessageData(second), bytes("second"));
  EXPECT_FALSE(*instance.MessageContentType(second));
  EXPECT_FALSE(*instance.MessageMetadata(second));
  EXPECT_FALSE(instance.MessageData(first).has_value()) << "the dropped handle stays dead";
}

TEST_F(SpareBlocksTest, ABorrowThatOutlivesItsDropKeepsTheMessageItBorrowed) {
  const Handle first = *instance.MessageNew(bytes("first"));
  auto borrowed = instance.BorrowMessage(first);
  ASSERT_TRUE(borrowed);
  ASSERT_TRUE(instance.MessageDrop(first));
  const Handle second = *instance.MessageNew(bytes("second"));  // takes a spare block if there is one
  EXPECT_EQ(testing_support::text(**borrowed), "first");
  EXPECT_EQ(*instance.MessageData(second), bytes("second"));
}

TEST_F(SpareBlocksTest, AMessageSentFromTheTableArrivesWholeAndLeavesNothingInItsBlock) {
  ASSERT_TRUE(broker.declare_queue("out"));
  auto receiver = broker.open_receiver("out");
  ASSERT_TRUE(receiver);
  const Handle c = **instance.ClientConnect("inproc");
  const Handle m = *instance.MessageNew(bytes("payload"));
  ASSERT_TRUE(instance.MessageSetContentType(m, "text/plain"));
  ASSERT_TRUE(instance.MessageAddMetadata(m, "k", "v"));
  auto sent = instance.ProducerSend(c, "out", m);
  ASSERT_TRUE(sent && *sent);
  auto delivery = receiver->try_receive();
  ASSERT_TRUE(delivery && *delivery);
  const wasmq::SharedMessage& arrived = (*delivery)->message();
  EXPECT_EQ(arrived.payload().as_string(), "payload");
  EXPECT_EQ(arrived.content_type(), "text/plain");
  EXPECT_EQ(arrived.find_metadata("k"), "v");
  const Handle next = *instance.MessageNew(bytes("next"));
  EXPECT_FALSE(*instance.MessageContentType(next));
  EXPECT_FALSE(*instance.MessageMetadata(next));
}

}  // namespace
}  // namespace wasi::messaging
