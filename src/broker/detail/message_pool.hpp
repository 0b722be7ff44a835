#pragma once
// Recycles the allocations behind published messages — each message's block and, for the few
// that have them, its extras (see message_block.hpp) — through lock-free freelists. A message is
// made on the publishing thread and released on a consumer's; through malloc, that pattern takes
// the allocator's arena lock on both sides (measured: a fifth of the producer's time in
// bench/p2p_bench.cpp). The freelist is a moodycamel::ConcurrentQueue of blocks: each thread gives
// into its own sub-queue and takes from any, and once warm it allocates nothing. (Boost.Lockfree's
// fixed-size stack was tried first: its freelist reads a node's next index without an atomic,
// which ThreadSanitizer rightly reports as a data race — boostorg/lockfree issues 22 and 78.)
//
// Under the sanitizers the pool steps aside: under AddressSanitizer so that a use after free is
// still caught, under ThreadSanitizer because a block handed between threads is ordered by the
// queue's fences, which TSan does not model (see tests/tsan.supp).

#include "detail/concurrent_queue.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace wasmq::detail {

/// Blocks of one size and alignment. Process-wide and never destroyed: a message may be released
/// during static destruction.
///
/// Each thread keeps up to `local_capacity` free blocks of its own and trades them with the
/// shared freelist `batch` at a time: a publisher that makes messages and a consumer that frees
/// them take and give without touching a shared line per message (the freelist's bulk operations
/// move a batch for about the cost of one item).
template <std::size_t Size, std::size_t Align>
class BlockPool {
 public:
  static BlockPool& instance() {
    static auto* pool = new BlockPool();  // deliberately leaked; see above
    return *pool;
  }
  void* take() {
    if (Local* local = local_cache()) {
      if (local->count == 0) local->count = free_.try_dequeue_bulk(local->blocks.begin(), batch);
      if (local->count > 0) return local->blocks[--local->count];
    } else if (void* block = nullptr; free_.try_dequeue(block)) {
      return block;
    }
    return ::operator new(Size, std::align_val_t(Align));
  }
  void give(void* block) noexcept {
    Local* local = local_cache();
    if (local == nullptr) {
      give_back(&block, 1);
      return;
    }
    if (local->count == local_capacity) {
      local->count -= batch;
      give_back(local->blocks.data() + local->count, batch);
    }
    local->blocks[local->count++] = block;
  }

 private:
  static constexpr std::size_t capacity = 16384;  // blocks the shared freelist keeps, roughly
  static constexpr std::size_t local_capacity = 256;
  static constexpr std::size_t batch = 128;

  struct Local {
    std::array<void*, local_capacity> blocks{};
    std::size_t count = 0;
    Local() noexcept {
      state = State::alive;
      live_local = this;
    }
    ~Local() {
      state = State::gone;
      live_local = nullptr;
      instance().give_back(blocks.data(), count);
    }
    Local(const Local&) = delete;
    Local& operator=(const Local&) = delete;
  };
  // A thread's cache may be gone while the thread still frees messages (another thread_local's
  // destructor releasing a routing snapshot): then blocks go straight to the shared freelist.
  enum class State : std::uint8_t { unused, alive, gone };
  static inline thread_local State state = State::unused;  // trivially destructible: valid to the end
  // The cache while it exists: read first, it needs no initialisation, where naming `local`
  // (which has a constructor) calls the thread-local guard on every take and give.
  static inline thread_local constinit Local* live_local = nullptr;

  [[gnu::always_inline]] static Local* local_cache() noexcept {
    if (Local* const local = live_local) [[likely]]
      return local;
    return make_local_cache();
  }
  [[gnu::noinline]] static Local* make_local_cache() noexcept {
    if (state == State::gone) return nullptr;
    thread_local Local local;
    return &local;
  }

  // Enough for the messages in flight between a fast publisher and its consumers; beyond it
  // (approximately: the count is a hint), blocks go back to the allocator.
  void give_back(void* const* blocks, std::size_t count) noexcept {
    if (count == 0) return;
    if (free_.size_approx() < capacity && free_.enqueue_bulk(blocks, count)) return;
    for (std::size_t i = 0; i < count; ++i) ::operator delete(blocks[i], std::align_val_t(Align));
  }

  BlockPool() = default;
  Queue<void*> free_;
};

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define WASMQ_POOL_MESSAGES 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define WASMQ_POOL_MESSAGES 0
#endif
#endif
#ifndef WASMQ_POOL_MESSAGES
#define WASMQ_POOL_MESSAGES 1
#endif

/// A block for a T from its pool (from new under the sanitizers); uninitialised.
template <typename T>
[[nodiscard]] void* take_pooled_block() {
  if constexpr (WASMQ_POOL_MESSAGES) {
    return BlockPool<sizeof(T), alignof(T)>::instance().take();
  } else {
    return ::operator new(sizeof(T), std::align_val_t(alignof(T)));
  }
}
/// Gives back what take_pooled_block<T>() returned, its object already destroyed.
template <typename T>
void give_pooled_block(void* block) noexcept {
  if constexpr (WASMQ_POOL_MESSAGES) {
    BlockPool<sizeof(T), alignof(T)>::instance().give(block);
  } else {
    ::operator delete(block, std::align_val_t(alignof(T)));
  }
}

}  // namespace wasmq::detail
