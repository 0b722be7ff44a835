// The counters add up: every message is accounted for exactly once.

#include "support/broker_fixture.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::Collector;

using StatsTest = BrokerTest;

TEST_F(StatsTest, EveryFateIsCountedOnce) {
  ASSERT_TRUE(broker.declare_queue("dead"));
  ASSERT_TRUE(broker.declare_queue("q", {.lock_duration = 1s, .max_deliveries = 2, .dead_letter = "dead"}));
  auto receiver = broker.open_receiver("q");
  for (int i = 0; i < 6; ++i) publish("q");
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->accept());      // accepted
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->reject("no"));  // dead-lettered: rejected
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->release(10s));  // delayed
  auto expiring = receiver->receive(wasmq::Duration::zero());             // in flight, lock will expire
  auto held = receiver->receive(wasmq::Duration::zero());                 // in flight
  expect_conserved(stats_of("q"));
  runtime.advance(1s);  // both locks expire: back to waiting
  auto stats = stats_of("q");
  EXPECT_EQ(stats.lock_expired, 2u);
  EXPECT_EQ(stats.depth, 3u);
  EXPECT_EQ(stats.delayed, 1u);
  EXPECT_EQ(stats.in_flight, 0u);
  expect_conserved(stats);
  EXPECT_EQ(stats.published, 6u);
  EXPECT_EQ(stats.delivered, 5u);
  EXPECT_EQ(stats.accepted, 1u);
  EXPECT_EQ(stats.rejected, 1u);
  EXPECT_EQ(stats.released, 1u);
  EXPECT_EQ(stats.dead_lettered_total(), 1u);
  EXPECT_EQ(stats_of("dead").depth, 1u);
}

// A queue's delivery counts live in its consumers' blocks (no shared counter per message): they
// must still add up across consumers, survive a consumer that leaves, and not leak into the
// counts of the next consumer, which may count in the same block.
TEST_F(StatsTest, QueueTotalsSurviveConsumersAndEachConsumerCountsItsOwn) {
  ASSERT_TRUE(broker.declare_queue("q", {.lock_duration = 1s}));
  for (int i = 0; i < 7; ++i) publish("q");
  {
    auto first = broker.open_receiver("q");
    auto second = broker.open_receiver("q");
    ASSERT_TRUE(first->receive(wasmq::Duration::zero())->accept());
    ASSERT_TRUE(first->receive(wasmq::Duration::zero())->accept());
    ASSERT_TRUE(second->receive(wasmq::Duration::zero())->reject("no"));
    auto held = second->receive(wasmq::Duration::zero());  // in flight while we look
    auto stats = stats_of("q");
    EXPECT_EQ(stats.delivered, 4u);
    EXPECT_EQ(stats.accepted, 2u);
    EXPECT_EQ(stats.rejected, 1u);
    EXPECT_EQ(stats.in_flight, 1u);
    EXPECT_EQ(first->stats().delivered, 2u);
    EXPECT_EQ(second->stats().delivered, 2u);
    expect_conserved(stats);
  }  // both leave; the held delivery is released as its receiver closes
  auto after = stats_of("q");
  EXPECT_EQ(after.delivered, 4u);
  EXPECT_EQ(after.accepted, 2u);
  EXPECT_EQ(after.rejected, 1u);
  EXPECT_EQ(after.released, 1u);
  EXPECT_EQ(after.in_flight, 0u);

  auto next = broker.open_receiver("q");  // takes a block a departed receiver counted in
  ASSERT_TRUE(next->receive(wasmq::Duration::zero())->accept());
  const ConsumerStats own = next->stats();
  EXPECT_EQ(own.delivered, 1u);
  EXPECT_EQ(own.accepted, 1u);
  EXPECT_EQ(own.released, 0u);
  EXPECT_EQ(own.rejected, 0u);
  auto total = stats_of("q");
  EXPECT_EQ(total.delivered, 5u);
  EXPECT_EQ(total.accepted, 3u);
  expect_conserved(total);
}

// A push handler accepts deliveries in place while another thread accepts the ones it moved out,
// at the same time: every accept is counted. (Counting the handler's accepts with the plain load
// and store its deliveries are counted with, in the same counter, loses some here nearly every
// run.)
TEST_F(StatsTest, AcceptsInTheHandlerAndElsewhereAtOnceAreAllCounted) {
  constexpr std::uint64_t total = 2'000;
  ASSERT_TRUE(broker.declare_queue("q"));
  std::mutex mutex;
  std::condition_variable handed_over;
  std::vector<Delivery> moved_out;  // guarded by mutex
  bool done = false;                // guarded by mutex
  std::atomic<std::uint64_t> settled{0};
  std::jthread elsewhere([&] {
    std::unique_lock lock(mutex);
    while (true) {
      handed_over.wait(lock, [&] { return done || !moved_out.empty(); });
      if (moved_out.empty()) return;
      std::vector<Delivery> batch = std::move(moved_out);
      moved_out.clear();
      lock.unlock();
      for (Delivery& delivery : batch) {
        EXPECT_TRUE(delivery.accept());
        settled.fetch_add(1);
      }
      lock.lock();
    }
  });
  std::uint64_t seen = 0;
  auto consumer = broker.consume("q", {}, [&](Delivery& delivery) {
    if (seen++ % 2 == 0) {
      EXPECT_TRUE(delivery.accept());
      settled.fetch_add(1);
      return;
    }
    {
      std::lock_guard lock(mutex);
      moved_out.push_back(std::move(delivery));
    }
    handed_over.notify_one();
  });
  ASSERT_TRUE(consumer);
  for (std::uint64_t i = 0; i < total; ++i) publish("q");
  // Deliveries moved out hold in-flight slots until accepted elsewhere; their settles wake the
  // consumer when it was saturated.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (settled.load() < total && std::chrono::steady_clock::now() < deadline) runtime.run_until_idle();
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  handed_over.notify_one();
  elsewhere.join();
  ASSERT_EQ(settled.load(), total);
  EXPECT_EQ(stats_of("q").accepted, total);
  EXPECT_EQ(consumer->stats().accepted, total);
  expect_conserved(stats_of("q"));
}

// A pull receiver counts what its home thread (the first to receive) does with plain stores, and
// what other threads do with locked increments, in another block: a delivery received on one
// thread and settled on another is counted once in each, and is not left in flight; the bytes it
// took are counted out wherever it was taken.
TEST_F(StatsTest, ADeliveryReceivedOnOneThreadAndSettledOnAnotherIsNotLeftInFlight) {
  ASSERT_TRUE(broker.declare_queue("q"));
  auto receiver = broker.open_receiver("q");
  ASSERT_TRUE(receiver);
  for (int i = 0; i < 4; ++i) publish("q");
  auto here = receiver->receive(wasmq::Duration::zero());  // this thread becomes the home thread
  ASSERT_TRUE(here);
  std::jthread([&] { EXPECT_TRUE(here->accept()); }).join();
  std::jthread([&] {
    auto there = receiver->receive(wasmq::Duration::zero());  // not the home thread
    ASSERT_TRUE(there);
    EXPECT_TRUE(there->reject("no"));
  }).join();
  std::optional<Result<Delivery>> received_there;
  std::jthread([&] { received_there.emplace(receiver->receive(wasmq::Duration::zero())); }).join();
  ASSERT_TRUE(received_there && *received_there);
  ASSERT_TRUE((*received_there)->release());  // received elsewhere, settled at home
  auto again = receiver->receive(wasmq::Duration::zero());
  ASSERT_TRUE(again);
  std::jthread([&] { EXPECT_TRUE(again->accept()); }).join();
  auto stats = stats_of("q");
  EXPECT_EQ(stats.delivered, 4u);
  EXPECT_EQ(stats.accepted, 2u);
  EXPECT_EQ(stats.rejected, 1u);
  EXPECT_EQ(stats.released, 1u);
  EXPECT_EQ(stats.in_flight, 0u);
  EXPECT_EQ(stats.depth, 1u) << "the released one";
  EXPECT_EQ(stats.bytes, std::string("payload").size()) << "taken at home and elsewhere, and one put back";
  expect_conserved(stats);
  const ConsumerStats own = receiver->stats();
  EXPECT_EQ(own.delivered, 4u);
  EXPECT_EQ(own.accepted, 2u);
  EXPECT_EQ(own.rejected, 1u);
  EXPECT_EQ(own.released, 1u);
  EXPECT_EQ(own.in_flight, 0u);
}

// The home thread receives and accepts while two other threads receive from the same receiver
// and accept, and a third accepts deliveries the home thread handed it, all at once: every
// delivery, accept and byte taken is counted. (Counting the other threads in the home thread's
// block, with its plain loads and stores, loses some here nearly every run.)
TEST_F(StatsTest, APullReceiverUsedFromSeveralThreadsAtOnceCountsEverything) {
  constexpr std::uint64_t total = 40'000;
  ASSERT_TRUE(broker.declare_queue("q"));
  auto receiver = broker.open_receiver("q", {.max_in_flight = 65536});
  ASSERT_TRUE(receiver);
  for (std::uint64_t i = 0; i < total; ++i) publish("q");
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->accept());  // this thread is home
  std::atomic<std::uint64_t> accepted{1};
  std::mutex mutex;
  std::vector<Delivery> handed;  // guarded by mutex
  std::atomic<bool> home_done{false};
  auto receive_and_accept = [&] {
    while (auto delivery = receiver->receive(wasmq::Duration::zero())) {
      EXPECT_TRUE(delivery->accept());
      accepted.fetch_add(1);
    }
  };
  {
    std::jthread first(receive_and_accept);
    std::jthread second(receive_and_accept);
    std::jthread settler([&] {
      while (true) {
        std::vector<Delivery> batch;
        {
          std::lock_guard lock(mutex);
          batch = std::move(handed);
          handed.clear();
        }
        for (Delivery& delivery : batch) {
          EXPECT_TRUE(delivery.accept());
          accepted.fetch_add(1);
        }
        if (batch.empty() && home_done.load()) return;
        if (batch.empty()) std::this_thread::yield();
      }
    });
    std::uint64_t seen = 0;
    while (auto delivery = receiver->receive(wasmq::Duration::zero())) {
      if (seen++ % 2 == 0) {
        EXPECT_TRUE(delivery->accept());
        accepted.fetch_add(1);
      } else {
        std::lock_guard lock(mutex);
        handed.push_back(std::move(*delivery));
      }
    }
    home_done.store(true);
  }
  ASSERT_EQ(accepted.load(), total);
  auto stats = stats_of("q");
  EXPECT_EQ(stats.delivered, total);
  EXPECT_EQ(stats.accepted, total);
  EXPECT_EQ(stats.in_flight, 0u);
  EXPECT_EQ(stats.depth, 0u);
  EXPECT_EQ(stats.bytes, 0u) << "every byte taken is counted out, whichever thread took it";
  expect_conserved(stats);
  EXPECT_EQ(receiver->stats().delivered, total);
  EXPECT_EQ(receiver->stats().accepted, total);
}

TEST_F(StatsTest, BrokerStatsListQueuesAndConsumers) {
  ASSERT_TRUE(broker.declare_queue("q"));
  Collector collector;
  auto consumer = broker.consume("q", {}, collector.handler());
  auto subscription = broker.subscribe("t.>", {.group = "g"}, collector.handler());
  auto stats = broker.stats();
  ASSERT_EQ(stats.queues.size(), 2u);
  EXPECT_EQ(stats.consumers.size(), 2u);
  EXPECT_EQ(stats.queues[0].name, "q");
  EXPECT_EQ(stats.queues[1].name, "t.> [group g]");
  EXPECT_EQ(stats.queues[1].binding, "t.>");
}

TEST_F(StatsTest, UnknownQueueStatsAreAnError) {
  EXPECT_EQ(broker.queue_stats("missing").error().code, Errc::no_such_queue);
}

}  // namespace
}  // namespace wasmq
