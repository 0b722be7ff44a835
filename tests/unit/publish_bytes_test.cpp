// publish(topic, bytes): a message that is only a payload on a topic, copied straight into the
// broker's message. It must behave as publish(Message) with those two fields does: the same
// delivery, routing, receipt, counts and errors.

#include "support/broker_fixture.hpp"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wasmq {
namespace {

using namespace std::chrono_literals;
using testing_support::BrokerTest;
using testing_support::letters;
using testing_support::make_message;
using testing_support::text_of;

using PublishBytesTest = BrokerTest;

/// What `receiver` delivers next, received and accepted.
SharedMessage next_on(Receiver& receiver) {
  auto delivery = receiver.try_receive();
  EXPECT_TRUE(delivery && *delivery);
  if (!delivery || !*delivery) return {};
  SharedMessage message = (*delivery)->message();
  EXPECT_TRUE((*delivery)->accept());
  return message;
}

TEST_F(PublishBytesTest, DeliversTheTopicAndThePayloadAndNothingElse) {
  ASSERT_TRUE(broker.declare_queue("orders"));
  auto receiver = broker.open_receiver("orders");
  ASSERT_TRUE(receiver);
  runtime.advance(5s);
  auto receipt = broker.publish("orders", "42");
  ASSERT_TRUE(receipt) << receipt.error();
  EXPECT_EQ(receipt->routed, 1U);
  EXPECT_TRUE(receipt->complete());

  const SharedMessage message = next_on(*receiver);
  ASSERT_TRUE(message);
  EXPECT_EQ(message.topic(), "orders");
  EXPECT_EQ(message.payload().as_string(), "42");
  EXPECT_EQ(message.published_at(), runtime.now());
  EXPECT_FALSE(message.content_type());
  EXPECT_TRUE(message.metadata().empty());
  EXPECT_FALSE(message.reply_to());
  EXPECT_FALSE(message.time_to_live());
  EXPECT_EQ(message.death(), nullptr);
  EXPECT_EQ(message.size_bytes(), 2U);
}

TEST_F(PublishBytesTest, TakesAnyContiguousBytesAndCopiesThem) {
  auto receiver = broker.subscribe_receiver("frames.>");
  ASSERT_TRUE(receiver);
  std::vector<std::uint8_t> bytes{0, 1, 2, 0xFF};
  ASSERT_TRUE(broker.publish("frames.a", bytes));
  std::ranges::fill(bytes, 9);  // the caller's buffer is free to change once publish returns
  const SharedMessage message = next_on(*receiver);
  EXPECT_TRUE(std::ranges::equal(message.payload().bytes(), std::vector<std::uint8_t>{0, 1, 2, 0xFF}));
}

TEST_F(PublishBytesTest, AnEmptyPayloadIsAMessage) {
  auto receiver = broker.subscribe_receiver("empty");
  ASSERT_TRUE(receiver);
  ASSERT_TRUE(broker.publish("empty", std::span<const std::uint8_t>()));
  const SharedMessage message = next_on(*receiver);
  EXPECT_TRUE(message.payload().empty());
  EXPECT_EQ(message.topic(), "empty");
}

// The topic and the payload share the block's 79 inline bytes (a payload of up to 64): on either
// side of each line, and past them, they read back whole. Each payload starts one letter after
// the last one's, so that a block recycled from an earlier message differs in every byte: a byte
// not copied, or copied to the wrong place, shows.
TEST_F(PublishBytesTest, TopicsAndPayloadsPastTheInlineCapacityReadBackWhole) {
  std::size_t published = 0;
  for (const std::size_t topic_size :
       {1UL, 2UL, 3UL, 4UL, 7UL, 8UL, 15UL, 16UL, 17UL, 40UL, 63UL, 64UL, 78UL, 79UL, 80UL, 200UL}) {
    const std::string topic = letters(topic_size);
    auto receiver = broker.subscribe_receiver(topic);
    ASSERT_TRUE(receiver);
    for (const std::size_t size :
         {0UL, 1UL, 2UL, 3UL, 4UL, 7UL, 8UL, 15UL, 16UL, 17UL, 39UL, 40UL, 63UL, 64UL, 65UL, 79UL, 80UL}) {
      const std::string payload = letters(size, static_cast<char>('a' + published++ % 26));
      ASSERT_TRUE(broker.publish(topic, payload));
      const SharedMessage message = next_on(*receiver);
      EXPECT_EQ(message.topic(), topic) << topic_size << " + " << size;
      EXPECT_EQ(message.payload().as_string(), payload) << topic_size << " + " << size;
      EXPECT_EQ(message.published_at(), runtime.now());
      EXPECT_EQ(message.size_bytes(), payload.size());
    }
    receiver->close();
  }
}

TEST_F(PublishBytesTest, FansOutAsAMessageDoes) {
  auto first = broker.subscribe_receiver("prices.>");
  auto second = broker.subscribe_receiver("prices.eur");
  ASSERT_TRUE(first && second);
  auto receipt = broker.publish("prices.eur", "1.08");
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->routed, 2U);
  EXPECT_EQ(next_on(*first).payload().as_string(), "1.08");
  EXPECT_EQ(next_on(*second).payload().as_string(), "1.08");
}

TEST_F(PublishBytesTest, IsCountedAsPublishedAndUnroutedAsAMessageIs) {
  ASSERT_TRUE(broker.publish("nobody.listens", "x"));
  ASSERT_TRUE(broker.declare_queue("jobs"));
  ASSERT_TRUE(broker.publish("jobs", "y"));
  const BrokerStats stats = broker.stats();
  EXPECT_EQ(stats.published, 2U);
  EXPECT_EQ(stats.unrouted, 1U);
  EXPECT_EQ(stats_of("jobs").published, 1U);
  EXPECT_EQ(stats_of("jobs").depth, 1U);
}

TEST_F(PublishBytesTest, RefusesWhatAMessageWouldBeRefusedWithTheSameError) {
  struct Case {
    std::string topic;
    std::string payload;
  };
  ASSERT_TRUE(broker.declare_queue("full", {.max_length = 1, .overflow = OverflowPolicy::reject_publish}));
  ASSERT_TRUE(broker.publish("full", "first"));
  for (const Case& bad : {Case{"", "x"}, Case{"a..b", "x"}, Case{"a.*", "x"}, Case{"full", "second"}}) {
    auto as_bytes = broker.publish(bad.topic, bad.payload);
    auto as_message = broker.publish(make_message(bad.topic, bad.payload));
    ASSERT_FALSE(as_bytes) << bad.topic;
    ASSERT_FALSE(as_message) << bad.topic;
    EXPECT_EQ(as_bytes.error().code, as_message.error().code) << bad.topic;
    EXPECT_EQ(as_bytes.error().message(), as_message.error().message()) << bad.topic;
  }
}

class PublishBytesBoundedTest : public BrokerTest {
 protected:
  PublishBytesBoundedTest() : BrokerTest(BrokerOptions{.max_message_bytes = 8}) {}
};

TEST_F(PublishBytesBoundedTest, APayloadAtTheBrokersLimitPassesAndOnePastItIsRefused) {
  auto receiver = broker.subscribe_receiver("sized");
  ASSERT_TRUE(receiver);
  EXPECT_TRUE(broker.publish("sized", std::string(8, 'a')));
  auto refused = broker.publish("sized", std::string(9, 'a'));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::payload_too_large);
  EXPECT_EQ(refused.error().message(), broker.publish(make_message("sized", std::string(9, 'a'))).error().message());
  EXPECT_EQ(broker.stats().published, 1U);
}

class PublishBytesAutoDeclareTest : public BrokerTest {
 protected:
  PublishBytesAutoDeclareTest() : BrokerTest(BrokerOptions{.undeclared = UndeclaredNames::queue}) {}
};

TEST_F(PublishBytesAutoDeclareTest, AnUndeclaredTopicBecomesAQueueThatHoldsTheMessage) {
  auto receipt = broker.publish("work.new", "job");
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->routed, 1U);
  auto receiver = broker.open_receiver("work.new");
  ASSERT_TRUE(receiver);
  EXPECT_EQ(next_on(*receiver).payload().as_string(), "job");
}

TEST_F(PublishBytesTest, IsRefusedOnceTheBrokerIsShutDown) {
  broker.shutdown();
  auto refused = broker.publish("jobs", "late");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::closed);
}

TEST_F(PublishBytesTest, IsRefusedWhileDrainingExceptFromAHandler) {
  ASSERT_TRUE(broker.declare_queue("in"));
  ASSERT_TRUE(broker.declare_queue("out"));
  std::optional<Result<PublishReceipt>> from_handler;
  auto consumer = broker.consume("in", {}, [&](Delivery& delivery) {
    from_handler = broker.publish("out", text_of(delivery));
    (void)delivery.accept();
  });
  ASSERT_TRUE(consumer);
  ASSERT_TRUE(broker.publish("in", "onward"));
  (void)broker.drain(1h);  // on a manual runtime: begins the drain and returns at once
  auto refused = broker.publish("in", "new work");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::closed);
  runtime.run_until_idle();  // the handler runs, during the drain
  ASSERT_TRUE(from_handler.has_value());
  EXPECT_TRUE(*from_handler) << "a handler finishing its work may publish onward";
  EXPECT_EQ(stats_of("out").depth, 1U);
}

}  // namespace
}  // namespace wasmq
