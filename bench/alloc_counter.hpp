#pragma once
// Allocation counting for the bench binary: it replaces the global operator new, so every
// allocation anywhere in the process (broker, baselines, the benchmark itself) is counted.

#include <cstdint>

namespace wasmq::bench {

struct AllocationCount {
  std::uint64_t allocations = 0;
  std::uint64_t bytes = 0;
};

/// Allocations and bytes since the process started. Thread-safe.
AllocationCount allocations_so_far() noexcept;

}  // namespace wasmq::bench
