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

#include <cstddef>
#include <memory>
#include <new>

namespace wasmq::detail {

/// Blocks of one size and alignment. Process-wide and never destroyed: a message may be released
/// during static destruction.
template <std::size_t Size, std::size_t Align>
class BlockPool {
 public:
  static BlockPool& instance() {
    static auto* pool = new BlockPool();  // deliberately leaked; see above
    return *pool;
  }
  void* take() {
    void* block = nullptr;
    if (free_.try_dequeue(block)) return block;
    return ::operator new(Size, std::align_val_t(Align));
  }
  void give(void* block) noexcept {
    // Enough for the messages in flight between a fast publisher and its consumers; beyond it
    // (approximately: the count is a hint), blocks go back to the allocator.
    if (free_.size_approx() >= capacity || !free_.enqueue(block)) ::operator delete(block, std::align_val_t(Align));
  }

 private:
  static constexpr std::size_t capacity = 16384;
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
