#pragma once
// The deliveries one consumer holds: a fixed array of slots, allocated once when the consumer
// opens, so that delivering and settling allocate nothing.
//
// Algorithm. A slot is owned by whoever set its bit in `occupied_`: the dispatcher reserves a
// slot (sets the bit), fills it, and publishes it as `held` with a generation number. A Delivery
// handle remembers (slot, generation). Exactly one party ends a holding: the handle settling it,
// the lock sweeper expiring it, or the consumer closing — each by a CAS on the slot's state from
// (generation, held) to (generation + 1, free). The winner moves the entry out and then clears
// the bit; the losers see another generation and report lock_lost. Extending a lock briefly moves
// the state to `busy` so that the sweeper cannot expire a holding whose deadline is being moved.

#include "detail/cache_line.hpp"
#include "detail/queue_entry.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <thread>
#include <vector>

namespace wasmq::detail {

class InFlightTable {
 public:
  static constexpr std::uint32_t max_capacity = 1U << 16;

  explicit InFlightTable(std::uint32_t capacity)
      : capacity_(capacity), slots_(std::make_unique<Slot[]>(capacity)), occupied_((capacity + 63) / 64) {}

  [[nodiscard]] std::uint32_t capacity() const noexcept { return capacity_; }

  /// Reserves the lowest free slot, or nothing when all are taken.
  std::optional<std::uint32_t> try_reserve() noexcept {
    for (std::size_t word = 0; word < occupied_.size(); ++word) {
      const std::uint64_t valid = valid_bits(word);
      // relaxed: a failed CAS reloads; the successful CAS below is the synchronising operation.
      std::uint64_t bits = occupied_[word].value.load(std::memory_order_relaxed);
      while ((~bits & valid) != 0) {
        const int bit = std::countr_zero(~bits & valid);
        // acquire: pairs with the release (seq_cst) fetch_and in free(), so the previous holder's
        // move out of the slot happens-before our writes to it.
        if (occupied_[word].value.compare_exchange_weak(bits, bits | (std::uint64_t{1} << bit),
                                                        std::memory_order_acquire, std::memory_order_relaxed)) {
          return static_cast<std::uint32_t>(word * 64 + static_cast<std::size_t>(bit));
        }
      }
    }
    return std::nullopt;
  }

  /// Reserves free slots, lowest first, up to out.size(); writes their indices to `out` and
  /// returns how many. Only for a table that one party at a time reserves in (a push consumer's
  /// dispatch runs): the free bits it sees stay free until it sets them (settlers only clear
  /// bits), so one fetch_or per word of the bitmap takes them all, where try_reserve() pays a CAS
  /// per slot.
  std::uint32_t reserve_many(std::span<std::uint32_t> out) noexcept {
    std::uint32_t reserved = 0;
    for (std::size_t word = 0; word < occupied_.size() && reserved < out.size(); ++word) {
      // relaxed: the fetch_or below is the synchronising operation.
      std::uint64_t free_bits = ~occupied_[word].value.load(std::memory_order_relaxed) & valid_bits(word);
      std::uint64_t chosen = 0;
      while (free_bits != 0 && reserved < out.size()) {
        const int bit = std::countr_zero(free_bits);
        free_bits &= free_bits - 1;
        chosen |= std::uint64_t{1} << bit;
        out[reserved++] = static_cast<std::uint32_t>(word * 64 + static_cast<std::size_t>(bit));
      }
      // acquire: as in try_reserve(), pairs with the release (seq_cst) fetch_and in free() that
      // freed each chosen slot (every write to the bitmap is a read-modify-write, so that one
      // heads a release sequence this reads from): the previous holders' moves out of the slots
      // happen-before our writes to them.
      if (chosen != 0) occupied_[word].value.fetch_or(chosen, std::memory_order_acquire);
    }
    return reserved;
  }

  /// Gives back a slot reserved but never installed.
  void unreserve(std::uint32_t index) noexcept { free(index); }

  /// Fills a reserved slot and marks it held; returns its generation.
  std::uint64_t install(std::uint32_t index, Entry entry, std::int64_t deadline) noexcept {
    Slot& slot = slots_[index];
    slot.entry = std::move(entry);
    // relaxed: published by the seq_cst store of state below.
    slot.deadline.store(deadline, std::memory_order_relaxed);
    // relaxed: we own the slot (bit set); its last writer's store happens-before our reservation.
    const std::uint64_t generation = slot.state.load(std::memory_order_relaxed) >> 2;
    // seq_cst: publishes entry and deadline to settlers and the sweeper (acquire loads / CAS), and
    // orders this store before the caller's seq_cst loads of the consumer's closed flag and the
    // sweeper's armed flag (each side's store-then-load must not be reordered: Dekker).
    slot.state.store(generation << 2 | held, std::memory_order_seq_cst);
    return generation;
  }

  enum class Take : std::uint8_t { taken, lost };
  /// What ending a holding leaves in its slot: nothing (the entry moves out), or the entry itself
  /// (copied out), for a handle that borrows its message from the slot (a push handler's; see
  /// ConsumerCore::install) while a party other than that handle ends the holding. The slot's
  /// next install replaces it.
  enum class Leave : std::uint8_t { nothing, the_entry };

  /// Ends the holding (slot, generation) and moves (or, Leave::the_entry, copies) its entry into
  /// `out`. Fails when another party ended it first.
  Take take(std::uint32_t index, std::uint64_t generation, Entry& out, Leave leave = Leave::nothing) noexcept {
    Slot& slot = slots_[index];
    const std::uint64_t from = generation << 2 | held;
    while (true) {
      std::uint64_t expected = from;
      // acq_rel: acquire pairs with install()'s store (we read the entry); release orders our
      // reads of the entry before the generation change others may observe.
      if (slot.state.compare_exchange_strong(expected, (generation + 1) << 2 | free_phase, std::memory_order_acq_rel,
                                             std::memory_order_acquire)) {
        if (leave == Leave::the_entry) {
          out = slot.entry;
        } else {
          out = std::move(slot.entry);
        }
        free(index);
        return Take::taken;
      }
      if (expected != (generation << 2 | busy)) return Take::lost;
      std::this_thread::yield();  // case: extend_lock() is moving the deadline; it takes nanoseconds
    }
  }

  /// The message of the entry in slot `index`, for a handle that borrows it (see Leave): only
  /// that handle's thread and a party that leaves the entry (copying it) read it while the handle
  /// lives, and nothing installs into the slot meanwhile.
  [[nodiscard]] const SharedMessage& message_in(std::uint32_t index) const noexcept {
    return slots_[index].entry.message;
  }

  /// Moves the deadline of holding (slot, generation). False when the holding ended.
  bool extend(std::uint32_t index, std::uint64_t generation, std::int64_t deadline) noexcept {
    Slot& slot = slots_[index];
    std::uint64_t expected = generation << 2 | held;
    // acquire: orders the deadline write after we own the `busy` state.
    if (!slot.state.compare_exchange_strong(expected, generation << 2 | busy, std::memory_order_acquire,
                                            std::memory_order_relaxed)) {
      return false;
    }
    slot.deadline.store(deadline, std::memory_order_relaxed);
    // release: publishes the new deadline to the sweeper's acquire load of state.
    slot.state.store(generation << 2 | held, std::memory_order_release);
    return true;
  }

  /// Calls `visit(index, generation, deadline)` for every slot held now. Loads are seq_cst to
  /// pair with install() in the Dekker handshakes described there.
  template <class Visit>
  void for_each_held(Visit&& visit) const noexcept {
    for (std::uint32_t index = 0; index < capacity_; ++index) {
      const Slot& slot = slots_[index];
      std::uint64_t state = slot.state.load(std::memory_order_seq_cst);
      while ((state & 3) == busy) {
        std::this_thread::yield();
        state = slot.state.load(std::memory_order_seq_cst);
      }
      if ((state & 3) == held) visit(index, state >> 2, slot.deadline.load(std::memory_order_relaxed));
    }
  }

  /// True when at least one slot is free (seq_cst: the saturation handshake in ConsumerCore).
  [[nodiscard]] bool has_free_slot() const noexcept {
    for (std::size_t word = 0; word < occupied_.size(); ++word) {
      if ((~occupied_[word].value.load(std::memory_order_seq_cst) & valid_bits(word)) != 0) return true;
    }
    return false;
  }

  /// How many slots are free, counting no further than `limit`. Relaxed loads: a hint for the
  /// dispatcher, which is the only party that reserves slots (so the count cannot shrink under it).
  [[nodiscard]] std::uint32_t free_slots_up_to(std::uint32_t limit) const noexcept {
    std::uint32_t free = 0;
    for (std::size_t word = 0; word < occupied_.size() && free < limit; ++word) {
      free += static_cast<std::uint32_t>(
          std::popcount(~occupied_[word].value.load(std::memory_order_relaxed) & valid_bits(word)));
    }
    return std::min(free, limit);
  }

  [[nodiscard]] std::uint64_t held_count() const noexcept {
    std::uint64_t count = 0;
    for (const auto& word : occupied_)
      count += static_cast<std::uint64_t>(std::popcount(word.value.load(std::memory_order_relaxed)));
    return count;
  }

 private:
  static constexpr std::uint64_t free_phase = 0;
  static constexpr std::uint64_t held = 1;
  static constexpr std::uint64_t busy = 2;

  struct Slot {
    std::atomic<std::uint64_t> state{0};    // generation << 2 | phase
    std::atomic<std::int64_t> deadline{0};  // lock deadline, runtime clock ticks
    Entry entry;
  };
  struct alignas(cache_line) Word {
    std::atomic<std::uint64_t> value{0};
  };
  static_assert(sizeof(Word) == cache_line, "occupancy words live on separate cache lines");

  [[nodiscard]] std::uint64_t valid_bits(std::size_t word) const noexcept {
    const std::size_t remaining = capacity_ - word * 64;
    return remaining >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << remaining) - 1;
  }

  void free(std::uint32_t index) noexcept {
    // seq_cst: release for the next reserver (see try_reserve), and ordered before the caller's
    // seq_cst load of the consumer's `saturated` flag (Dekker with the dispatcher).
    occupied_[index / 64].value.fetch_and(~(std::uint64_t{1} << (index % 64)), std::memory_order_seq_cst);
  }

  std::uint32_t capacity_;
  std::unique_ptr<Slot[]> slots_;
  std::vector<Word> occupied_;
};

}  // namespace wasmq::detail
