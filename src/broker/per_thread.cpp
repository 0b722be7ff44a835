#include "detail/per_thread.hpp"

#include <atomic>

namespace wasmq::detail {

std::uint64_t next_per_thread_serial() noexcept {
  // relaxed: a serial only has to be unique; it publishes nothing.
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace wasmq::detail
