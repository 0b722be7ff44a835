#pragma once
// State an owner (a queue, a broker) keeps for each thread that uses it, so that the thread writes
// only its own block on the hot path: a counter with one writer is a load and a store, not a
// locked read-modify-write on a line every thread writes.
//
// The owner holds the blocks: one per thread id that ever asked, for as long as the owner lives. A
// thread that ends leaves its block (its counts stay in the totals); a later thread given the same
// id takes it over (glibc reuses the ids of threads that have ended, after a join or through its
// own lock on their descriptors, either of which orders the old thread's last writes before the
// new thread's first), so in practice the blocks number about the most threads that used the
// owner at once. Each thread finds its block through a small cache of its own, direct-mapped by
// the owner's serial number; a miss takes the owner's mutex.

#include "detail/cache_line.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace wasmq::detail {

/// A serial number no other owner had or will have (0 is never one).
std::uint64_t next_per_thread_serial() noexcept;

/// One entry of a thread's cache: whose block, and where it is.
struct PerThreadCacheEntry {
  std::uint64_t serial = 0;  // the owner's; 0: empty
  void* block = nullptr;
};

/// `Block`: what each thread keeps; `CacheSize`: how many owners a thread can use in turn without
/// a miss.
template <class Block, std::size_t CacheSize>
class PerThread {
 public:
  PerThread() noexcept : serial_(next_per_thread_serial()) {}
  PerThread(const PerThread&) = delete;
  PerThread& operator=(const PerThread&) = delete;
  ~PerThread() = default;

  /// This thread's block, made with `make()` (a std::unique_ptr<Block>) on its first use.
  template <class Make>
  [[nodiscard]] Block& for_this_thread(Make&& make) {
    PerThreadCacheEntry& cached = cache[serial_ % CacheSize];
    if (cached.serial == serial_) [[likely]]
      return *static_cast<Block*>(cached.block);
    return find_or_make(cached, make);
  }

  /// Calls `visit(const Block&)` for every block the owner holds.
  template <class Visit>
  void for_each(Visit&& visit) const {
    std::lock_guard lock(mutex_);
    for (const auto& [thread, block] : blocks_) visit(*block);
  }

 private:
  // Serials are never reused, so an entry left by an owner that is gone never matches another,
  // and its block is never touched again. Trivially destructible: valid while the thread runs its
  // exit handlers, which may still use an owner. Defined here and constant-initialised, so every
  // caller reads it directly (no TLS init call).
  static inline thread_local std::array<PerThreadCacheEntry, CacheSize> cache{};

  template <class Make>
  [[gnu::noinline]] Block& find_or_make(PerThreadCacheEntry& cached, Make& make) {
    const std::thread::id me = std::this_thread::get_id();
    std::lock_guard lock(mutex_);
    auto found = std::ranges::find(blocks_, me, &std::pair<std::thread::id, std::unique_ptr<Block>>::first);
    if (found == blocks_.end()) {
      blocks_.emplace_back(me, make());
      found = std::prev(blocks_.end());
    }
    cached = PerThreadCacheEntry{serial_, found->second.get()};
    return *found->second;
  }

  const std::uint64_t serial_;
  mutable std::mutex mutex_;  // guards blocks_: taken on a miss and by for_each, never per use
  std::vector<std::pair<std::thread::id, std::unique_ptr<Block>>> blocks_;
};

}  // namespace wasmq::detail
