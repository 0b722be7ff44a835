// Scenario 7: idle wake-up latency — publish to a consumer whose thread is asleep, until its
// handler is entered. Beside it, the floor: notifying a thread asleep on a condition variable.

#include "common.hpp"

#include <wasmq/broker.hpp>
#include <wasmq/thread_pool_runtime.hpp>

#include <condition_variable>
#include <mutex>

namespace wasmq::bench {
namespace {

constexpr auto idle_gap = std::chrono::microseconds(200);  // long enough for the thread to sleep

void BM_WakeUp_Broker(benchmark::State& state) {
  ThreadPoolRuntime runtime(1);
  Broker broker(runtime);
  (void)broker.declare_queue("idle");
  std::atomic<std::int64_t> entered_at{0};
  std::atomic<std::int64_t> handled{0};
  auto consumer = broker.consume("idle", {}, [&](Delivery& delivery) {
    entered_at.store(now_ns(), std::memory_order_relaxed);
    (void)delivery.accept();
    handled.fetch_add(1, std::memory_order_release);  // release: publishes entered_at
  });
  std::vector<std::int64_t> samples;
  std::int64_t sent = 0;
  ThreadPlacement placement;  // after every thread exists: see placement.hpp
  for (auto _ : state) {
    state.PauseTiming();
    std::this_thread::sleep_for(idle_gap);
    state.ResumeTiming();
    const std::int64_t start = now_ns();
    (void)broker.publish({.topic = "idle", .payload = Payload::copy_of("x")});
    wait_for(handled, ++sent);
    samples.push_back(entered_at.load(std::memory_order_relaxed) - start);
  }
  state.SetItemsProcessed(state.iterations());
  report_latency(state, samples);
}
BENCHMARK(BM_WakeUp_Broker)->UseRealTime();

void BM_WakeUp_CondVar(benchmark::State& state) {
  std::mutex mutex;
  std::condition_variable ready;
  std::int64_t posted = 0;  // guarded by mutex
  bool stopping = false;
  std::atomic<std::int64_t> entered_at{0};
  std::atomic<std::int64_t> handled{0};
  std::thread waiter([&] {
    std::int64_t seen = 0;
    std::unique_lock lock(mutex);
    while (true) {
      ready.wait(lock, [&] { return stopping || posted > seen; });
      if (stopping) return;
      entered_at.store(now_ns(), std::memory_order_relaxed);
      seen = posted;
      handled.fetch_add(1, std::memory_order_release);
    }
  });
  std::vector<std::int64_t> samples;
  std::int64_t sent = 0;
  ThreadPlacement placement;  // after every thread exists: see placement.hpp
  for (auto _ : state) {
    state.PauseTiming();
    std::this_thread::sleep_for(idle_gap);
    state.ResumeTiming();
    const std::int64_t start = now_ns();
    {
      std::lock_guard lock(mutex);
      ++posted;
    }
    ready.notify_one();
    wait_for(handled, ++sent);
    samples.push_back(entered_at.load(std::memory_order_relaxed) - start);
  }
  {
    std::lock_guard lock(mutex);
    stopping = true;
  }
  ready.notify_one();
  waiter.join();
  state.SetItemsProcessed(state.iterations());
  report_latency(state, samples);
}
BENCHMARK(BM_WakeUp_CondVar)->UseRealTime();

}  // namespace
}  // namespace wasmq::bench
