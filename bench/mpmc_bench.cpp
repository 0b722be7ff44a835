// Scenario 3: N producers → one queue → M competing consumers, each message accepted.

#include "common.hpp"

#include <wasmq/broker.hpp>
#include <wasmq/thread_pool_runtime.hpp>

#include <concurrentqueue/concurrentqueue.h>

namespace wasmq::bench {
namespace {

using Bytes = std::vector<std::uint8_t>;

void producer_consumer_args(benchmark::internal::Benchmark* benchmark) {
  benchmark->ArgNames({"producers", "consumers"});
  benchmark->Args({1, 1})->Args({2, 1})->Args({1, 2})->Args({2, 2});
}

/// Runs `produce(count)` on `producers` threads per iteration (the first on the benchmark thread).
template <typename Produce>
void run_producers(std::int64_t producers, std::int64_t per_producer, Produce produce) {
  std::vector<std::thread> others;
  for (std::int64_t p = 1; p < producers; ++p) others.emplace_back([&] { produce(per_producer); });
  produce(per_producer);
  for (auto& thread : others) thread.join();
}

void BM_Competing_Broker(benchmark::State& state) {
  const std::int64_t producers = state.range(0);
  const std::int64_t consumers = state.range(1);
  const Bytes payload = payload_of(16);
  const std::int64_t per_producer = batch_for(16) / producers;
  ThreadPoolRuntime runtime(static_cast<std::size_t>(consumers));
  Broker broker(runtime);
  (void)broker.declare_queue("work");
  std::atomic<std::int64_t> received{0};
  std::vector<Consumer> handles;
  for (std::int64_t c = 0; c < consumers; ++c) {
    handles.push_back(*broker.consume("work", {}, [&received](Delivery& delivery) {
      (void)delivery.accept();
      received.fetch_add(1, std::memory_order_release);
    }));
  }
  std::int64_t sent = 0;
  Throughput throughput(state);
  for (auto _ : state) {
    run_producers(producers, per_producer, [&](std::int64_t count) {
      for (std::int64_t i = 0; i < count; ++i) {
        (void)broker.publish("work", payload);
      }
    });
    sent += producers * per_producer;
    wait_for(received, sent);
  }
  throughput.finish(sent, 16);
}
BENCHMARK(BM_Competing_Broker)->Apply(producer_consumer_args)->UseRealTime();

void BM_Competing_Moodycamel(benchmark::State& state) {
  const std::int64_t producers = state.range(0);
  const std::int64_t consumers = state.range(1);
  const Bytes payload = payload_of(16);
  const std::int64_t per_producer = batch_for(16) / producers;
  moodycamel::ConcurrentQueue<Bytes> queue;
  std::atomic<std::int64_t> received{0};
  std::atomic<bool> stopping{false};
  std::vector<std::thread> threads;
  for (std::int64_t c = 0; c < consumers; ++c) {
    threads.emplace_back([&] {
      moodycamel::ConsumerToken token(queue);
      Bytes bytes;
      while (!stopping.load(std::memory_order_acquire)) {
        if (queue.try_dequeue(token, bytes)) {
          received.fetch_add(1, std::memory_order_release);
        } else {
          std::this_thread::yield();
        }
      }
    });
  }
  std::int64_t sent = 0;
  Throughput throughput(state);
  for (auto _ : state) {
    run_producers(producers, per_producer, [&](std::int64_t count) {
      moodycamel::ProducerToken token(queue);
      for (std::int64_t i = 0; i < count; ++i) queue.enqueue(token, Bytes(payload));
    });
    sent += producers * per_producer;
    wait_for(received, sent);
  }
  throughput.finish(sent, 16);
  stopping.store(true, std::memory_order_release);
  for (auto& thread : threads) thread.join();
}
BENCHMARK(BM_Competing_Moodycamel)->Apply(producer_consumer_args)->UseRealTime();

}  // namespace
}  // namespace wasmq::bench
