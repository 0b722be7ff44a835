// Scenario 2: fan-out, one publisher → N subscriptions (1, 4, 16); deliveries per second in total.
// The broker's subscriptions run on one runtime thread; ZeroMQ's N SUB sockets are polled by one
// thread — the same two threads in both (this machine has two cores).

#include "common.hpp"
#include "zmq_socket.hpp"

#include <wasmq/broker.hpp>
#include <wasmq/thread_pool_runtime.hpp>

#include <memory>
#include <span>
#include <thread>

namespace wasmq::bench {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct alignas(64) DeliveryCount {
  std::atomic<std::int64_t> value{0};
};

/// Spins (yielding) until the counts add up to `target`. acquire: pairs with each count's release
/// store.
void wait_for_sum(std::span<const DeliveryCount> counts, std::int64_t target) {
  while (true) {
    std::int64_t sum = 0;
    for (const auto& count : counts) sum += count.value.load(std::memory_order_acquire);
    if (sum >= target) return;
    std::this_thread::yield();
  }
}

void fanout_args(benchmark::internal::Benchmark* benchmark) {
  for (int subscribers : {1, 4, 16}) benchmark->Args({16, subscribers});
  benchmark->Args({1024, 4});
}

void BM_FanOut_Broker(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const auto subscribers = state.range(1);
  const Bytes payload = payload_of(size);
  const std::int64_t batch = batch_for(size) / 4;
  ThreadPoolRuntime runtime(1);
  Broker broker(runtime);
  // Each subscription counts on a line of its own with a plain store, as the ZeroMQ row's one
  // consumer thread does (a push consumer runs one delivery at a time, so each count has one
  // writer): a read-modify-write here would stall on the line the waiting publisher reads, a cost
  // of the harness that the baseline does not pay.
  const auto counts = std::make_unique<DeliveryCount[]>(static_cast<std::size_t>(subscribers));
  std::vector<Consumer> consumers;
  for (std::int64_t i = 0; i < subscribers; ++i) {
    // Unbounded subscription queues: the benchmark measures throughput, not overflow.
    auto& count = counts[static_cast<std::size_t>(i)].value;
    auto consumer = broker.subscribe("prices.>", {.queue = QueueOptions{}}, [&count](Delivery& delivery) {
      (void)delivery.accept();
      count.store(count.load(std::memory_order_relaxed) + 1, std::memory_order_release);  // one writer
    });
    consumers.push_back(std::move(*consumer));
  }
  std::int64_t published = 0;
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) {
      if (!broker.publish("prices.eur", payload)) state.SkipWithError("publish failed");
    }
    published += batch;
    wait_for_sum(std::span(counts.get(), static_cast<std::size_t>(subscribers)), published * subscribers);
  }
  throughput.finish(published * subscribers, size);
}
BENCHMARK(BM_FanOut_Broker)->Apply(fanout_args)->UseRealTime();

void BM_FanOut_ZmqPubSub(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const auto subscribers = static_cast<std::size_t>(state.range(1));
  const Bytes payload = payload_of(size);
  const std::int64_t batch = batch_for(size) / 4;
  ZmqContext context;
  ZmqSocket pub(context, ZMQ_PUB);
  pub.bind("inproc://fanout");
  std::vector<std::unique_ptr<ZmqSocket>> subs;
  for (std::size_t i = 0; i < subscribers; ++i) {
    subs.push_back(std::make_unique<ZmqSocket>(context, ZMQ_SUB));
    subs.back()->connect("inproc://fanout");
    subs.back()->subscribe_all();
  }
  std::vector<zmq_pollitem_t> items(subscribers);
  for (std::size_t i = 0; i < subscribers; ++i) items[i] = {subs[i]->get(), 0, ZMQ_POLLIN, 0};
  // Subscriptions reach the publisher asynchronously: send probes until every subscriber saw one.
  std::vector<bool> joined(subscribers, false);
  std::size_t joined_count = 0;
  while (joined_count < subscribers) {
    const std::uint8_t probe = 1;
    pub.send(&probe, 1);
    zmq_poll(items.data(), static_cast<int>(items.size()), 1);
    for (std::size_t i = 0; i < subscribers; ++i) {
      while (zmq_poll(&items[i], 1, 0) > 0) {
        subs[i]->receive();
        if (!joined[i]) {
          joined[i] = true;
          ++joined_count;
        }
      }
    }
  }
  std::atomic<std::int64_t> received{0};
  std::atomic<bool> stopping{false};
  std::thread consumer([&] {
    std::int64_t count = 0;
    while (!stopping.load(std::memory_order_acquire)) {
      if (zmq_poll(items.data(), static_cast<int>(items.size()), 10) <= 0) continue;
      for (std::size_t i = 0; i < subscribers; ++i) {
        if ((items[i].revents & ZMQ_POLLIN) == 0) continue;
        // Drain this socket without blocking.
        while (true) {
          zmq_msg_t message;
          zmq_msg_init(&message);
          const int got = zmq_msg_recv(&message, subs[i]->get(), ZMQ_DONTWAIT);
          zmq_msg_close(&message);
          if (got < 0) break;
          received.store(++count, std::memory_order_release);
        }
      }
    }
  });
  std::int64_t published = 0;
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) pub.send(payload.data(), payload.size());
    published += batch;
    wait_for(received, published * static_cast<std::int64_t>(subscribers));
  }
  throughput.finish(published * static_cast<std::int64_t>(subscribers), size);
  stopping.store(true, std::memory_order_release);
  consumer.join();
}
BENCHMARK(BM_FanOut_ZmqPubSub)->Apply(fanout_args)->UseRealTime();

}  // namespace
}  // namespace wasmq::bench
