// Push consumers (in-flight limit, batches, closing) and pull receivers (closing).

#include "support/broker_fixture.hpp"

#include <optional>

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::Collector;
using testing_support::text_of;

using ConsumerTest = BrokerTest;

TEST_F(ConsumerTest, MaxInFlightPausesDispatchUntilASettle) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  Collector collector;
  auto consumer = broker.consume("jobs", {.max_in_flight = 2}, collector.handler());
  for (int i = 0; i < 5; ++i) publish("jobs", std::to_string(i));
  runtime.run_until_idle();
  ASSERT_EQ(collector.deliveries.size(), 2u);
  EXPECT_EQ(stats_of("jobs").depth, 3u);
  ASSERT_TRUE(collector.deliveries[0].accept());
  runtime.run_until_idle();
  ASSERT_EQ(collector.deliveries.size(), 3u);
  EXPECT_EQ(text_of(collector.deliveries[2]), "2");
}

TEST_F(ConsumerTest, ABatchYieldsTheThreadBetweenRuns) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  Collector collector;
  auto consumer = broker.consume("jobs", {.batch_size = 2}, collector.handler());
  runtime.run_until_idle();
  for (int i = 0; i < 5; ++i) publish("jobs", std::to_string(i));
  EXPECT_EQ(runtime.pending_tasks(), 1u) << "one wake-up for five messages";
  ASSERT_TRUE(runtime.run_one());
  EXPECT_EQ(collector.deliveries.size(), 2u);
  EXPECT_EQ(runtime.pending_tasks(), 1u) << "the rest is scheduled again, not run inline";
  runtime.run_until_idle();
  EXPECT_EQ(collector.deliveries.size(), 5u);
}

TEST_F(ConsumerTest, AnIdleConsumerIsWokenByTheNextPublish) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  Collector collector;
  auto consumer = broker.consume("jobs", {}, collector.handler());
  runtime.run_until_idle();
  EXPECT_EQ(runtime.pending_tasks(), 0u) << "parked, not polling";
  publish("jobs");
  EXPECT_EQ(runtime.pending_tasks(), 1u);
  runtime.run_until_idle();
  EXPECT_EQ(collector.deliveries.size(), 1u);
}

TEST_F(ConsumerTest, IdleCompetingConsumersTakeTurnsAtWakeUps) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  std::vector<int> order;
  auto handler_of = [&order](int id) {
    return [&order, id](Delivery& delivery) {
      order.push_back(id);
      (void)delivery.accept();
    };
  };
  auto first = broker.consume("jobs", {}, handler_of(1));
  auto second = broker.consume("jobs", {}, handler_of(2));
  auto third = broker.consume("jobs", {}, handler_of(3));
  runtime.run_until_idle();  // all three park
  for (int i = 0; i < 6; ++i) {
    publish("jobs");
    runtime.run_until_idle();
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 1, 2, 3}));
}

TEST_F(ConsumerTest, ClosingReleasesEverythingItHolds) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  Collector collector;
  auto consumer = broker.consume("jobs", {}, collector.handler());
  for (int i = 0; i < 3; ++i) publish("jobs");
  runtime.run_until_idle();
  ASSERT_EQ(collector.deliveries.size(), 3u);
  consumer->close();
  auto stats = stats_of("jobs");
  EXPECT_EQ(stats.in_flight, 0u);
  EXPECT_EQ(stats.depth, 3u);
  EXPECT_EQ(stats.released, 3u);
  for (auto& delivery : collector.deliveries) EXPECT_EQ(delivery.accept().error().code, Errc::lock_lost);
  publish("jobs");
  runtime.run_until_idle();
  EXPECT_EQ(collector.deliveries.size(), 3u) << "no deliveries after close";
}

TEST_F(ConsumerTest, AHandlerMayCloseItsOwnConsumer) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  Consumer consumer;
  int calls = 0;
  auto opened = broker.consume("jobs", {}, [&](Delivery&) {
    ++calls;
    consumer.close();  // must not wait for itself
  });
  consumer = std::move(*opened);
  publish("jobs");
  publish("jobs");
  runtime.run_until_idle();
  EXPECT_EQ(calls, 1);
  auto stats = stats_of("jobs");
  EXPECT_EQ(stats.depth, 2u) << "the message being handled went back";
  EXPECT_EQ(stats.in_flight, 0u);
}

TEST_F(ConsumerTest, ADispatchRunTakesItsBatchFromTheQueueAtOnce) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  std::vector<std::uint64_t> depth_seen;
  auto consumer = broker.consume("jobs", {.batch_size = 4}, [&](Delivery& delivery) {
    depth_seen.push_back(stats_of("jobs").depth);
    (void)delivery.accept();
  });
  runtime.run_until_idle();
  for (int i = 0; i < 6; ++i) publish("jobs", std::to_string(i));
  ASSERT_TRUE(runtime.run_one());
  EXPECT_EQ(depth_seen, (std::vector<std::uint64_t>{2, 2, 2, 2})) << "four taken before the first handler ran";
}

TEST_F(ConsumerTest, ABatchInHandWhenItsConsumerClosesGoesBackAheadOfTheRest) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  std::vector<std::string> first_consumer;
  std::optional<Consumer> consumer;
  consumer = *broker.consume("jobs", {.batch_size = 8}, [&](Delivery& delivery) {
    first_consumer.push_back(std::string(delivery.message().payload().as_string()));
    (void)delivery.accept();
    if (first_consumer.size() == 3) consumer->close();  // five of its batch of eight still in hand
  });
  runtime.run_until_idle();
  for (int i = 0; i < 10; ++i) publish("jobs", std::to_string(i));
  runtime.run_until_idle();
  EXPECT_EQ(first_consumer, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(stats_of("jobs").depth, 7u);
  EXPECT_EQ(stats_of("jobs").released, 0u) << "never delivered, so not released either";

  auto receiver = broker.open_receiver("jobs", {.max_in_flight = 16});
  for (int i = 3; i < 10; ++i) {
    auto delivery = receiver->receive(wasmq::Duration::zero());
    ASSERT_TRUE(delivery) << i;
    EXPECT_EQ(delivery->message().payload().as_string(), std::to_string(i)) << "publish order kept";
    EXPECT_EQ(delivery->delivery_count(), 1u) << "a first delivery";
    ASSERT_TRUE(delivery->accept());
  }
  EXPECT_FALSE(receiver->receive(wasmq::Duration::zero()));
}

TEST_F(ConsumerTest, DestroyingTheHandleCloses) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  Collector collector;
  {
    auto consumer = broker.consume("jobs", {}, collector.handler());
    publish("jobs");
    runtime.run_until_idle();
  }
  EXPECT_EQ(stats_of("jobs").consumers, 0u);
  EXPECT_EQ(stats_of("jobs").depth, 1u);
}

TEST_F(ConsumerTest, AClosedReceiverRefusesAndReleases) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  auto receiver = broker.open_receiver("jobs");
  publish("jobs");
  auto held = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(held);
  receiver->close();
  EXPECT_EQ(receiver->receive(wasmq::Duration::zero()).error().code, Errc::closed);
  EXPECT_EQ(held->accept().error().code, Errc::lock_lost);
  EXPECT_EQ(stats_of("jobs").depth, 1u);
}

TEST_F(ConsumerTest, AnEmptyReceiverHandleIsAnError) {
  Receiver receiver;
  EXPECT_EQ(receiver.receive(wasmq::Duration::zero()).error().code, Errc::invalid_handle);
}

TEST_F(ConsumerTest, ConsumerStatsCountItsOwnDeliveries) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  auto receiver = broker.open_receiver("jobs");
  for (int i = 0; i < 3; ++i) publish("jobs");
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->accept());
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->release());
  auto held = receiver->receive(wasmq::Duration::zero());
  auto stats = receiver->stats();
  EXPECT_EQ(stats.delivered, 3u);
  EXPECT_EQ(stats.accepted, 1u);
  EXPECT_EQ(stats.released, 1u);
  EXPECT_EQ(stats.in_flight, 1u);
  EXPECT_EQ(stats.queue, "jobs");
}

}  // namespace
}  // namespace wasmq
