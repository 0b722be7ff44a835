// Scenario 8 (second half): memory per queued 16-byte message — heap bytes allocated per message
// (the replaced allocator counts them) and resident bytes (from /proc/self/statm) — for a queue
// holding a million messages. Allocations per message in steady state are reported by every
// throughput benchmark as allocs_per_msg.

#include "common.hpp"

#include <wasmq/broker.hpp>
#include <wasmq/manual_runtime.hpp>

#include <malloc.h>
#include <unistd.h>
#include <fstream>

namespace wasmq::bench {
namespace {

std::int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

void BM_Memory_QueuedMessage(benchmark::State& state) {
  constexpr std::int64_t messages = 1'000'000;
  const auto payload = payload_of(16);
  for (auto _ : state) {
    ManualRuntime runtime;
    Broker broker(runtime);
    (void)broker.declare_queue("held");
    (void)broker.publish({.topic = "held", .payload = Payload::copy_of(payload)});  // the queue's first block
    malloc_trim(0);  // hand back what earlier benchmarks freed, so the growth below is this queue's
    const AllocationCount heap_before = allocations_so_far();
    const std::int64_t rss_before = resident_bytes();
    for (std::int64_t i = 0; i < messages; ++i) {
      Message message;
      message.topic = "held";
      message.payload = Payload::copy_of(payload);
      (void)broker.publish(std::move(message));
    }
    const AllocationCount heap_after = allocations_so_far();
    state.counters["heap_bytes_per_msg"] =
        static_cast<double>(heap_after.bytes - heap_before.bytes) / static_cast<double>(messages);
    state.counters["allocs_per_msg"] =
        static_cast<double>(heap_after.allocations - heap_before.allocations) / static_cast<double>(messages);
    state.counters["rss_bytes_per_msg"] =
        static_cast<double>(resident_bytes() - rss_before) / static_cast<double>(messages);
  }
  state.SetItemsProcessed(state.iterations() * messages);
}
// One repetition: a second one in the same process would reuse the first one's freed pages.
BENCHMARK(BM_Memory_QueuedMessage)->Iterations(1)->Repetitions(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace wasmq::bench
