// Each thread puts entries into a queue through a producer of its own (a moodycamel producer
// token and its counts), found through a per-thread cache of limited size: the order of each
// thread's messages, and the queue's counts, must not depend on how that cache fares.

#include "support/broker_fixture.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::text_of;

using QueueProducersTest = BrokerTest;

// A thread's cache holds 64 queues. Publishing to more in turn misses it on every publish, and
// each miss must find the thread's producer again, not make another: messages in different
// producers are taken newest producer first, which would reverse the order here.
TEST_F(QueueProducersTest, AThreadKeepsItsOrderAcrossMoreQueuesThanItsCacheHolds) {
  constexpr int queue_count = 150;
  constexpr int rounds = 5;
  std::vector<Receiver> receivers;
  for (int q = 0; q < queue_count; ++q) {
    const std::string name = "q" + std::to_string(q);
    ASSERT_TRUE(broker.declare_queue(name));
    auto receiver = broker.open_receiver(name, {.max_in_flight = rounds});
    ASSERT_TRUE(receiver);
    receivers.push_back(std::move(*receiver));
  }
  for (int round = 0; round < rounds; ++round) {
    for (int q = 0; q < queue_count; ++q) publish("q" + std::to_string(q), std::to_string(round));
  }
  for (int q = 0; q < queue_count; ++q) {
    for (int round = 0; round < rounds; ++round) {
      auto delivery = receivers[static_cast<std::size_t>(q)].receive(Duration::zero());
      ASSERT_TRUE(delivery) << "queue " << q;
      EXPECT_EQ(text_of(*delivery), std::to_string(round)) << "queue " << q;
    }
    EXPECT_EQ(stats_of("q" + std::to_string(q)).published, static_cast<std::uint64_t>(rounds));
  }
}

// Each thread counts what it publishes where only it writes; the queue adds them up, and takes
// off what consumers took out.
TEST_F(QueueProducersTest, PublishesAndBytesFromManyThreadsAddUp) {
  constexpr int threads = 4;
  constexpr int per_thread = 1'000;
  const std::string ten_bytes = "0123456789";
  ASSERT_TRUE(broker.declare_queue("q"));
  {
    std::vector<std::jthread> publishers;
    for (int t = 0; t < threads; ++t) {
      publishers.emplace_back([&] {
        for (int i = 0; i < per_thread; ++i) ASSERT_TRUE(broker.publish(testing_support::make_message("q", ten_bytes)));
      });
    }
  }
  auto stats = stats_of("q");
  EXPECT_EQ(stats.published, std::uint64_t{threads * per_thread});
  EXPECT_EQ(stats.depth, std::uint64_t{threads * per_thread});
  EXPECT_EQ(stats.bytes, std::uint64_t{threads * per_thread * 10});

  auto receiver = broker.open_receiver("q", {.max_in_flight = 1'500});
  for (int i = 0; i < 1'500; ++i) ASSERT_TRUE(receiver->receive(Duration::zero())->accept());
  stats = stats_of("q");
  EXPECT_EQ(stats.published, std::uint64_t{threads * per_thread});
  EXPECT_EQ(stats.depth, std::uint64_t{threads * per_thread - 1'500});
  EXPECT_EQ(stats.bytes, std::uint64_t{(threads * per_thread - 1'500) * 10});
  expect_conserved(stats);
}

// Threads that end leave their producers to the queue; later threads (which may be given the
// same ids) publish through them or through new ones, and nothing is lost or counted twice.
TEST_F(QueueProducersTest, ThreadsThatEndedLeaveTheirCountsAndTheirOrder) {
  ASSERT_TRUE(broker.declare_queue("q"));
  constexpr int generations = 50;
  std::uint64_t bytes = 0;
  for (int g = 0; g < 2 * generations; ++g) bytes += std::to_string(g).size();
  for (int g = 0; g < generations; ++g) {
    std::jthread([&] {
      publish("q", std::to_string(2 * g));
      publish("q", std::to_string(2 * g + 1));
    }).join();
  }
  auto stats = stats_of("q");
  EXPECT_EQ(stats.published, std::uint64_t{2 * generations});
  EXPECT_EQ(stats.bytes, bytes);
  auto receiver = broker.open_receiver("q", {.max_in_flight = 2 * generations});
  std::vector<int> seen;
  while (true) {
    auto delivery = receiver->receive(Duration::zero());
    if (!delivery) break;
    seen.push_back(std::stoi(text_of(*delivery)));
    ASSERT_TRUE(delivery->accept());
  }
  ASSERT_EQ(seen.size(), std::size_t{2 * generations});
  // Each thread's two messages in the order it published them.
  for (int g = 0; g < generations; ++g) {
    const auto first = std::ranges::find(seen, 2 * g);
    const auto second = std::ranges::find(seen, 2 * g + 1);
    EXPECT_LT(first, second) << "thread " << g;
  }
}

// A thread's cache keeps entries of queues that are gone. A queue made afterwards (possibly at
// the same address) must get a producer of its own, never the stale one: run under ASan, a stale
// producer is a use after free.
TEST_F(QueueProducersTest, AQueueMadeAfterOneIsGoneNeverUsesItsProducer) {
  for (int i = 0; i < 200; ++i) {
    std::vector<std::string> texts;
    auto subscription = broker.subscribe("events", {}, [&](Delivery& delivery) {
      texts.push_back(text_of(delivery));
      (void)delivery.accept();
    });
    ASSERT_TRUE(subscription);
    publish("events", std::to_string(i));
    runtime.run_until_idle();
    EXPECT_EQ(texts, std::vector<std::string>{std::to_string(i)});
    subscription->close();
    runtime.run_until_idle();
  }
}

// A broker's publishes are counted per thread too, through a cache of 8 brokers: publishing
// through more, from several threads at once, misses it on every publish, and each miss must find
// the thread's counts again.
TEST(BrokerPublisherCountsTest, PublishesThroughMoreBrokersThanACacheHoldsAddUp) {
  constexpr int broker_count = 12;
  constexpr int threads = 3;
  constexpr int rounds = 200;
  ManualRuntime runtime;
  std::vector<std::unique_ptr<Broker>> brokers;
  for (int b = 0; b < broker_count; ++b) {
    brokers.push_back(std::make_unique<Broker>(runtime));
    ASSERT_TRUE(brokers.back()->declare_queue("q"));
  }
  {
    std::vector<std::jthread> publishers;
    for (int t = 0; t < threads; ++t) {
      publishers.emplace_back([&] {
        for (int round = 0; round < rounds; ++round) {
          for (auto& broker : brokers) {
            ASSERT_TRUE(broker->publish(testing_support::make_message("q")));
            ASSERT_TRUE(broker->publish(testing_support::make_message("nobody.listens")));
          }
        }
      });
    }
  }
  for (auto& broker : brokers) {
    const BrokerStats stats = broker->stats();
    EXPECT_EQ(stats.published, std::uint64_t{2 * threads * rounds});
    EXPECT_EQ(stats.unrouted, std::uint64_t{threads * rounds});
  }
}

}  // namespace
}  // namespace wasmq
