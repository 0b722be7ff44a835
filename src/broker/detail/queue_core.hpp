#pragma once
// One queue: a declared point-to-point queue or a subscription's own queue. It stores waiting
// messages, applies bounds and time to live, takes messages back after failed deliveries (with
// backoff and max_deliveries), dead-letters, and wakes idle push consumers.

#include "detail/cache_line.hpp"
#include "detail/concurrent_queue.hpp"
#include "detail/delivery_counters.hpp"
#include "detail/offered.hpp"
#include "detail/queue_entry.hpp"
#include "detail/queue_environment.hpp"
#include "detail/queue_errors.hpp"
#include "detail/queue_producers.hpp"

#include <wasmq/error.hpp>
#include <wasmq/message.hpp>
#include <wasmq/options.hpp>
#include <wasmq/stats.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <queue>
#include <span>
#include <string>
#include <vector>

namespace wasmq::detail {

/// How a delivered message came back to its queue (chooses the counter and the backoff).
enum class Return : std::uint8_t {
  released,        // release(), a handle dropped unsettled, or its consumer closed
  lock_expired,    // the sweeper took it back
  handler_failed,  // the push handler threw
};

class QueueCore : public std::enable_shared_from_this<QueueCore> {
 public:
  /// Push consumers per queue: the parked-consumer set is one 64-bit word.
  static constexpr std::uint32_t max_consumers = 64;

  /// `environment` is held weakly: a queue may outlive its broker (see environment_).
  QueueCore(const std::shared_ptr<QueueEnvironment>& environment, std::string name, std::string binding,
            QueueOptions options, bool auto_delete);
  ~QueueCore();
  QueueCore(const QueueCore&) = delete;
  QueueCore& operator=(const QueueCore&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return *name_; }
  /// The name, shared with the errors that mention it (see queue_errors.hpp).
  [[nodiscard]] const SharedName& shared_name() const noexcept { return name_; }
  [[nodiscard]] const std::string& binding() const noexcept { return binding_; }
  [[nodiscard]] const QueueOptions& options() const noexcept { return options_; }
  [[nodiscard]] bool auto_delete() const noexcept { return auto_delete_; }

  // --- publish side ------------------------------------------------------------------------
  /// Takes a newly published message, applying bounds and the overflow policy. Lock-free unless
  /// the policy is `block` and the queue is full.
  /// `bytes` is message.size_bytes(). Moves out of `message` only when it is taken.
  [[nodiscard]] Offered offer(SharedMessage&& message, std::size_t bytes);
  /// The error for a message of `bytes` that offer() refused with `why`.
  [[nodiscard]] Error refusal_error(Offered why, std::size_t bytes) const noexcept;

  // --- consume side ------------------------------------------------------------------------
  /// The next deliverable entry, if any; entries past their time to live (at `now`) are expired
  /// on the way. `taker`: the taking consumer's block the calling thread counts in (its bytes).
  /// `token`: the consumer's token when the calling thread is the only one using it, else null.
  bool try_take(Entry& out, TimePoint now, DeliveryCounters& taker, ConsumerToken* token);
  /// As try_take, waiting up to `timeout` (wall clock); gives up early when `stop` becomes true.
  bool take_waiting(Entry& out, Duration timeout, const std::atomic<bool>& stop, DeliveryCounters& taker,
                    ConsumerToken* token);
  /// A push consumer's dispatch: up to out.size() deliverable entries at once, in the order each
  /// producer published them; returns how many. Entries put back first come first. The counts
  /// shared with publishers are updated once for the whole batch.
  std::size_t take_bulk(ConsumerToken& token, std::span<Entry> out, TimePoint now, DeliveryCounters& taker);
  /// Entries taken by take_bulk and never delivered (their consumer closed): they go back ahead
  /// of everything waiting, so that first deliveries stay in publish order.
  void put_back(std::span<Entry> entries);
  [[nodiscard]] ConsumerToken make_consumer_token() { return ConsumerToken(ready_); }
  /// The delivery of `entry` to consumer `consumer_id` began; counted in `counters`, a block of
  /// that consumer's that the calling thread may write (see DeliveryCounters::writers). Inline,
  /// as on_accepted(): once per message each, and a few instructions without an observer.
  void on_delivered(const Entry& entry, std::uint64_t consumer_id, DeliveryCounters& counters) noexcept {
    counters.add(counters.delivered);
    if (entry.delivery_count > 1) counters.add(counters.redelivered);
    emit(EventKind::delivered, entry.message, entry.delivery_count, std::nullopt, consumer_id);
  }
  /// Settlement outcomes of a delivered entry, counted in a block of its consumer's, as above.
  /// Counts an accept and lets the entry go (its message stays with the caller's entry).
  void on_accepted(const Entry& entry, DeliveryCounters& counters) noexcept {
    counters.add(counters.accepted);
    emit(EventKind::accepted, entry.message, entry.delivery_count);
    leave(entry);
  }
  void on_rejected(Entry&& entry, std::string_view reason, DeliveryCounters& counters);
  void on_returned(Entry&& entry, Return how, Duration delay, DeliveryCounters& counters);
  /// A block a new consumer counts its deliveries in: one whose consumer is gone, or a new one.
  /// The queue keeps every block it hands out, so its totals outlive its consumers.
  [[nodiscard]] std::shared_ptr<DeliveryCounters> delivery_counters();
  /// Lock deadline for a delivery starting at `now`, in runtime clock ticks.
  [[nodiscard]] std::int64_t lock_deadline_from(TimePoint now) const noexcept {
    return (now + options_.lock_duration).time_since_epoch().count();
  }
  [[nodiscard]] TimePoint now() const noexcept { return runtime_.now(); }
  [[nodiscard]] std::int64_t now_ticks() const noexcept { return now().time_since_epoch().count(); }

  // --- consumers -----------------------------------------------------------------------------
  /// Registers a push consumer; returns its slot. Caller holds the broker's registry mutex.
  Result<std::uint32_t> attach(std::shared_ptr<Wakeable> consumer);
  /// Unregisters; returns the number of consumers left. Caller holds the registry mutex.
  std::uint32_t detach(std::uint32_t slot);
  /// Pull receivers are counted (for auto-delete and stats) but never woken.
  void attach_receiver() noexcept { receivers_.fetch_add(1, std::memory_order_relaxed); }
  std::uint32_t detach_receiver() noexcept;
  [[nodiscard]] std::uint32_t consumer_count() const noexcept;
  /// The consumer in `slot` has nothing to do: wake it on the next message. Returns true when a
  /// message arrived meanwhile and the caller should keep going (it was not left parked).
  bool park(std::uint32_t slot);

  /// Auto-delete queues: no further messages; those held are dropped as `removed`.
  void close();
  [[nodiscard]] bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }
  [[nodiscard]] QueueStats stats() const;
  /// Tells the broker's observer, if any, what happened to a message here. Nothing is built,
  /// copied or counted unless an observer is set.
  void emit(EventKind kind, const SharedMessage& message, std::uint32_t delivery_count,
            std::optional<DeadLetterReason> reason = std::nullopt, std::uint64_t consumer = 0) const noexcept {
    if (observer_ != nullptr) emit_to_observer(kind, message, delivery_count, reason, consumer);
  }

 private:
  void emit_to_observer(EventKind kind, const SharedMessage& message, std::uint32_t delivery_count,
                        std::optional<DeadLetterReason> reason, std::uint64_t consumer) const noexcept;
  struct Delayed {
    TimePoint due;
    std::uint64_t sequence;  // ties keep release order
    mutable Entry entry;     // moved out when popped; the heap never reads it
    bool operator>(const Delayed& other) const noexcept {
      return due != other.due ? due > other.due : sequence > other.sequence;
    }
  };

  [[nodiscard]] bool bounded() const noexcept { return options_.max_length != 0 || options_.max_bytes != 0; }
  bool reserve(std::size_t bytes) noexcept;
  // offer()'s slow path: the message is over max_bytes or reserve() failed. Applies the overflow
  // policy until reserve() succeeds (taken) or the message is refused (why).
  [[gnu::noinline]] Offered make_room(const SharedMessage& message, std::size_t bytes);
  // The entry stops being held (accepted, dead, dropped): only a bounded queue counts what it holds.
  void leave(const Entry& entry) noexcept {
    if (bounded()) leave_bounded(entry);
  }
  void leave_bounded(const Entry& entry) noexcept;
  void enqueue(Entry&& entry) { enqueue(std::move(entry), this_threads_producer()); }
  void enqueue(Entry&& entry, QueueProducer& producer);  // producer: this thread's
  // taker: null when no consumer takes it; token: see try_take().
  bool dequeue_raw(Entry& out, DeliveryCounters* taker, ConsumerToken* token = nullptr);
  QueueProducer& this_threads_producer() {
    return producers_.for_this_thread([this] { return std::make_unique<QueueProducer>(ready_); });
  }
  std::size_t take_from_front(std::span<Entry> out);         // entries put back, oldest first
  std::size_t take_from_front_locked(std::span<Entry> out);  // the same, once some are known to be there
  void count_out(std::span<const Entry> entries, DeliveryCounters* taker) noexcept;  // they left the ready queue
  void refuse(const SharedMessage& message) noexcept;
  bool admit(Entry& entry, TimePoint now);         // false when it expired (and was dealt with)
  bool admit_by_age(Entry& entry, TimePoint now);  // admit() for an entry with a time to live
  void notify_receivers();
  void dead_letter(Entry&& entry, DeadLetterReason reason, std::string detail);
  void drop(Entry&& entry, DeadLetterReason reason) noexcept;
  void schedule_delayed(Entry&& entry, TimePoint due);
  void promote_due();
  void drop_everything();
  void notify_available();
  void notify_if_anyone_waits();  // notify_available() when a receiver waits or a consumer is parked
  void notify_room();
  bool wait_for_room(std::size_t bytes, std::chrono::steady_clock::time_point deadline);  // false: timed out

  // Not the environment itself: a queue can outlive its broker, in a publishing thread's cached
  // routing snapshot, with a delayed-release timer still pending on the runtime (which by
  // contract outlives the broker). Every call into a queue comes through the broker (publish),
  // a consumer (which owns the environment) or a timer; a timer locks environment_ first and does
  // nothing once it is gone, so that observer_ (the broker's) is only used while the broker lives.
  Runtime& runtime_;
  const std::weak_ptr<QueueEnvironment> environment_;
  const SharedName name_;  // never null
  const std::string binding_;
  const QueueOptions options_;
  const bool auto_delete_;
  Observer* const observer_;  // the broker's options own it; used only while the broker lives

  Queue<Entry> ready_;
  // After ready_, so destroyed before it: a token's destructor touches its producer in ready_.
  // Also where publishes and the bytes put in are counted, per thread (queue_producers.hpp).
  QueueProducers producers_;
  // Entries a closing push consumer had taken and not delivered: taken before ready_. A cold
  // path (only a consumer closing mid-batch fills it), so a mutex; has_front_ keeps it off the
  // hot path (one load per take).
  // A vector, oldest first, as a queue would be: empty costs nothing (a deque allocates when
  // constructed, for every queue), and it holds at most a few batches.
  std::mutex front_mutex_;
  std::vector<Entry> front_;
  std::atomic<bool> has_front_{false};

  // Written by publishers on every publish.
  alignas(cache_line) std::atomic<std::uint64_t> ready_count_{0};
  // The bytes waiting are the producers' bytes_in (queue_producers.hpp) plus this, less the bytes
  // consumers took (DeliveryCounters::bytes_taken): this is what was put back, less what left
  // without a consumer (dropped, expired on the way out). Modulo 2^64, as is the sum.
  std::atomic<std::uint64_t> ready_bytes_adjustment_{0};
  std::atomic<std::uint64_t> held_{0};        // bounded queues only: waiting + delayed + in flight
  std::atomic<std::uint64_t> held_bytes_{0};  // bounded queues only
  std::atomic<std::uint64_t> refused_{0};

  // Deliveries and settlements are counted per consumer (delivery_counters()), so that competing
  // consumers share no counter; every block ever handed out, guarded by counters_mutex_.
  mutable std::mutex counters_mutex_;
  std::vector<std::shared_ptr<DeliveryCounters>> counters_;

  // Written when a message dies or is dropped: not per delivery.
  alignas(cache_line) std::array<std::atomic<std::uint64_t>, dead_letter_reason_count> dead_lettered_{};
  std::array<std::atomic<std::uint64_t>, dead_letter_reason_count> dropped_{};

  // Consumer wake-up: bit i set = consumer in slot i is idle and waits for a message.
  alignas(cache_line) std::atomic<std::uint64_t> parked_{0};
  std::atomic<unsigned> wake_cursor_{0};  // the slot after the consumer woken last
  std::atomic<bool> closed_{false};
  std::atomic<std::uint32_t> receivers_{0};
  // Pull receivers waiting in take_waiting(): a publisher that sees one notifies receivers_cv_.
  std::atomic<std::uint32_t> waiting_receivers_{0};
  std::mutex receivers_mutex_;
  std::condition_variable receivers_cv_;
  mutable std::mutex consumers_mutex_;  // guards consumers_; taken to wake a parked consumer
  std::array<std::shared_ptr<Wakeable>, max_consumers> consumers_{};
  std::uint32_t consumer_count_ = 0;  // guarded by consumers_mutex_

  // Delayed redelivery (release with delay, backoff): a timer path, not the hot path.
  std::mutex delayed_mutex_;
  std::priority_queue<Delayed, std::vector<Delayed>, std::greater<>> delayed_;
  std::uint64_t delayed_sequence_ = 0;
  TimePoint timer_at_ = TimePoint::max();
  std::atomic<std::uint64_t> delayed_count_{0};

  // Publishers blocked by OverflowPolicy::block.
  std::mutex room_mutex_;
  std::condition_variable room_cv_;
  std::atomic<std::uint32_t> blocked_publishers_{0};
};

}  // namespace wasmq::detail
