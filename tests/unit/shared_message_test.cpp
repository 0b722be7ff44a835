// SharedMessage: a published message as the broker keeps it — the topic and a small payload
// inline, side by side, everything else behind one pointer — reads back exactly what was published.

#include "support/broker_fixture.hpp"

#include <wasmq/shared_message.hpp>

#include <functional>
#include <string>
#include <unordered_set>

namespace wasmq {
namespace {

using namespace std::chrono_literals;
using testing_support::BrokerTest;
using testing_support::letters;

/// What a receiver of `topic` gets after publishing `message` there.
class SharedMessageTest : public BrokerTest {
 protected:
  SharedMessage round_trip(Message message) {
    const std::string topic = message.topic;
    EXPECT_TRUE(broker.declare_queue(topic));
    auto receiver = broker.open_receiver(topic);
    EXPECT_TRUE(receiver);
    EXPECT_TRUE(broker.publish(std::move(message)));
    auto delivery = receiver->receive(Duration::zero());
    EXPECT_TRUE(delivery);
    SharedMessage kept = delivery->message();
    EXPECT_TRUE(delivery->accept());
    return kept;
  }
};

TEST_F(SharedMessageTest, ASmallMessageReadsBackWithNothingElseSet) {
  runtime.advance(5s);
  const SharedMessage m = round_trip({.topic = "orders", .payload = Payload::copy_of("16 bytes of data")});
  EXPECT_EQ(m.topic(), "orders");
  EXPECT_EQ(m.payload().as_string(), "16 bytes of data");
  EXPECT_EQ(m.content_type(), std::nullopt);
  EXPECT_TRUE(m.metadata().empty());
  EXPECT_EQ(m.find_metadata("k"), std::nullopt);
  EXPECT_EQ(m.reply_to(), std::nullopt);
  EXPECT_EQ(m.time_to_live(), std::nullopt);
  EXPECT_EQ(m.death(), nullptr);
  EXPECT_EQ(m.published_at(), runtime.now());
  EXPECT_EQ(m.size_bytes(), 16u);
}

TEST_F(SharedMessageTest, EveryFieldReadsBack) {
  const std::string long_text(300, 'c');
  const SharedMessage m = round_trip({.topic = "orders.eu",
                                      .payload = Payload::copy_of("x"),
                                      .content_type = long_text,
                                      .metadata = {{"tenant", "acme"}, {"trace", "t-1"}},
                                      .reply_to = "inbox.7",
                                      .time_to_live = 30s});
  EXPECT_EQ(m.content_type(), long_text);
  EXPECT_EQ(m.metadata(), (Metadata{{"tenant", "acme"}, {"trace", "t-1"}}));
  EXPECT_EQ(m.find_metadata("trace"), "t-1");
  EXPECT_EQ(m.reply_to(), "inbox.7");
  EXPECT_EQ(m.time_to_live(), 30s);
  EXPECT_EQ(m.size_bytes(), 1 + long_text.size() + 6 + 4 + 5 + 3);
}

// The topic and a payload of up to 64 bytes share 79 inline bytes; what does not fit goes to the
// extras. Every combination on either side of each line reads back whole; each payload starts one
// letter after the last one's, so that a recycled block differs from it in every byte.
TEST_F(SharedMessageTest, TopicsAndPayloadsOnEitherSideOfTheInlineCapacityReadBack) {
  std::size_t published = 0;
  for (const std::size_t topic_size :
       {1UL, 2UL, 3UL, 4UL, 7UL, 8UL, 15UL, 16UL, 17UL, 40UL, 63UL, 64UL, 78UL, 79UL, 80UL, 200UL}) {
    const std::string topic = letters(topic_size);
    for (const std::size_t size :
         {0UL, 1UL, 2UL, 3UL, 4UL, 7UL, 8UL, 15UL, 16UL, 17UL, 39UL, 40UL, 63UL, 64UL, 65UL, 79UL, 80UL}) {
      const std::string text = letters(size, static_cast<char>('a' + published++ % 26));
      const SharedMessage m = round_trip({.topic = topic, .payload = Payload::copy_of(text)});
      EXPECT_EQ(m.topic(), topic) << topic_size << " + " << size;
      EXPECT_EQ(m.payload().as_string(), text) << topic_size << " + " << size;
      EXPECT_EQ(m.share_payload().as_string(), text);
      EXPECT_EQ(m.size_bytes(), size);
      EXPECT_EQ(m.to_message().topic, topic);
    }
  }
}

TEST_F(SharedMessageTest, ALargePayloadIsSharedNotCopied) {
  const Payload large = Payload::copy_of(std::string(Payload::inline_capacity + 1, 'p'));
  const SharedMessage m = round_trip({.topic = "large", .payload = large});
  EXPECT_EQ(m.payload().bytes().data(), large.bytes().data());
  EXPECT_TRUE(m.share_payload().shares_buffer_with(large));
}

TEST_F(SharedMessageTest, ToMessageGivesBackWhatWasPublished) {
  Message original{.topic = "orders.with.a.long.topic",
                   .payload = Payload::copy_of("p"),
                   .content_type = "text/plain",
                   .metadata = {{"a", "1"}},
                   .reply_to = "inbox",
                   .time_to_live = 1s};
  const SharedMessage m = round_trip(original);
  const Message copy = m.to_message();
  EXPECT_EQ(copy.topic, original.topic);
  EXPECT_EQ(copy.payload.as_string(), "p");
  EXPECT_EQ(copy.content_type, original.content_type);
  EXPECT_EQ(copy.metadata, original.metadata);
  EXPECT_EQ(copy.reply_to, original.reply_to);
  EXPECT_EQ(copy.time_to_live, original.time_to_live);
  EXPECT_EQ(copy.published_at, m.published_at());
  EXPECT_EQ(copy.death, nullptr);
}

TEST(SharedMessageHandleTest, CopiesReferToOneMessageThatLivesWhileAnyHandleDoes) {
  SharedMessage first = SharedMessage::of({.topic = "t", .payload = Payload::copy_of("kept")});
  SharedMessage second = first;
  EXPECT_EQ(first, second);
  EXPECT_EQ(std::hash<SharedMessage>()(first), std::hash<SharedMessage>()(second));
  EXPECT_NE(first, SharedMessage::of({.topic = "t"})) << "another message, however alike";
  first = SharedMessage();
  EXPECT_FALSE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(second.payload().as_string(), "kept");  // under ASan: read after the first handle went
  SharedMessage moved = std::move(second);
  EXPECT_FALSE(second);  // NOLINT(bugprone-use-after-move): a moved-from handle is empty
  EXPECT_EQ(moved.topic(), "t");
  std::unordered_set<SharedMessage> set{moved, moved};
  EXPECT_EQ(set.size(), 1u);
}

}  // namespace
}  // namespace wasmq
