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

#include <wasmq/message.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>

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

/// The allocator std::allocate_shared keeps in a published message's block: it takes the block
/// from a BlockPool (from new under the sanitizers). With `OwnsNothing`, for a message that owns
/// no memory — its strings in their inline buffers, its payload inline, no metadata, no death
/// record — the message is not destroyed when its last reference goes: its destructor would free
/// nothing and only read every cache line of the message (five, with the control block), lines
/// the publishing core then has to fetch back when it writes its next message into the recycled
/// block. Ending an object's lifetime by reusing its storage is allowed when nothing depends on
/// its destructor's effects ([basic.life]); LeakSanitizer (asan preset) and tests/alloc check that
/// nothing owned is skipped. A template parameter, not a member: the two kinds of block differ in
/// their control block's type (its virtual dispose), so a block carries no flag and stays the size
/// of a plain one.
template <typename T, bool OwnsNothing>
struct MessageAllocator {
  using value_type = T;
  // The allocator requirements spell it this way; allocator_traits cannot rebind a template with a
  // non-type parameter by itself.
  template <typename U>
  struct rebind {  // NOLINT(readability-identifier-naming)
    using other = MessageAllocator<U, OwnsNothing>;
  };

  MessageAllocator() noexcept = default;
  template <typename U>
  explicit MessageAllocator(const MessageAllocator<U, OwnsNothing>& /*other*/) noexcept {}

  T* allocate(std::size_t count) {
    if (!WASMQ_POOL_MESSAGES || count != 1) {
      return static_cast<T*>(::operator new(count * sizeof(T), std::align_val_t(alignof(T))));
    }
    return static_cast<T*>(BlockPool<sizeof(T), alignof(T)>::instance().take());
  }
  void deallocate(T* pointer, std::size_t count) noexcept {
    if (!WASMQ_POOL_MESSAGES || count != 1) {
      ::operator delete(pointer, std::align_val_t(alignof(T)));
      return;
    }
    BlockPool<sizeof(T), alignof(T)>::instance().give(pointer);
  }
  template <typename U>
  void destroy(U* object) noexcept {
    if constexpr (!OwnsNothing) object->~U();
  }
  template <typename U>
  friend bool operator==(const MessageAllocator&, const MessageAllocator<U, OwnsNothing>&) noexcept {
    return true;  // every block goes back to the same pool
  }
};

/// True when `text` keeps its characters in its own inline buffer, inside the string object:
/// then it holds no heap memory. (Both libstdc++ and libc++ keep short strings there.)
[[nodiscard]] inline bool stored_inline(const std::string& text) noexcept {
  const auto characters = reinterpret_cast<std::uintptr_t>(text.data());
  const auto object = reinterpret_cast<std::uintptr_t>(&text);
  return characters >= object && characters < object + sizeof(std::string);
}

/// True when `message` holds no memory of its own (see MessageAllocator): what it holds now is
/// what a message moved from it holds.
[[nodiscard]] inline bool owns_no_memory(const Message& message) noexcept {
  auto inline_text = [](const std::optional<std::string>& text) { return !text || stored_inline(*text); };
  return stored_inline(message.topic) && message.payload.is_inline() && inline_text(message.content_type) &&
         inline_text(message.reply_to) && message.metadata.capacity() == 0 && !message.death;
}

/// A published message: shared and immutable, in a block from the pool.
[[nodiscard]] inline std::shared_ptr<const Message> make_message_block(Message&& message) {
  if (owns_no_memory(message)) {
    return std::allocate_shared<const Message>(MessageAllocator<Message, true>(), std::move(message));
  }
  return std::allocate_shared<const Message>(MessageAllocator<Message, false>(), std::move(message));
}

}  // namespace wasmq::detail
