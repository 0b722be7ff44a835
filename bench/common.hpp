#pragma once
// What every benchmark shares: payloads, batch sizes, waiting for a consumer, reporting counters.

#include "alloc_counter.hpp"
#include "placement.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace wasmq::bench {

/// A payload of `size` bytes (contents irrelevant, but not all zero).
inline std::vector<std::uint8_t> payload_of(std::size_t size) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(i * 31 + 7);
  return bytes;
}

/// Messages per timed iteration: enough that waiting for the consumer is amortised, few enough
/// that a 64 KiB run stays in memory.
inline std::int64_t batch_for(std::size_t payload_size) {
  return payload_size >= 65536 ? 256 : payload_size >= 1024 ? 2048 : 8192;
}

/// Spins (yielding) until `counter` reaches `target`. acquire: pairs with the consumer's release
/// increment, so what it wrote before counting is visible.
inline void wait_for(const std::atomic<std::int64_t>& counter, std::int64_t target) {
  while (counter.load(std::memory_order_acquire) < target) std::this_thread::yield();
}

/// Reports items and bytes, and allocations per message over the timed loop. Made just before
/// the timed loop, once every thread exists: it also places the threads (placement.hpp).
class Throughput {
 public:
  explicit Throughput(benchmark::State& state) : state_(state), before_(allocations_so_far()) {}
  void finish(std::int64_t messages, std::size_t payload_size) {
    const AllocationCount after = allocations_so_far();
    state_.SetItemsProcessed(messages);
    state_.SetBytesProcessed(messages * static_cast<std::int64_t>(payload_size));
    if (messages > 0) {
      state_.counters["allocs_per_msg"] =
          static_cast<double>(after.allocations - before_.allocations) / static_cast<double>(messages);
    }
  }

 private:
  ThreadPlacement placement_;
  benchmark::State& state_;
  AllocationCount before_;
};

/// Latency percentiles from samples in nanoseconds, as counters p50_ns, p99_ns, p999_ns.
inline void report_latency(benchmark::State& state, std::vector<std::int64_t>& samples_ns) {
  if (samples_ns.empty()) return;
  std::sort(samples_ns.begin(), samples_ns.end());
  const auto at = [&](double q) {
    const auto index = static_cast<std::size_t>(q * static_cast<double>(samples_ns.size() - 1));
    return static_cast<double>(samples_ns[index]);
  };
  state.counters["p50_ns"] = at(0.50);
  state.counters["p99_ns"] = at(0.99);
  state.counters["p999_ns"] = at(0.999);
}

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// The payload sizes a scenario runs with.
inline void payload_sizes(benchmark::internal::Benchmark* benchmark) { benchmark->Arg(16)->Arg(1024)->Arg(65536); }

}  // namespace wasmq::bench
