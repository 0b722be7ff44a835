#pragma once
// The threads that put entries into one queue, each with its own moodycamel producer token and
// its own counts (detail/per_thread.hpp).
//
// Without a token, every enqueue finds the thread's implicit producer in the queue's hash table
// (about a hundred instructions), and every dequeue from an implicit producer's block pays one
// more locked read-modify-write (the block counts the entries taken; an explicit producer's block
// marks each with a plain store). A token must be used by one thread at a time and must not
// outlive its queue: the queue owns one per thread that ever enqueued to it. Counting where only
// that thread writes keeps two more locked read-modify-writes (messages published, bytes put in)
// off each publish.

#include "detail/cache_line.hpp"
#include "detail/concurrent_queue.hpp"
#include "detail/only_writer.hpp"
#include "detail/per_thread.hpp"
#include "detail/queue_entry.hpp"

#include <atomic>
#include <cstdint>
#include <new>

namespace wasmq::detail {

/// One thread's producer for a queue. Written by that thread alone: its counters are added to
/// with add_as_only_writer().
struct alignas(cache_line) QueueProducer {
  explicit QueueProducer(Queue<Entry>& queue) : token(queue) {
    if (!token.valid()) throw std::bad_alloc();  // moodycamel could not allocate its producer
  }

  ProducerToken token;
  // relaxed: statistics, read by QueueCore::stats() (see queue_core.cpp for how bytes stays
  // consistent with the consumers' count of bytes out).
  std::atomic<std::uint64_t> published{0};  // messages this thread published to the queue
  std::atomic<std::uint64_t> bytes_in{0};   // bytes of every entry this thread put in
};

/// A thread publishing to up to 64 queues in turn finds its producers without a miss.
using QueueProducers = PerThread<QueueProducer, 64>;

}  // namespace wasmq::detail
