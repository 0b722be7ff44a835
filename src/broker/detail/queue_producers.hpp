#pragma once
// The threads that put entries into one queue, each with its own moodycamel producer token and
// its own counts.
//
// Without a token, every enqueue finds the thread's implicit producer in the queue's hash table
// (about a hundred instructions), and every dequeue from an implicit producer's block pays one
// more locked read-modify-write (the block counts the entries taken; an explicit producer's block
// marks each with a plain store). A token must be used by one thread at a time and must not
// outlive its queue, so the queue owns one per thread that ever enqueued to it, and each thread
// finds its own through a small cache of its own. Counting where only that thread writes keeps
// two more locked read-modify-writes (messages published, bytes put in) off each publish.

#include "detail/cache_line.hpp"
#include "detail/concurrent_queue.hpp"
#include "detail/queue_entry.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace wasmq::detail {

/// One thread's producer for a queue. Written by that thread alone: its counters take a load and
/// a store, not a locked read-modify-write.
struct alignas(cache_line) QueueProducer {
  explicit QueueProducer(Queue<Entry>& queue) : token(queue) {}

  ProducerToken token;
  // relaxed: statistics, read by QueueCore::stats() (see queue_core.cpp for how bytes stays
  // consistent with the consumers' count of bytes out).
  std::atomic<std::uint64_t> published{0};  // messages this thread published to the queue
  std::atomic<std::uint64_t> bytes_in{0};   // bytes of every entry this thread put in

  static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
};

/// One cache entry of a thread: which queue, and that thread's producer for it.
struct CachedQueueProducer {
  std::uint64_t serial = 0;  // QueueProducers::serial_ of the queue; 0: empty
  QueueProducer* producer = nullptr;
};

class QueueProducers {
 public:
  explicit QueueProducers(Queue<Entry>& queue) noexcept;
  ~QueueProducers();
  QueueProducers(const QueueProducers&) = delete;
  QueueProducers& operator=(const QueueProducers&) = delete;

  /// This thread's producer for the queue, made on the thread's first enqueue to it.
  [[nodiscard]] QueueProducer& for_this_thread() {
    CachedQueueProducer& cached = cache[serial_ % cache_size];
    if (cached.serial == serial_) [[likely]]
      return *cached.producer;
    return find_or_make(cached);
  }

  /// Calls `visit(const QueueProducer&)` for every producer the queue has had.
  template <class Visit>
  void for_each(Visit&& visit) const {
    std::lock_guard lock(mutex_);
    for (const auto& [thread, producer] : producers_) visit(*producer);
  }
  /// How many producers the queue holds: one per thread that has put an entry in.
  [[nodiscard]] std::size_t size() const;

 private:
  // A thread's cache, direct-mapped by the queue's serial. Serials are never reused, so an entry
  // left by a queue that is gone never matches another queue, and its producer is never touched
  // again. Trivially destructible: valid while the thread runs its exit handlers, which may still
  // publish. Defined here and constant-initialised, so every caller reads it directly.
  static constexpr std::size_t cache_size = 64;  // a thread publishing to up to 64 queues in turn never misses
  static inline thread_local std::array<CachedQueueProducer, cache_size> cache{};

  [[gnu::noinline]] QueueProducer& find_or_make(CachedQueueProducer& cached);

  Queue<Entry>& queue_;
  const std::uint64_t serial_;
  mutable std::mutex mutex_;  // guards producers_: taken on a cache miss and by stats, not per enqueue
  // A thread that ends leaves its producer here (its counts stay in the totals); a later thread
  // given the same id (the ids of threads that have ended are reused) takes it over.
  std::vector<std::pair<std::thread::id, std::unique_ptr<QueueProducer>>> producers_;
};

}  // namespace wasmq::detail
