#include "detail/queue_core.hpp"

#include "detail/message_block.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace wasmq::detail {

namespace {

// Bounds and statistics count the whole message (payload, content type, metadata), not only
// the payload: metadata is as much a publisher's to grow (Entry::size_bytes).
std::uint64_t total_bytes(std::span<const Entry> entries) noexcept {
  std::uint64_t bytes = 0;
  for (const Entry& entry : entries) bytes += entry.size_bytes();
  return bytes;
}

constexpr std::size_t index(DeadLetterReason reason) noexcept { return static_cast<std::size_t>(reason); }

}  // namespace

QueueCore::QueueCore(const std::shared_ptr<QueueEnvironment>& environment, std::string name, std::string binding,
                     QueueOptions options, bool auto_delete)
    : runtime_(environment->runtime()),
      environment_(environment),
      name_(std::make_shared<const std::string>(std::move(name))),
      binding_(std::move(binding)),
      options_(std::move(options)),
      auto_delete_(auto_delete),
      observer_(environment->observer()),
      // One block of entries to start with, not moodycamel's default of six: a broker may hold
      // 100,000 queues (per-request inboxes, subscriptions), most of them nearly empty, and each
      // queue's blocks are allocated as it grows and recycled within it.
      ready_(Queue<Entry>::BLOCK_SIZE) {}

QueueCore::~QueueCore() = default;

void QueueCore::emit_to_observer(EventKind kind, const SharedMessage& message, std::uint32_t delivery_count,
                                 std::optional<DeadLetterReason> reason, std::uint64_t consumer) const noexcept {
  observer_->on_event(Event{kind, *name_, message, delivery_count, reason, runtime_.now(), consumer});
}

// --- publish side ------------------------------------------------------------------------------

bool QueueCore::reserve(std::size_t bytes) noexcept {
  if (!bounded()) return true;
  // case (1): room for one more message → take it. case (2): full → fail, nothing changed.
  // relaxed: the CAS only counts; it publishes no data.
  std::uint64_t held = held_.load(std::memory_order_relaxed);
  do {
    if (options_.max_length != 0 && held >= options_.max_length) return false;
  } while (!held_.compare_exchange_weak(held, held + 1, std::memory_order_relaxed));
  if (options_.max_bytes != 0) {
    std::uint64_t held_bytes = held_bytes_.load(std::memory_order_relaxed);
    do {
      if (held_bytes + bytes > options_.max_bytes) {
        held_.fetch_sub(1, std::memory_order_relaxed);  // case (2) for bytes: undo the length
        return false;
      }
    } while (!held_bytes_.compare_exchange_weak(held_bytes, held_bytes + bytes, std::memory_order_relaxed));
  } else {
    held_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  }
  return true;
}

void QueueCore::leave_bounded(const Entry& entry) noexcept {
  // seq_cst: first half of the Dekker handshake with wait_for_room(), completed in notify_room().
  held_.fetch_sub(1, std::memory_order_seq_cst);
  held_bytes_.fetch_sub(entry.size_bytes(), std::memory_order_seq_cst);
  notify_room();
}

void QueueCore::refuse(const SharedMessage& message) noexcept {
  refused_.fetch_add(1, std::memory_order_relaxed);  // relaxed: statistics
  emit(EventKind::refused, message, 0);
}

Offered QueueCore::offer(SharedMessage&& message, std::size_t bytes) {
  // max_bytes first: a message over it never fits, however much room is made.
  const bool fits = options_.max_bytes == 0 || bytes <= options_.max_bytes;
  if (!fits || !reserve(bytes)) {
    if (const Offered why = make_room(message, bytes); why != Offered::taken) return why;
  }
  QueueProducer& producer = this_threads_producer();
  add_as_only_writer(producer.published);
  emit(EventKind::published, message, 0);
  const MessageExtras* extras = MessageAccess::block(message)->extras;  // the publisher's line, still in its cache
  const bool own_ttl = extras != nullptr && extras->time_to_live.has_value();
  enqueue(Entry{std::move(message), 0, Entry::pack(bytes, own_ttl)}, producer);
  return Offered::taken;
}

Offered QueueCore::make_room(const SharedMessage& message, std::size_t bytes) {
  if (options_.max_bytes != 0 && bytes > options_.max_bytes) {
    refuse(message);
    return Offered::over_max_bytes;
  }
  std::optional<std::chrono::steady_clock::time_point> block_deadline;  // one deadline for all waits
  do {
    switch (options_.overflow) {
      case OverflowPolicy::reject_publish: refuse(message); return Offered::full;
      case OverflowPolicy::drop_oldest: {
        Entry oldest;
        if (!dequeue_raw(oldest, nullptr)) {
          // Everything held is in flight or delayed: nothing may be dropped, so the new message is
          // refused instead (it never entered; the publisher is told).
          refuse(message);
          return Offered::full;
        }
        dead_letter(std::move(oldest), DeadLetterReason::overflow, "dropped as the oldest message of a full queue");
        break;
      }
      case OverflowPolicy::block:
        if (!block_deadline) block_deadline = std::chrono::steady_clock::now() + options_.block_timeout;
        if (!wait_for_room(bytes, *block_deadline)) {
          refuse(message);
          return Offered::block_timed_out;
        }
        break;  // room appeared; reserve again (another publisher may win it, then we wait again)
    }
  } while (!reserve(bytes));
  return Offered::taken;
}

Error QueueCore::refusal_error(Offered why, std::size_t bytes) const noexcept {
  switch (why) {
    case Offered::over_max_bytes: return over_queue_max_bytes_error(name_, bytes, options_.max_bytes);
    case Offered::block_timed_out: {
      const auto timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options_.block_timeout).count();
      return block_timeout_error(name_, static_cast<std::uint64_t>(timeout_ms));
    }
    case Offered::taken:  // not a refusal; never asked
    case Offered::full: break;
  }
  return queue_full_error(name_, options_.max_length, options_.max_bytes, bytes);
}

// Inline into offer(), the publish path's; the other callers are the redelivery and dead-letter paths.
[[gnu::always_inline]] inline void QueueCore::enqueue(Entry&& entry, QueueProducer& producer) {
  // Counted before the entry can be taken, so that a consumer's count of it going out follows
  // this (see stats()).
  add_as_only_writer(producer.bytes_in, entry.size_bytes());
  // seq_cst: the Dekker handshake with park(): this increment precedes our load of parked_ in
  // notify_available(); park() sets its bit and then loads ready_count_. One of us sees the other.
  ready_count_.fetch_add(1, std::memory_order_seq_cst);
  // This thread's explicit producer: one producer per thread as before (so per-producer order),
  // without the implicit producers' lookup per enqueue and locked count per dequeue.
  ready_.enqueue(producer.token, std::move(entry));
  // seq_cst: pairs with close(): either we see closed_ and drain ourselves, or close() sees our
  // count in ready_count_ and drains until the entry is gone. Nothing stays in a closed queue.
  if (closed_.load(std::memory_order_seq_cst)) {
    drop_everything();
    return;
  }
  notify_if_anyone_waits();
}

// Inline into enqueue(): on the publish path nobody is usually waiting, and finding that out is
// two loads, cheaper than the call.
[[gnu::always_inline]] inline void QueueCore::notify_if_anyone_waits() {
  // seq_cst: the second half of the handshakes with take_waiting() and park(); see notify_available().
  if (waiting_receivers_.load(std::memory_order_seq_cst) != 0 || parked_.load(std::memory_order_seq_cst) != 0) {
    notify_available();
  }
}

void QueueCore::notify_available() {
  // seq_cst: second half of the handshake with take_waiting(), as with park() below.
  if (waiting_receivers_.load(std::memory_order_seq_cst) != 0) notify_receivers();
  // seq_cst: second half of the handshake described in enqueue().
  std::uint64_t parked = parked_.load(std::memory_order_seq_cst);
  while (parked != 0) {
    // Round robin: the first parked consumer at or after the one after the last woken, so that
    // idle competing consumers take turns instead of the lowest slot taking every wake-up.
    // relaxed: the cursor only spreads the work; any value it holds is correct.
    const unsigned start = wake_cursor_.load(std::memory_order_relaxed) % max_consumers;
    const unsigned slot =
        (static_cast<unsigned>(std::countr_zero(std::rotr(parked, static_cast<int>(start)))) + start) % max_consumers;
    const std::uint64_t bit = std::uint64_t{1} << slot;
    // acq_rel: whoever clears a consumer's bit owns waking it; nobody else will.
    if ((parked_.fetch_and(~bit, std::memory_order_acq_rel) & bit) != 0) {
      wake_cursor_.store(slot + 1, std::memory_order_relaxed);
      std::shared_ptr<Wakeable> consumer;
      {
        // The wake-up path only: a parked consumer means an idle thread is about to be woken,
        // which costs far more than this uncontended lock.
        std::lock_guard lock(consumers_mutex_);
        consumer = consumers_[slot];
      }
      if (consumer) consumer->wake();
      return;
    }
    parked = parked_.load(std::memory_order_seq_cst);
  }
}

bool QueueCore::wait_for_room(std::size_t bytes, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(room_mutex_);
  // seq_cst: Dekker with leave(): we count ourselves in, then look at held_; a leaver lowers held_,
  // then looks for blocked publishers. Either we see the room, or the leaver sees us and notifies
  // (under room_mutex_, which we hold until the wait releases it, so the notify cannot fall between).
  blocked_publishers_.fetch_add(1, std::memory_order_seq_cst);
  auto has_room = [&] {
    const auto held = held_.load(std::memory_order_seq_cst);
    const auto held_bytes = held_bytes_.load(std::memory_order_seq_cst);
    return (options_.max_length == 0 || held < options_.max_length) &&
           (options_.max_bytes == 0 || held_bytes + bytes <= options_.max_bytes);
  };
  const bool room = room_cv_.wait_until(lock, deadline, [&] { return has_room() || closed(); });
  blocked_publishers_.fetch_sub(1, std::memory_order_relaxed);
  return room;
}

void QueueCore::notify_room() {
  // seq_cst: see wait_for_room().
  if (blocked_publishers_.load(std::memory_order_seq_cst) == 0) return;
  std::lock_guard lock(room_mutex_);
  room_cv_.notify_all();
}

// --- consume side ------------------------------------------------------------------------------

// Inline: on every take (one entry, for a pull receiver), where the span's loop folds away.
[[gnu::always_inline]] inline void QueueCore::count_out(std::span<const Entry> entries,
                                                        DeliveryCounters* taker) noexcept {
  const std::uint64_t bytes = total_bytes(entries);
  // relaxed: a count; the entries themselves were handed over by the queue's own synchronisation.
  // Once per batch: this line is the publishers', and each write here pulls it over.
  ready_count_.fetch_sub(entries.size(), std::memory_order_relaxed);
  // A consumer counts the bytes in its own block (a plain store from its own writer); the rest
  // (dropped, expired on the way out) here. release: stats() reads this (acquire) before the
  // producers' bytes_in, so it sees the bytes in of every entry counted out here (each was counted
  // in before the queue handed it over).
  if (taker != nullptr) {
    taker->add_bytes_taken(bytes);
  } else {
    ready_bytes_adjustment_.fetch_sub(bytes, std::memory_order_release);
  }
}

// Inline: it is on every take, and nearly always finds nothing put back; the lock is out of line.
[[gnu::always_inline]] inline std::size_t QueueCore::take_from_front(std::span<Entry> out) {
  // acquire: pairs with put_back()'s release store, so the entries it pushed are visible.
  if (out.empty() || !has_front_.load(std::memory_order_acquire)) return 0;
  return take_from_front_locked(out);
}

std::size_t QueueCore::take_from_front_locked(std::span<Entry> out) {
  std::lock_guard lock(front_mutex_);
  const std::size_t taken = std::min(out.size(), front_.size());
  std::move(front_.begin(), front_.begin() + static_cast<std::ptrdiff_t>(taken), out.begin());
  front_.erase(front_.begin(), front_.begin() + static_cast<std::ptrdiff_t>(taken));
  has_front_.store(!front_.empty(), std::memory_order_relaxed);  // relaxed: under front_mutex_
  return taken;
}

[[gnu::always_inline]] inline bool QueueCore::dequeue_raw(Entry& out, DeliveryCounters* taker, ConsumerToken* token) {
  if (take_from_front(std::span(&out, 1)) == 0 &&
      !(token != nullptr ? ready_.try_dequeue(*token, out) : ready_.try_dequeue(out))) {
    return false;
  }
  count_out(std::span(&out, 1), taker);
  return true;
}

std::size_t QueueCore::take_bulk(ConsumerToken& token, std::span<Entry> out, TimePoint now, DeliveryCounters& taker) {
  std::size_t taken = take_from_front(out);
  if (taken < out.size())
    taken += ready_.try_dequeue_bulk(token, out.begin() + static_cast<std::ptrdiff_t>(taken), out.size() - taken);
  if (taken == 0) return 0;
  count_out(out.first(taken), &taker);
  std::size_t kept = 0;  // expired entries are dealt with by admit(); the others close up
  for (std::size_t i = 0; i < taken; ++i) {
    if (!admit(out[i], now)) continue;
    if (kept != i) out[kept] = std::move(out[i]);
    ++kept;
  }
  return kept;
}

void QueueCore::put_back(std::span<Entry> entries) {
  if (entries.empty()) return;
  const std::uint64_t bytes = total_bytes(entries);
  // seq_cst: counted in before they become visible, as in enqueue() (the handshakes with park()
  // and close()).
  ready_count_.fetch_add(entries.size(), std::memory_order_seq_cst);
  ready_bytes_adjustment_.fetch_add(bytes, std::memory_order_relaxed);  // relaxed: statistics only
  {
    std::lock_guard lock(front_mutex_);
    front_.insert(front_.begin(), std::make_move_iterator(entries.begin()), std::make_move_iterator(entries.end()));
    has_front_.store(true, std::memory_order_release);  // release: see take_from_front()
  }
  if (closed_.load(std::memory_order_seq_cst)) {  // seq_cst: as in enqueue()
    drop_everything();
    return;
  }
  notify_available();
}

// Inline: every take asks, and only entries with a time to live need the out-of-line check.
[[gnu::always_inline]] inline bool QueueCore::admit(Entry& entry, TimePoint now) {
  if (!entry.has_own_ttl() && !options_.message_ttl) return true;  // reads nothing of the message
  return admit_by_age(entry, now);
}

bool QueueCore::admit_by_age(Entry& entry, TimePoint now) {
  const SharedMessage& message = entry.message;
  Duration ttl = Duration::max();
  if (const std::optional<Duration> own = message.time_to_live()) ttl = *own;
  if (options_.message_ttl) ttl = std::min(ttl, *options_.message_ttl);
  if (now - message.published_at() < ttl) return true;
  dead_letter(std::move(entry), DeadLetterReason::expired, "time to live ran out before delivery");
  return false;
}

bool QueueCore::try_take(Entry& out, TimePoint now, DeliveryCounters& taker, ConsumerToken* token) {
  while (dequeue_raw(out, &taker, token)) {
    if (admit(out, now)) return true;
  }
  return false;
}

bool QueueCore::take_waiting(Entry& out, Duration timeout, const std::atomic<bool>& stop, DeliveryCounters& taker,
                             ConsumerToken* token) {
  using namespace std::chrono;
  const auto deadline = steady_clock::now() + timeout;
  // Wait in slices so that closing the receiver or the broker ends the wait promptly.
  constexpr auto slice = milliseconds(50);
  while (!stop.load(std::memory_order_acquire) && !closed()) {
    if (try_take(out, runtime_.now(), taker, token)) return true;
    const auto left = deadline - steady_clock::now();
    if (left <= Duration::zero()) return false;
    std::unique_lock lock(receivers_mutex_);
    // seq_cst: the Dekker handshake with notify_available(): we count ourselves in, then look for
    // messages; a publisher counts its message in, then looks for us, and notifies under
    // receivers_mutex_, which we hold until the wait releases it.
    waiting_receivers_.fetch_add(1, std::memory_order_seq_cst);
    if (ready_count_.load(std::memory_order_seq_cst) == 0) {
      receivers_cv_.wait_for(lock, std::min<steady_clock::duration>(left, slice));
    }
    waiting_receivers_.fetch_sub(1, std::memory_order_relaxed);  // relaxed: a stale count only notifies
  }
  return false;
}

void QueueCore::notify_receivers() {
  std::lock_guard lock(receivers_mutex_);
  receivers_cv_.notify_all();
}

void QueueCore::on_rejected(Entry&& entry, std::string_view reason, DeliveryCounters& counters) {
  counters.add(counters.rejected);
  emit(EventKind::rejected, entry.message, entry.delivery_count);
  dead_letter(std::move(entry), DeadLetterReason::rejected,
              reason.empty() ? std::string("rejected by a consumer") : std::string(reason));
}

void QueueCore::on_returned(Entry&& entry, Return how, Duration delay, DeliveryCounters& counters) {
  switch (how) {
    case Return::released:
      counters.add(counters.released);
      emit(EventKind::released, entry.message, entry.delivery_count);
      break;
    case Return::lock_expired:
      counters.add(counters.lock_expired);
      emit(EventKind::lock_expired, entry.message, entry.delivery_count);
      break;
    case Return::handler_failed:
      counters.add(counters.returned_by_failure);
      emit(EventKind::handler_failed, entry.message, entry.delivery_count);
      break;
  }
  if (options_.max_deliveries != 0 && entry.delivery_count >= options_.max_deliveries) {
    dead_letter(std::move(entry), DeadLetterReason::max_deliveries,
                "delivered " + std::to_string(entry.delivery_count) + " times without being accepted");
    return;
  }
  if (how != Return::released && !options_.redelivery_backoff.empty()) {
    const auto& backoff = options_.redelivery_backoff;
    delay = backoff[std::min<std::size_t>(entry.delivery_count, backoff.size()) - 1];
  }
  if (delay > Duration::zero()) {
    schedule_delayed(std::move(entry), runtime_.now() + delay);
  } else {
    enqueue(std::move(entry));
  }
}

// --- delayed redelivery ------------------------------------------------------------------------

void QueueCore::schedule_delayed(Entry&& entry, TimePoint due) {
  bool arm = false;
  {
    std::lock_guard lock(delayed_mutex_);
    delayed_.push(Delayed{due, delayed_sequence_++, std::move(entry)});
    delayed_count_.fetch_add(1, std::memory_order_relaxed);
    if (due < timer_at_) {
      timer_at_ = due;
      arm = true;
    }
  }
  if (arm) {
    runtime_.post_at(due, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->promote_due();
    });
  }
}

void QueueCore::promote_due() {
  // A timer may fire after the broker is gone (see environment_): its shutdown closed this queue and
  // dropped what was delayed, and its observer must not be called now. Held for the call, so
  // that the broker cannot go while we enqueue.
  const std::shared_ptr<QueueEnvironment> environment = environment_.lock();
  if (!environment) return;
  std::vector<Entry> due_now;
  TimePoint next = TimePoint::max();
  {
    std::lock_guard lock(delayed_mutex_);
    const TimePoint now = runtime_.now();
    while (!delayed_.empty() && delayed_.top().due <= now) {
      due_now.push_back(std::move(delayed_.top().entry));
      delayed_.pop();
    }
    timer_at_ = TimePoint::max();
    if (!delayed_.empty()) next = timer_at_ = delayed_.top().due;
  }
  for (Entry& entry : due_now) {
    delayed_count_.fetch_sub(1, std::memory_order_relaxed);
    enqueue(std::move(entry));
  }
  if (next != TimePoint::max()) {
    runtime_.post_at(next, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->promote_due();
    });
  }
}

// --- dead letters and drops --------------------------------------------------------------------

void QueueCore::drop(Entry&& entry, DeadLetterReason reason) noexcept {
  dropped_[index(reason)].fetch_add(1, std::memory_order_relaxed);
  emit(EventKind::dropped, entry.message, entry.delivery_count, reason);
  leave(entry);
}

void QueueCore::dead_letter(Entry&& entry, DeadLetterReason reason, std::string detail) {
  // A dead letter is never dead-lettered again: no cycles, whatever the configuration.
  if (options_.dead_letter.empty() || entry.message.death() != nullptr) {
    drop(std::move(entry), reason);
    return;
  }
  const SharedMessage& original = entry.message;
  Message letter = original.to_message();  // shares a large payload's buffer; copies the rest
  letter.topic = options_.dead_letter;
  letter.time_to_live.reset();
  DeathRecord death{reason,        std::move(detail),    std::string(original.topic()),
                    *name_,        entry.delivery_count, original.published_at(),
                    runtime_.now()};
  letter.set_metadata(dead_letter_keys::reason, to_string(reason));
  letter.set_metadata(dead_letter_keys::detail, death.detail);
  letter.set_metadata(dead_letter_keys::original_topic, death.original_topic);
  letter.set_metadata(dead_letter_keys::queue, death.queue);
  letter.set_metadata(dead_letter_keys::delivery_count, std::to_string(death.delivery_count));
  letter.set_metadata(dead_letter_keys::published_at_ns,
                      std::to_string(std::chrono::nanoseconds(death.published_at.time_since_epoch()).count()));
  letter.set_metadata(dead_letter_keys::dead_lettered_at_ns,
                      std::to_string(std::chrono::nanoseconds(death.dead_lettered_at.time_since_epoch()).count()));
  letter.death = std::make_shared<const DeathRecord>(std::move(death));
  // Counted before it is published (relaxed, but sequenced before the enqueue that hands the
  // letter to its consumer): whoever has seen the letter also sees it counted here.
  dead_lettered_[index(reason)].fetch_add(1, std::memory_order_relaxed);
  // The broker may be gone while this queue lives on in a thread's cached routing snapshot (a
  // timer or a lock sweep brought us here): then the letter has nowhere to go and is a drop.
  const std::shared_ptr<QueueEnvironment> environment = environment_.lock();
  if (environment && environment->publish_dead_letter(std::move(letter))) {
    emit(EventKind::dead_lettered, entry.message, entry.delivery_count, reason);
    leave(entry);
  } else {
    // Nothing took it (unrouted, full, broker closed): it is a drop, and counted as one.
    dead_lettered_[index(reason)].fetch_sub(1, std::memory_order_relaxed);
    drop(std::move(entry), reason);
  }
}

void QueueCore::drop_everything() {
  Entry entry;
  while (dequeue_raw(entry, nullptr)) drop(std::move(entry), DeadLetterReason::removed);  // the front lane too
  std::vector<Entry> delayed;
  {
    std::lock_guard lock(delayed_mutex_);
    while (!delayed_.empty()) {
      delayed.push_back(std::move(delayed_.top().entry));
      delayed_.pop();
    }
  }
  for (Entry& held : delayed) {
    delayed_count_.fetch_sub(1, std::memory_order_relaxed);
    drop(std::move(held), DeadLetterReason::removed);
  }
}

void QueueCore::close() {
  // seq_cst: Dekker with enqueue(), which counts an entry in ready_count_ (seq_cst) before adding
  // it and loads closed_ (seq_cst) after. If that load missed our store, our load of ready_count_
  // below sees the count, and we wait for the entry to become visible instead of trusting a
  // dequeue that may run ahead of it (moodycamel's own ordering is not seq_cst).
  closed_.store(true, std::memory_order_seq_cst);
  drop_everything();
  while (ready_count_.load(std::memory_order_seq_cst) != 0) {
    Entry straggler;
    if (dequeue_raw(straggler, nullptr)) {
      drop(std::move(straggler), DeadLetterReason::removed);
    } else {
      std::this_thread::yield();  // an enqueue or a dequeue is between its count and the queue
    }
  }
  notify_receivers();
  std::lock_guard lock(room_mutex_);
  room_cv_.notify_all();
}

// --- consumers ---------------------------------------------------------------------------------

Result<std::uint32_t> QueueCore::attach(std::shared_ptr<Wakeable> consumer) {
  std::lock_guard lock(consumers_mutex_);
  for (std::uint32_t slot = 0; slot < max_consumers; ++slot) {
    if (!consumers_[slot]) {
      consumers_[slot] = std::move(consumer);
      ++consumer_count_;
      return slot;
    }
  }
  return make_error(Errc::too_many_consumers,
                    "queue '" + *name_ + "' already has " + std::to_string(max_consumers) + " push consumers");
}

std::uint32_t QueueCore::detach(std::uint32_t slot) {
  std::shared_ptr<Wakeable> leaving;  // destroyed outside the lock
  std::lock_guard lock(consumers_mutex_);
  // acq_rel: a publisher that already cleared this bit will find the slot empty or the consumer
  // closed; one that has not will not wake a consumer that is gone.
  parked_.fetch_and(~(std::uint64_t{1} << slot), std::memory_order_acq_rel);
  leaving = std::move(consumers_[slot]);
  --consumer_count_;
  return consumer_count_ + receivers_.load(std::memory_order_relaxed);
}

std::uint32_t QueueCore::detach_receiver() noexcept {
  const std::uint32_t receivers = receivers_.fetch_sub(1, std::memory_order_relaxed) - 1;
  std::lock_guard lock(consumers_mutex_);
  return consumer_count_ + receivers;
}

std::uint32_t QueueCore::consumer_count() const noexcept {
  std::lock_guard lock(consumers_mutex_);
  return consumer_count_ + receivers_.load(std::memory_order_relaxed);
}

bool QueueCore::park(std::uint32_t slot) {
  const std::uint64_t bit = std::uint64_t{1} << slot;
  // seq_cst: the Dekker handshake with enqueue(): set our bit, then look for messages.
  parked_.fetch_or(bit, std::memory_order_seq_cst);
  if (ready_count_.load(std::memory_order_seq_cst) == 0) return false;
  // A message arrived. If our bit is still set, we take it back and carry on ourselves; if a
  // publisher cleared it, that publisher is waking us already.
  return (parked_.fetch_and(~bit, std::memory_order_acq_rel) & bit) != 0;
}

std::shared_ptr<DeliveryCounters> QueueCore::delivery_counters() {
  std::lock_guard lock(counters_mutex_);
  // A block only this queue holds belongs to no consumer any more (a consumer holds its block
  // until it is destroyed, after its last delivery handle): reuse it, counts and all.
  for (const auto& counters : counters_) {
    if (counters.use_count() == 1) {
      // acquire: use_count() is a relaxed load; this orders the last holder's counts (made
      // before its release decrement of the count) before the new holder's.
      std::atomic_thread_fence(std::memory_order_acquire);
      return counters;
    }
  }
  return counters_.emplace_back(std::make_shared<DeliveryCounters>());
}

QueueStats QueueCore::stats() const {
  QueueStats stats;
  stats.name = *name_;
  stats.binding = binding_;
  // relaxed throughout: a snapshot of counters; see stats.hpp.
  // acquire (here and in bytes_taken_by): pairs with count_out(); see there. Then every entry
  // counted out is counted in below.
  std::uint64_t bytes = 0;
  {
    std::lock_guard lock(counters_mutex_);
    bytes -= DeliveryCounters::bytes_taken_by(counters_);
  }
  bytes += ready_bytes_adjustment_.load(std::memory_order_acquire);
  producers_.for_each([&](const QueueProducer& producer) {
    stats.published += producer.published.load(std::memory_order_relaxed);
    bytes += producer.bytes_in.load(std::memory_order_relaxed);
  });
  // Never below zero (see count_out()); clamped all the same, so that a statistic cannot wrap.
  stats.bytes = static_cast<std::int64_t>(bytes) < 0 ? 0 : bytes;
  stats.refused = refused_.load(std::memory_order_relaxed);
  {
    std::lock_guard lock(counters_mutex_);
    DeliveryCounters::add_all_to(stats, counters_);  // deliveries, settlements, in flight
  }
  for (std::size_t i = 0; i < dead_letter_reason_count; ++i) {
    stats.dead_lettered[i] = dead_lettered_[i].load(std::memory_order_relaxed);
    stats.dropped[i] = dropped_[i].load(std::memory_order_relaxed);
  }
  stats.depth = ready_count_.load(std::memory_order_relaxed);
  stats.delayed = delayed_count_.load(std::memory_order_relaxed);
  stats.consumers = consumer_count();
  return stats;
}

}  // namespace wasmq::detail
