#pragma once
// Recycles the one allocation behind each published message — the shared_ptr control block that
// holds the Message — through a lock-free freelist. A message is made on the publishing thread
// and released on a consumer's; through malloc, that pattern takes the allocator's arena lock on
// both sides (measured: a fifth of the producer's time in bench/p2p_bench.cpp). The freelist is a
// moodycamel::ConcurrentQueue of blocks: each thread gives into its own sub-queue and takes from
// any, and once warm it allocates nothing. (Boost.Lockfree's fixed-size stack was tried first:
// its freelist reads a node's next index without an atomic, which ThreadSanitizer rightly reports
// as a data race — boostorg/lockfree issues 22 and 78.)
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
    Local() noexcept { state = State::alive; }
    ~Local() {
      state = State::gone;
      instance().give_back(blocks.data(), count);
    }
    Local(const Local&) = delete;
    Local& operator=(const Local&) = delete;
  };
  // A thread's cache may be gone while the thread still frees messages (another thread_local's
  // destructor releasing a routing snapshot): then blocks go straight to the shared freelist.
  enum class State : std::uint8_t { unused, alive, gone };
  static inline thread_local State state = State::unused;  // trivially destructible: valid to the end

  static Local* local_cache() noexcept {
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

/// An allocator for std::allocate_shared that takes single objects from a BlockPool.
template <typename T>
struct PooledAllocator {
  using value_type = T;
  PooledAllocator() noexcept = default;
  template <typename U>
  explicit PooledAllocator(const PooledAllocator<U>&) noexcept {}

  T* allocate(std::size_t count) {
    if (count != 1) return static_cast<T*>(::operator new(count * sizeof(T), std::align_val_t(alignof(T))));
    return static_cast<T*>(BlockPool<sizeof(T), alignof(T)>::instance().take());
  }
  void deallocate(T* pointer, std::size_t count) noexcept {
    if (count != 1) {
      ::operator delete(pointer, std::align_val_t(alignof(T)));
      return;
    }
    BlockPool<sizeof(T), alignof(T)>::instance().give(pointer);
  }
  template <typename U>
  friend bool operator==(const PooledAllocator&, const PooledAllocator<U>&) noexcept {
    return true;
  }
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

/// A shared immutable object whose control block comes from the pool (from new under sanitizers).
template <typename T, typename... Args>
std::shared_ptr<const T> make_pooled_shared(Args&&... args) {
#if WASMQ_POOL_MESSAGES
  return std::allocate_shared<const T>(PooledAllocator<T>(), std::forward<Args>(args)...);
#else
  return std::make_shared<const T>(std::forward<Args>(args)...);
#endif
}

}  // namespace wasmq::detail
