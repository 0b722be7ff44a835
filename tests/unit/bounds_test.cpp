// Max length, max bytes, the three overflow policies, message size, time to live.

#include "support/broker_fixture.hpp"

#include <thread>

namespace wasmq {
namespace {

using testing_support::at;
using testing_support::BrokerTest;
using testing_support::make_message;
using testing_support::text_of;

using BoundsTest = BrokerTest;

TEST_F(BoundsTest, RejectPublishRefusesWhenFull) {
  ASSERT_TRUE(broker.declare_queue("small", {.max_length = 2}));
  publish("small");
  publish("small");
  auto refused = broker.publish(make_message("small"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::queue_full);
  EXPECT_NE(refused.error().message().find("max_length 2"), std::string::npos) << refused.error().message();
  auto stats = stats_of("small");
  EXPECT_EQ(stats.depth, 2u);
  EXPECT_EQ(stats.refused, 1u);
  expect_conserved(stats);
  EXPECT_EQ(broker.stats().published, 2u) << "a refused publish is not counted as published";
}

TEST_F(BoundsTest, MaxLengthCountsDeliveriesInFlight) {
  ASSERT_TRUE(broker.declare_queue("small", {.max_length = 2}));
  auto receiver = broker.open_receiver("small");
  publish("small");
  auto held = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(held);
  publish("small");
  EXPECT_EQ(broker.publish(make_message("small")).error().code, Errc::queue_full);
  ASSERT_TRUE(held->release());
  EXPECT_EQ(stats_of("small").depth, 2u) << "a release never pushes a queue past its bound";
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->accept());
  publish("small");  // room again
}

TEST_F(BoundsTest, MaxBytesBoundsPayloadBytes) {
  ASSERT_TRUE(broker.declare_queue("bytes", {.max_bytes = 10}));
  publish("bytes", "123456");
  auto full = broker.publish(make_message("bytes", "123456"));
  EXPECT_EQ(full.error().code, Errc::queue_full);
  EXPECT_NE(full.error().message().find("max_bytes 10"), std::string::npos);
  auto huge = broker.publish(make_message("bytes", "12345678901"));
  EXPECT_EQ(huge.error().code, Errc::payload_too_large) << "can never fit";
  EXPECT_EQ(huge.error().message(), "message of 11 bytes exceeds max_bytes 10 of queue 'bytes'");
  publish("bytes", "1234");  // exactly 10
}

TEST_F(BoundsTest, DropOldestDeadLettersTheOldestWaitingMessage) {
  ASSERT_TRUE(broker.declare_queue("dead"));
  ASSERT_TRUE(
      broker.declare_queue("ring", {.max_length = 2, .overflow = OverflowPolicy::drop_oldest, .dead_letter = "dead"}));
  publish("ring", "a");
  publish("ring", "b");
  publish("ring", "c");
  auto receiver = broker.open_receiver("ring");
  EXPECT_EQ(text_of(*receiver->receive(wasmq::Duration::zero())), "b");
  EXPECT_EQ(text_of(*receiver->receive(wasmq::Duration::zero())), "c");
  auto dead = broker.open_receiver("dead");
  auto letter = dead->receive(wasmq::Duration::zero());
  ASSERT_TRUE(letter);
  EXPECT_EQ(text_of(*letter), "a");
  EXPECT_EQ(letter->message().death()->reason, DeadLetterReason::overflow);
  EXPECT_EQ(stats_of("ring").dead_lettered[at(DeadLetterReason::overflow)], 1u);
}

TEST_F(BoundsTest, DropOldestWithoutADeadLetterTargetCountsTheDrop) {
  ASSERT_TRUE(broker.declare_queue("ring", {.max_length = 1, .overflow = OverflowPolicy::drop_oldest}));
  publish("ring", "a");
  publish("ring", "b");
  auto stats = stats_of("ring");
  EXPECT_EQ(stats.dropped[at(DeadLetterReason::overflow)], 1u);
  EXPECT_EQ(stats.depth, 1u);
  expect_conserved(stats);
}

TEST_F(BoundsTest, DropOldestRefusesWhenEverythingHeldIsInFlight) {
  ASSERT_TRUE(broker.declare_queue("ring", {.max_length = 1, .overflow = OverflowPolicy::drop_oldest}));
  auto receiver = broker.open_receiver("ring");
  publish("ring", "a");
  auto held = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(held);
  auto refused = broker.publish(make_message("ring", "b"));
  EXPECT_EQ(refused.error().code, Errc::queue_full) << "an in-flight message is never dropped";
  EXPECT_EQ(stats_of("ring").refused, 1u);
}

TEST_F(BoundsTest, BlockGivesUpAfterItsTimeout) {
  ASSERT_TRUE(
      broker.declare_queue("blocking", {.max_length = 1, .overflow = OverflowPolicy::block, .block_timeout = 20ms}));
  publish("blocking");
  const auto start = std::chrono::steady_clock::now();
  auto timed_out = broker.publish(make_message("blocking"));
  ASSERT_FALSE(timed_out);
  EXPECT_EQ(timed_out.error().code, Errc::timeout);
  EXPECT_EQ(timed_out.error().message(), "queue 'blocking' stayed full for the block timeout of 20 ms");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  EXPECT_EQ(stats_of("blocking").refused, 1u);
}

TEST_F(BoundsTest, BlockWaitsForRoomMadeByAnotherThread) {
  ASSERT_TRUE(
      broker.declare_queue("blocking", {.max_length = 1, .overflow = OverflowPolicy::block, .block_timeout = 30s}));
  auto receiver = broker.open_receiver("blocking");
  publish("blocking", "first");
  std::thread publisher([&] {
    auto receipt = broker.publish(make_message("blocking", "second"));
    EXPECT_TRUE(receipt) << receipt.error().message();
  });
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->accept());
  publisher.join();
  EXPECT_EQ(text_of(*receiver->receive(5s)), "second");
}

TEST_F(BoundsTest, BrokerRefusesPayloadsAboveItsMaximum) {
  Broker small(runtime, BrokerOptions{.max_message_bytes = 4});
  Message message = make_message("x", "12345");
  auto refused = small.publish(std::move(message));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::payload_too_large);
  EXPECT_NE(refused.error().message().find("max_message_bytes of 4"), std::string::npos);
}

TEST_F(BoundsTest, AMessagePastItsTimeToLiveExpiresInsteadOfBeingDelivered) {
  ASSERT_TRUE(broker.declare_queue("dead"));
  ASSERT_TRUE(broker.declare_queue("ttl", {.dead_letter = "dead"}));
  Message message = make_message("ttl", "stale");
  message.time_to_live = 5s;
  ASSERT_TRUE(broker.publish(std::move(message)));
  publish("ttl", "fresh");
  runtime.advance(5s);
  auto receiver = broker.open_receiver("ttl");
  auto delivery = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(delivery);
  EXPECT_EQ(text_of(*delivery), "fresh");
  auto stats = stats_of("ttl");
  EXPECT_EQ(stats.expired(), 1u);
  EXPECT_EQ(stats.dead_lettered[at(DeadLetterReason::expired)], 1u);
  auto dead = broker.open_receiver("dead");
  auto letter = dead->receive(wasmq::Duration::zero());
  ASSERT_TRUE(letter);
  EXPECT_EQ(text_of(*letter), "stale");
  EXPECT_FALSE(letter->message().time_to_live()) << "a dead letter does not inherit the expiry";
}

TEST_F(BoundsTest, AQueueTimeToLiveAppliesToEveryMessage) {
  ASSERT_TRUE(broker.declare_queue("ttl", {.message_ttl = 1s}));
  publish("ttl", "old");
  runtime.advance(999ms);
  publish("ttl", "young");
  runtime.advance(1ms);
  auto receiver = broker.open_receiver("ttl");
  EXPECT_EQ(text_of(*receiver->receive(wasmq::Duration::zero())), "young");
  auto stats = stats_of("ttl");
  EXPECT_EQ(stats.dropped[at(DeadLetterReason::expired)], 1u) << "no dead-letter target: counted as dropped";
  expect_conserved(stats);
}

}  // namespace
}  // namespace wasmq

namespace wasmq {
namespace {

Message with_metadata(std::string_view topic, std::size_t entries, std::size_t value_bytes) {
  Message message;
  message.topic = std::string(topic);
  for (std::size_t i = 0; i < entries; ++i) {
    std::string key = "k";
    key += std::to_string(i);
    message.metadata.emplace_back(std::move(key), std::string(value_bytes, 'v'));
  }
  return message;
}

class MessageSizeTest : public testing_support::BrokerTest {
 protected:
  MessageSizeTest() : BrokerTest(BrokerOptions{.max_message_bytes = 1000, .max_metadata_entries = 4}) {}
};

TEST_F(MessageSizeTest, MetadataAndContentTypeCountTowardMaxMessageBytes) {
  // Payload empty, metadata alone over the limit: "k0" + 498 bytes, twice = 1000 bytes.
  Message at_limit = with_metadata("t", 2, 498);
  EXPECT_EQ(at_limit.size_bytes(), 1000u);
  EXPECT_TRUE(broker.publish(std::move(at_limit))) << "exactly max_message_bytes is accepted";
  auto past = broker.publish(with_metadata("t", 2, 499));
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, Errc::payload_too_large);
  EXPECT_NE(past.error().message().find("1002 bytes"), std::string::npos) << past.error().message();
  Message typed = with_metadata("t", 0, 0);
  typed.payload = Payload::copy_of(std::string(990, 'p'));
  typed.content_type = std::string(11, 'c');
  EXPECT_EQ(broker.publish(std::move(typed)).error().code, Errc::payload_too_large) << "content type counts too";
}

TEST_F(MessageSizeTest, MetadataEntriesAreBoundedAtMaxMetadataEntries) {
  EXPECT_TRUE(broker.publish(with_metadata("t", 4, 1)));
  auto past = broker.publish(with_metadata("t", 5, 1));
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, Errc::payload_too_large);
  EXPECT_NE(past.error().message().find("max_metadata_entries"), std::string::npos) << past.error().message();
}

TEST_F(MessageSizeTest, AQueuesMaxBytesCountsMetadata) {
  ASSERT_TRUE(broker.declare_queue("q", {.max_bytes = 1024}));
  ASSERT_TRUE(broker.publish(with_metadata("q", 1, 598)));  // 600 bytes, no payload
  auto second = broker.publish(with_metadata("q", 1, 598));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::queue_full);
  auto stats = stats_of("q");
  EXPECT_EQ(stats.depth, 1u);
  EXPECT_EQ(stats.bytes, 600u) << "the waiting bytes include metadata";
}

}  // namespace
}  // namespace wasmq
