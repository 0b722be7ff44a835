#pragma once
// Recycles the one allocation behind each published message — the shared_ptr control block that
// holds the Message — through a lock-free freelist. A message is made on the publishing thread
// and released on a consumer's; through malloc, that pattern takes the allocator's arena lock on
// both sides (measured: a fifth of the producer's time in bench/p2p_bench.cpp). Boost.Lockfree's
// fixed-capacity stack is the freelist: no allocation of its own, one CAS per take or give.
//
// Under AddressSanitizer the pool steps aside, so that a use after free is still caught.

#include <boost/lockfree/stack.hpp>

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
    if (free_.pop(block)) return block;
    return ::operator new(Size, std::align_val_t(Align));
  }
  void give(void* block) noexcept {
    if (!free_.bounded_push(block)) ::operator delete(block, std::align_val_t(Align));
  }

 private:
  BlockPool() = default;
  // Enough for the messages in flight between a fast publisher and its consumers; beyond it,
  // blocks go back to the allocator.
  boost::lockfree::stack<void*, boost::lockfree::capacity<16384>> free_;
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

/// A shared immutable object whose control block comes from the pool (or from new under ASan).
template <typename T, typename... Args>
std::shared_ptr<const T> make_pooled_shared(Args&&... args) {
#if defined(__SANITIZE_ADDRESS__)
  return std::make_shared<const T>(std::forward<Args>(args)...);
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return std::make_shared<const T>(std::forward<Args>(args)...);
#else
  return std::allocate_shared<const T>(PooledAllocator<T>(), std::forward<Args>(args)...);
#endif
#else
  return std::allocate_shared<const T>(PooledAllocator<T>(), std::forward<Args>(args)...);
#endif
}

}  // namespace wasmq::detail
