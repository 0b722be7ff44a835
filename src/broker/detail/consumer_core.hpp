#pragma once
// One consumer of one queue: a push consumer (the runtime runs its handler) or a pull receiver.
// Holds its deliveries in an InFlightTable and expires their locks with a sweeper timer.

#include "detail/delivery_counters.hpp"
#include "detail/in_flight_table.hpp"
#include "detail/queue_core.hpp"

#include <wasmq/consumer.hpp>
#include <wasmq/delivery.hpp>
#include <wasmq/options.hpp>
#include <wasmq/stats.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace wasmq::detail {

class ConsumerCore final : public Wakeable, public std::enable_shared_from_this<ConsumerCore> {
 public:
  enum class Outcome : std::uint8_t { accept, release, reject };

  ConsumerCore(std::shared_ptr<QueueEnvironment> environment, std::shared_ptr<QueueCore> queue, ConsumerOptions options,
               Handler handler, std::uint64_t id);
  ~ConsumerCore();

  /// Push consumers: remember the queue slot and look for work.
  void start(std::uint32_t queue_slot);
  /// Schedules a dispatch run unless one is scheduled already. Thread-safe.
  void wake() override;
  /// Pull receivers: the next delivery into `delivery`, waiting up to `timeout`; false when none
  /// came. (An out parameter: each move of a Delivery through a Result is paid per message.)
  Result<bool> receive(Duration timeout, Delivery& delivery);

  /// Settles holding (slot, generation). Used by Delivery; `borrower`, the delivery when it
  /// borrows its message (see install()), is given a reference to it when the settle succeeds;
  /// without one, the caller is a delivery that holds a reference of its own to the message.
  Result<void> settle(std::uint32_t slot, std::uint64_t generation, Outcome outcome, Duration delay,
                      std::string_view reason, Delivery* borrower);
  /// A reference to the message a push handler's delivery borrows from `slot` (see install()).
  [[nodiscard]] SharedMessage lent_message(std::uint32_t slot) const noexcept;
  Result<void> fail(std::uint32_t slot, std::uint64_t generation);  // handler threw
  Result<void> extend(std::uint32_t slot, std::uint64_t generation);

  void close();
  [[nodiscard]] bool is_closed() const noexcept { return closed_.load(std::memory_order_acquire); }
  [[nodiscard]] const std::string& queue_name() const noexcept { return queue_->name(); }
  /// True while this thread runs a push handler (of any consumer).
  [[nodiscard]] static bool on_handler_thread() noexcept;
  [[nodiscard]] const SharedName& shared_queue_name() const noexcept { return queue_->shared_name(); }
  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
  [[nodiscard]] ConsumerStats stats() const;

 private:
  enum class Acquire : std::uint8_t { delivered, no_slot, empty };
  /// A slot and a message, waiting up to `timeout` for the message (zero: only what is there).
  Acquire acquire(Delivery& out, Duration timeout = Duration::zero());
  /// Who keeps this consumer alive for the delivery install() makes: the delivery itself (a pull
  /// receiver's, handed to the caller), or the dispatch run that hands it to a push handler.
  enum class Keeper : std::uint8_t { delivery, dispatch_run };
  /// Holds `entry` in `slot` until `deadline` and makes `out`, an empty Delivery, its handle;
  /// counts the delivery in `counters` (counters_here()).
  void install(std::uint32_t slot, Entry&& entry, std::int64_t deadline, Keeper keeper, DeliveryCounters& counters,
               Delivery& out);
  /// `delivery`'s message, owned (a reference from its slot if the delivery borrows it).
  [[nodiscard]] SharedMessage owned_message(const Delivery& delivery) const noexcept;
  void drain();
  /// One chunk of a dispatch run: takes up to `limit` entries from the queue at once and hands
  /// each to the handler.
  Acquire dispatch_chunk(std::uint32_t limit, std::uint32_t& delivered);
  void finish_drain();
  /// Whether an idle push consumer stays scheduled a little longer instead of parking.
  bool keep_polling();
  void invoke(Delivery& delivery);
  /// Whether the calling thread is this consumer's own writer: the running dispatch of a push
  /// consumer, or a pull receiver's home thread.
  [[nodiscard]] bool on_own_thread() const noexcept;
  /// The block the calling thread counts this consumer's deliveries and settlements in.
  DeliveryCounters& counters_here() noexcept;
  [[nodiscard]] std::array<const DeliveryCounters*, 2> counter_blocks() const noexcept {
    return {own_counters_.get(), shared_counters_.get()};
  }
  void arm_sweeper(std::int64_t deadline);
  void sweep();
  void on_slot_freed();
  void release_all_held();
  Result<void> lost(SettleVerb verb) const;

  std::shared_ptr<QueueEnvironment> environment_;  // keeps the broker's state alive while we may run
  std::shared_ptr<QueueCore> queue_;
  const ConsumerOptions options_;
  const Handler handler_;
  const std::uint64_t id_;
  std::uint32_t queue_slot_ = 0;
  InFlightTable table_;
  // The queue's consumer token, used only by this consumer's own writer (on_own_thread()): a push
  // consumer's drain(), whose runs are serialised by drain_scheduled_ (which also orders their
  // memory), or a pull receiver's home thread. Other threads receive without it.
  ConsumerToken token_;
  // Push consumers: the entries of one chunk, used only by drain().
  static constexpr std::uint32_t max_chunk = 64;
  std::unique_ptr<Entry[]> chunk_;
  std::array<std::uint32_t, max_chunk> chunk_slots_{};  // the in-flight slots reserved for a chunk

  std::atomic<bool> closed_{false};
  std::atomic<bool> drain_scheduled_{false};
  std::atomic<bool> saturated_{false};
  std::atomic<bool> sweeper_armed_{false};
  std::atomic<std::uint32_t> running_drains_{0};
  // When the queue was first found empty in the current idle spell; only drain() touches it, and
  // runs of drain() are serialised by drain_scheduled_.
  std::optional<TimePoint> idle_since_;
  std::mutex close_mutex_;
  std::condition_variable drains_done_;

  // Deliveries and settlements, counted in two blocks the queue sums for its own statistics:
  // own_counters_, written only by this consumer's own writer (its dispatch runs; a pull
  // receiver's home thread) with plain stores, and shared_counters_, by any other thread (a
  // delivery settled elsewhere, the lock sweeper). The blocks may have served an earlier consumer,
  // so this consumer's counts are theirs less what they held when this consumer took them.
  std::shared_ptr<DeliveryCounters> own_counters_;
  std::shared_ptr<DeliveryCounters> shared_counters_;
  QueueStats counted_before_;
  // A pull receiver's home thread: the first to receive from it (a marker address, see
  // consumer_core.cpp; null until then). Set once; each thread compares it with its own marker, so
  // relaxed: a thread reads its own store, and any other value means "not this thread".
  std::atomic<const void*> home_thread_{nullptr};
  std::atomic<std::uint64_t> handler_failures_{0};  // failures, settled or not (the queue counts returns)
};

}  // namespace wasmq::detail
