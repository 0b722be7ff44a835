// Point-to-point queues: declaration, FIFO delivery, competing consumers, pull receivers.

#include "support/broker_fixture.hpp"

#include <algorithm>
#include <set>

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::Collector;
using testing_support::make_message;
using testing_support::text_of;

using QueueTest = BrokerTest;

TEST_F(QueueTest, DeliversInPublishOrderToAPushConsumer) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  Collector collector;
  auto consumer = broker.consume("jobs", {}, collector.handler());
  ASSERT_TRUE(consumer);
  for (int i = 0; i < 5; ++i) publish("jobs", std::to_string(i));
  EXPECT_TRUE(collector.deliveries.empty()) << "nothing runs before the runtime runs";
  runtime.run_until_idle();
  EXPECT_EQ(collector.texts(), (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  for (auto& delivery : collector.deliveries) {
    EXPECT_EQ(delivery.delivery_count(), 1u);
    EXPECT_EQ(delivery.queue(), "jobs");
    EXPECT_EQ(delivery.message().topic(), "jobs");
  }
}

TEST_F(QueueTest, MessagesWaitForAConsumer) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  publish("jobs", "early");
  EXPECT_EQ(stats_of("jobs").depth, 1u);
  Collector collector;
  auto consumer = broker.consume("jobs", {}, collector.handler());
  runtime.run_until_idle();
  EXPECT_EQ(collector.texts(), std::vector<std::string>{"early"});
}

TEST_F(QueueTest, CompetingConsumersEachGetDifferentMessages) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  Collector first, second;
  auto a = broker.consume("jobs", {.batch_size = 1}, first.handler());
  auto b = broker.consume("jobs", {.batch_size = 1}, second.handler());
  runtime.run_until_idle();  // both park
  for (int i = 0; i < 6; ++i) publish("jobs", std::to_string(i));
  runtime.run_until_idle();
  EXPECT_FALSE(first.deliveries.empty());
  EXPECT_FALSE(second.deliveries.empty());
  std::multiset<std::string> all;
  for (auto& text : first.texts()) all.insert(text);
  for (auto& text : second.texts()) all.insert(text);
  EXPECT_EQ(all, (std::multiset<std::string>{"0", "1", "2", "3", "4", "5"})) << "each message exactly once";
}

TEST_F(QueueTest, PublishReceiptCountsTheQueue) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  auto receipt = broker.publish(make_message("jobs"));
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->routed, 1u);
}

TEST_F(QueueTest, DeclaringAgainWithEqualOptionsIsANoOp) {
  ASSERT_TRUE(broker.declare_queue("jobs", {.max_deliveries = 3}));
  publish("jobs");
  EXPECT_TRUE(broker.declare_queue("jobs", {.max_deliveries = 3}));
  EXPECT_EQ(stats_of("jobs").depth, 1u) << "redeclaring keeps the messages";
}

TEST_F(QueueTest, DeclaringAgainWithOtherOptionsFails) {
  ASSERT_TRUE(broker.declare_queue("jobs", {.max_deliveries = 3}));
  auto again = broker.declare_queue("jobs", {.max_deliveries = 4});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::already_exists);
}

TEST_F(QueueTest, ConsumingAnUndeclaredQueueFails) {
  auto consumer = broker.consume("nowhere", {}, [](Delivery&) {});
  ASSERT_FALSE(consumer);
  EXPECT_EQ(consumer.error().code, Errc::no_such_queue);
  EXPECT_NE(consumer.error().message().find("nowhere"), std::string::npos);
  EXPECT_EQ(broker.open_receiver("nowhere").error().code, Errc::no_such_queue);
}

TEST_F(QueueTest, PullReceiverTakesMessagesInOrder) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  auto receiver = broker.open_receiver("jobs");
  ASSERT_TRUE(receiver);
  publish("jobs", "a");
  publish("jobs", "b");
  auto first = receiver->receive(wasmq::Duration::zero());
  auto second = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(first && second);
  EXPECT_EQ(text_of(*first), "a");
  EXPECT_EQ(text_of(*second), "b");
  auto none = receiver->receive(wasmq::Duration::zero());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::timeout);
  EXPECT_EQ(none.error().message(), "no message on 'jobs' within the timeout");
}

TEST_F(QueueTest, TryReceiveOnAnEmptyQueueIsAnEmptyResultNotAnError) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  auto receiver = broker.open_receiver("jobs");
  ASSERT_TRUE(receiver);
  auto none = receiver->try_receive();
  ASSERT_TRUE(none) << "polling an empty queue is not an error";
  EXPECT_FALSE(none->has_value());
  publish("jobs", "a");
  auto one = receiver->try_receive();
  ASSERT_TRUE(one && one->has_value());
  EXPECT_EQ(text_of(**one), "a");
  receiver->close();
  auto closed = receiver->try_receive();
  ASSERT_FALSE(closed) << "a closed receiver is still an error";
  EXPECT_EQ(closed.error().code, Errc::closed);
}

TEST_F(QueueTest, PullReceiveWaitsUpToItsTimeout) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  auto receiver = broker.open_receiver("jobs");
  const auto start = std::chrono::steady_clock::now();
  auto none = receiver->receive(30ms);
  EXPECT_EQ(none.error().code, Errc::timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
}

TEST_F(QueueTest, PullReceiverRefusesBeyondMaxInFlight) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  auto receiver = broker.open_receiver("jobs", {.max_in_flight = 1});
  publish("jobs", "a");
  publish("jobs", "b");
  auto first = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(first);
  auto second = receiver->receive(wasmq::Duration::zero());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::too_many_in_flight);
  ASSERT_TRUE(first->accept());
  auto third = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(third);
  EXPECT_EQ(text_of(*third), "b");
}

class UndeclaredAsQueuesTest : public BrokerTest {
 protected:
  UndeclaredAsQueuesTest() : BrokerTest(BrokerOptions{.undeclared = UndeclaredNames::queue}) {}
};

TEST_F(UndeclaredAsQueuesTest, PublishDeclaresTheQueueAndKeepsTheMessage) {
  publish("auto.created", "kept");
  EXPECT_EQ(stats_of("auto.created").depth, 1u);
  auto receiver = broker.open_receiver("auto.created");
  ASSERT_TRUE(receiver);
  auto delivery = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(delivery);
  EXPECT_EQ(text_of(*delivery), "kept");
}

TEST_F(UndeclaredAsQueuesTest, ConsumeDeclaresTheQueue) {
  Collector collector;
  auto consumer = broker.consume("auto.consumed", {}, collector.handler());
  ASSERT_TRUE(consumer);
  publish("auto.consumed", "x");
  runtime.run_until_idle();
  EXPECT_EQ(collector.texts(), std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace wasmq
