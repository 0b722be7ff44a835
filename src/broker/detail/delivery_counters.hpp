#pragma once
// What happened to the deliveries of one consumer, counted where only that consumer (and whoever
// settles its deliveries) writes: a queue's totals are the sum of its consumers' blocks, so
// competing consumers never write a shared cache line per message to keep the queue's
// statistics (stats() adds the blocks up; it is not a hot path).

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

  /// Who writes a counter: any thread (an outcome: a delivery is settled wherever its handle is),
  /// or one party at a time (a push consumer's deliveries, counted by its dispatch runs, which
  /// take turns and whose turns are ordered).
  enum class Writers : std::uint8_t { many, one };

  static void add(std::atomic<std::uint64_t>& counter) noexcept { counter.fetch_add(1, std::memory_order_relaxed); }
  /// add() for a counter with one writer: a load and a store, not a locked read-modify-write.
  static void add(std::atomic<std::uint64_t>& counter, Writers writers) noexcept {
    if (writers == Writers::many) {
      add(counter);
    } else {
      add_as_only_writer(counter);
    }
  }

  /// Adds this block's counts to a queue's statistics, in_flight included.
  void add_to(QueueStats& stats) const noexcept {
    // Read counter by counter, not as one snapshot (see stats.hpp): the endings are read first and
    // a difference that a concurrent delivery makes negative is clamped.
    const std::uint64_t ended = accepted.load(std::memory_order_relaxed) + released.load(std::memory_order_relaxed) +
                                rejected.load(std::memory_order_relaxed) +
                                lock_expired.load(std::memory_order_relaxed) +
                                returned_by_failure.load(std::memory_order_relaxed);
    const std::uint64_t started = delivered.load(std::memory_order_relaxed);
    stats.delivered += started;
    stats.redelivered += redelivered.load(std::memory_order_relaxed);
    stats.accepted += accepted.load(std::memory_order_relaxed);
    stats.released += released.load(std::memory_order_relaxed);
    stats.rejected += rejected.load(std::memory_order_relaxed);
    stats.lock_expired += lock_expired.load(std::memory_order_relaxed);
    stats.handler_failures += returned_by_failure.load(std::memory_order_relaxed);
    stats.in_flight += started > ended ? started - ended : 0;
  }
};

}  // namespace wasmq::detail
