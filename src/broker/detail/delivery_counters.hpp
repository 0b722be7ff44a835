#pragma once
// What happened to the deliveries of one consumer, counted where only that consumer (and whoever
// settles its deliveries) writes: a queue's totals are the sum of its consumers' blocks, so
// competing consumers never write a shared cache line per message to keep the queue's
// statistics (stats() adds the blocks up; it is not a hot path). Each consumer has two blocks: its
// own writer's, counted with plain stores, and one for every other thread (a settle elsewhere,
// the lock sweeper), counted with locked increments.

#include "detail/cache_line.hpp"
#include "detail/only_writer.hpp"

#include <wasmq/stats.hpp>

#include <atomic>
#include <cstdint>

namespace wasmq::detail {

struct alignas(cache_line) DeliveryCounters {
  // relaxed throughout: statistics. Every delivery ends in exactly one of the last five.
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t> redelivered{0};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> released{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> lock_expired{0};
  std::atomic<std::uint64_t> returned_by_failure{0};  // a push handler threw or returned an error
  // Bytes of the entries this consumer took from the queue's ready entries: the queue's waiting
  // bytes are what producers put in less these (QueueCore::stats()).
  std::atomic<std::uint64_t> bytes_taken{0};

  /// Who writes this block: any thread, or one party at a time (a consumer's own writer: a push
  /// consumer's dispatch runs, which take turns and whose turns are ordered, or the one thread a
  /// pull receiver was first used on). Set by the consumer that takes the block, before it counts.
  enum class Writers : std::uint8_t { many, one };
  Writers writers = Writers::many;

  /// Adds `n` to `counter`, a counter of this block: with one writer a load and a store, not a
  /// locked read-modify-write. relaxed: statistics (but see add_bytes_taken()).
  void add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1,
           std::memory_order order = std::memory_order_relaxed) const noexcept {
    if (writers == Writers::one) {
      add_as_only_writer(counter, n, order);
    } else {
      counter.fetch_add(n, order);
    }
  }

  /// Adds `bytes` to bytes_taken. release: QueueCore::stats() reads these (acquire) before the
  /// bytes producers put in, so that it sees the bytes in of every entry taken (each was counted in
  /// before the queue handed it over).
  void add_bytes_taken(std::uint64_t bytes) noexcept { add(bytes_taken, bytes, std::memory_order_release); }

  /// The bytes taken, summed over `blocks` (acquire: see add_bytes_taken()).
  template <class Blocks>
  [[nodiscard]] static std::uint64_t bytes_taken_by(const Blocks& blocks) noexcept {
    std::uint64_t bytes = 0;
    for (const auto& block : blocks) bytes += block->bytes_taken.load(std::memory_order_acquire);
    return bytes;
  }

  /// Adds the counts of `blocks` (pointers to blocks) to a queue's statistics, in_flight included.
  template <class Blocks>
  static void add_all_to(QueueStats& stats, const Blocks& blocks) noexcept {
    // Read counter by counter, not as one snapshot (see stats.hpp): the endings of every block are
    // read before the starts of any (a delivery may start in one block and end in another, when it
    // is settled away from its consumer's own writer), and a difference that a concurrent delivery
    // makes negative is clamped.
    std::uint64_t ended = 0;
    for (const auto& block : blocks) {
      const std::uint64_t accepted = block->accepted.load(std::memory_order_relaxed);
      const std::uint64_t released = block->released.load(std::memory_order_relaxed);
      const std::uint64_t rejected = block->rejected.load(std::memory_order_relaxed);
      const std::uint64_t lock_expired = block->lock_expired.load(std::memory_order_relaxed);
      const std::uint64_t failed = block->returned_by_failure.load(std::memory_order_relaxed);
      stats.accepted += accepted;
      stats.released += released;
      stats.rejected += rejected;
      stats.lock_expired += lock_expired;
      stats.handler_failures += failed;
      ended += accepted + released + rejected + lock_expired + failed;
    }
    std::uint64_t started = 0;
    for (const auto& block : blocks) {
      started += block->delivered.load(std::memory_order_relaxed);
      stats.redelivered += block->redelivered.load(std::memory_order_relaxed);
    }
    stats.delivered += started;
    stats.in_flight += started > ended ? started - ended : 0;
  }
};

}  // namespace wasmq::detail
