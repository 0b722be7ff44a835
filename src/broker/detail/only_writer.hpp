#pragma once

#include <atomic>
#include <cstdint>

namespace wasmq::detail {

/// Adds `n` to a counter that only the calling party writes (others only read it): a load and a
/// store, not a locked read-modify-write. relaxed by default: statistics; `order` for a store that
/// must publish what came before it.
inline void add_as_only_writer(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1,
                               std::memory_order order = std::memory_order_relaxed) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + n, order);
}

}  // namespace wasmq::detail
