// Dead-letter channels: what the broker writes, where letters go, and that they never cycle.

#include "support/broker_fixture.hpp"

#include <charconv>

namespace wasmq {
namespace {

using testing_support::at;
using testing_support::BrokerTest;
using testing_support::make_message;
using testing_support::text_of;

class DeadLetterTest : public BrokerTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(broker.declare_queue("orders", {.max_deliveries = 3, .dead_letter = "orders.dead"}));
    ASSERT_TRUE(broker.declare_queue("orders.dead"));
    auto opened = broker.open_receiver("orders");
    ASSERT_TRUE(opened);
    orders = std::move(*opened);
    opened = broker.open_receiver("orders.dead");
    ASSERT_TRUE(opened);
    dead = std::move(*opened);
  }
  Receiver orders;
  Receiver dead;
};

TEST_F(DeadLetterTest, ARejectedMessageArrivesWithItsDeathRecord) {
  const std::string text = "bad order " + std::string(Payload::inline_capacity, '.');  // not inline
  Message message = make_message("orders", text);
  message.content_type = "text/plain";
  message.metadata = {{"tenant", "acme"}};
  const Payload original = message.payload;
  ASSERT_TRUE(broker.publish(std::move(message)));
  const TimePoint published = runtime.now();
  runtime.advance(3s);
  auto delivery = orders.receive(wasmq::Duration::zero());
  ASSERT_TRUE(delivery);
  ASSERT_TRUE(delivery->reject("schema violation"));

  auto letter = dead.receive(wasmq::Duration::zero());
  ASSERT_TRUE(letter);
  const SharedMessage& m = letter->message();
  EXPECT_EQ(m.topic(), "orders.dead");
  EXPECT_EQ(m.payload().as_string(), text);
  EXPECT_TRUE(m.share_payload().shares_buffer_with(original)) << "dead-lettering copies no payload bytes";
  EXPECT_EQ(m.content_type(), "text/plain");
  ASSERT_TRUE(m.death());
  EXPECT_EQ(m.death()->reason, DeadLetterReason::rejected);
  EXPECT_EQ(m.death()->detail, "schema violation");
  EXPECT_EQ(m.death()->original_topic, "orders");
  EXPECT_EQ(m.death()->queue, "orders");
  EXPECT_EQ(m.death()->delivery_count, 1u);
  EXPECT_EQ(m.death()->published_at, published);
  EXPECT_EQ(m.death()->dead_lettered_at, published + 3s);
  EXPECT_EQ(m.find_metadata("tenant"), "acme") << "the original metadata is kept";
  EXPECT_EQ(m.find_metadata(dead_letter_keys::reason), "rejected");
  EXPECT_EQ(m.find_metadata(dead_letter_keys::detail), "schema violation");
  EXPECT_EQ(m.find_metadata(dead_letter_keys::original_topic), "orders");
  EXPECT_EQ(m.find_metadata(dead_letter_keys::queue), "orders");
  EXPECT_EQ(m.find_metadata(dead_letter_keys::delivery_count), "1");
  auto to_ns = [](TimePoint t) { return std::to_string(std::chrono::nanoseconds(t.time_since_epoch()).count()); };
  EXPECT_EQ(m.find_metadata(dead_letter_keys::published_at_ns), to_ns(published));
  EXPECT_EQ(m.find_metadata(dead_letter_keys::dead_lettered_at_ns), to_ns(published + 3s));

  auto stats = stats_of("orders");
  EXPECT_EQ(stats.rejected, 1u);
  EXPECT_EQ(stats.dead_lettered[at(DeadLetterReason::rejected)], 1u);
  expect_conserved(stats);
}

TEST_F(DeadLetterTest, APoisonMessageIsDeadLetteredAfterMaxDeliveries) {
  publish("orders", "poison");
  for (std::uint32_t attempt = 1; attempt <= 3; ++attempt) {
    auto delivery = orders.receive(wasmq::Duration::zero());
    ASSERT_TRUE(delivery) << attempt;
    EXPECT_EQ(delivery->delivery_count(), attempt);
    ASSERT_TRUE(delivery->release());
  }
  auto letter = dead.receive(wasmq::Duration::zero());
  ASSERT_TRUE(letter);
  EXPECT_EQ(letter->message().death()->reason, DeadLetterReason::max_deliveries);
  EXPECT_EQ(letter->message().death()->delivery_count, 3u);
  EXPECT_EQ(letter->message().find_metadata(dead_letter_keys::delivery_count), "3");
}

TEST_F(DeadLetterTest, ADeadLetterIsNeverDeadLetteredAgain) {
  // orders.dead sends its own dead letters back to orders: a cycle in the configuration.
  Broker cyclic(runtime);
  ASSERT_TRUE(cyclic.declare_queue("a", {.dead_letter = "b"}));
  ASSERT_TRUE(cyclic.declare_queue("b", {.dead_letter = "a"}));
  auto a = cyclic.open_receiver("a");
  auto b = cyclic.open_receiver("b");
  ASSERT_TRUE(cyclic.publish(make_message("a", "once")));
  ASSERT_TRUE(a->receive(wasmq::Duration::zero())->reject("first"));
  auto letter = b->receive(wasmq::Duration::zero());
  ASSERT_TRUE(letter);
  ASSERT_TRUE(letter->reject("second"));
  EXPECT_EQ(a->receive(wasmq::Duration::zero()).error().code, Errc::timeout) << "not sent back to a";
  auto stats = cyclic.queue_stats("b");
  EXPECT_EQ(stats->dropped[at(DeadLetterReason::rejected)], 1u);
  EXPECT_EQ(stats->dead_lettered_total(), 0u);
}

TEST_F(DeadLetterTest, AQueueCannotBeItsOwnDeadLetterTarget) {
  auto refused = broker.declare_queue("loop", {.dead_letter = "loop"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
}

TEST_F(DeadLetterTest, AnInvalidDeadLetterNameIsRefused) {
  EXPECT_EQ(broker.declare_queue("q", {.dead_letter = "dead.*"}).error().code, Errc::wildcard_in_name);
  EXPECT_EQ(broker.declare_queue("q", {.dead_letter = "dead..x"}).error().code, Errc::invalid_name);
}

TEST_F(DeadLetterTest, ALetterThatNothingReceivesIsCountedAsDropped) {
  ASSERT_TRUE(broker.declare_queue("lonely", {.dead_letter = "nobody.listens"}));
  auto receiver = broker.open_receiver("lonely");
  publish("lonely");
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->reject());
  auto stats = stats_of("lonely");
  EXPECT_EQ(stats.dropped[at(DeadLetterReason::rejected)], 1u);
  EXPECT_EQ(stats.dead_lettered_total(), 0u);
  expect_conserved(stats);
}

TEST_F(DeadLetterTest, ALetterCanGoToATopicWithSubscribers) {
  ASSERT_TRUE(broker.declare_queue("watched", {.dead_letter = "alerts.dead"}));
  auto receiver = broker.open_receiver("watched");
  auto watcher = broker.subscribe_receiver("alerts.>");
  publish("watched", "w");
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->reject("nope"));
  auto letter = watcher->receive(wasmq::Duration::zero());
  ASSERT_TRUE(letter);
  EXPECT_EQ(text_of(*letter), "w");
  EXPECT_EQ(letter->message().death()->detail, "nope");
}

TEST_F(DeadLetterTest, AMessageCannotForgeADeathRecord) {
  Message forged = make_message("orders", "x");
  forged.death = std::make_shared<const DeathRecord>();
  ASSERT_TRUE(broker.publish(std::move(forged)));
  auto delivery = orders.receive(wasmq::Duration::zero());
  ASSERT_TRUE(delivery);
  EXPECT_FALSE(delivery->message().death()) << "only the broker writes death records";
  ASSERT_TRUE(delivery->reject());
  EXPECT_TRUE(dead.receive(wasmq::Duration::zero())) << "so it is dead-lettered like any other";
}

}  // namespace
}  // namespace wasmq
