#pragma once

#include <atomic>
#include <cstdint>

namespace wasmq::detail {

/// Adds `n` to a counter that only the calling party writes (others only read it): a load and a
/// store, not a locked read-modify-write. relaxed: statistics.
inline void add_as_only_writer(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

}  // namespace wasmq::detail
