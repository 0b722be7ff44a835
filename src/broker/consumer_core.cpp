#include "detail/consumer_core.hpp"

#include "detail/message_block.hpp"

#include <cassert>
#include <exception>
#include <string>
#include <vector>

namespace wasmq::detail {

namespace {
// The consumer whose handler this thread is running, so that close() from inside a handler does
// not wait for itself.
thread_local const ConsumerCore* current_dispatch = nullptr;
// Its address tells threads apart (a pull receiver's home thread). A thread that starts after
// another ended may get the same address; the home thread is then gone, and its last writes come
// before the new thread's first (the C library reuses a thread's memory under its own lock).
thread_local constinit char thread_marker = 0;
[[nodiscard]] const void* this_thread_marker() noexcept { return &thread_marker; }
}  // namespace

bool ConsumerCore::on_handler_thread() noexcept { return current_dispatch != nullptr; }

ConsumerCore::ConsumerCore(std::shared_ptr<QueueEnvironment> environment, std::shared_ptr<QueueCore> queue,
                           ConsumerOptions options, Handler handler, std::uint64_t id)
    : environment_(std::move(environment)),
      queue_(std::move(queue)),
      options_(options),
      handler_(std::move(handler)),
      id_(id),
      table_(options.max_in_flight),
      token_(queue_->make_consumer_token()),
      own_counters_(queue_->delivery_counters()),
      shared_counters_(queue_->delivery_counters()) {
  if (handler_) chunk_ = std::make_unique<Entry[]>(std::min(options_.batch_size, max_chunk));
  own_counters_->writers = DeliveryCounters::Writers::one;
  shared_counters_->writers = DeliveryCounters::Writers::many;
  DeliveryCounters::add_all_to(counted_before_, counter_blocks());
}

// Inline: every delivery and settle asks. A push consumer's own writer is its dispatch run (on
// whichever thread it runs: runs take turns, ordered by drain_scheduled_); a pull receiver's is
// its home thread.
[[gnu::always_inline]] inline bool ConsumerCore::on_own_thread() const noexcept {
  return handler_ ? current_dispatch == this : home_thread_.load(std::memory_order_relaxed) == this_thread_marker();
}

[[gnu::always_inline]] inline DeliveryCounters& ConsumerCore::counters_here() noexcept {
  return on_own_thread() ? *own_counters_ : *shared_counters_;
}

ConsumerCore::~ConsumerCore() = default;

void ConsumerCore::start(std::uint32_t queue_slot) {
  queue_slot_ = queue_slot;
  wake();
}

void ConsumerCore::wake() {
  if (closed_.load(std::memory_order_acquire)) return;
  // acq_rel: exactly one waker wins the right to post; the release pairs with finish_drain()'s
  // store of false so that a run sees what the previous run wrote.
  if (drain_scheduled_.exchange(true, std::memory_order_acq_rel)) return;
  environment_->runtime().post([self = shared_from_this()] { self->drain(); });
}

// --- delivering --------------------------------------------------------------------------------

[[gnu::always_inline]] inline void ConsumerCore::install(std::uint32_t slot, Entry&& entry, std::int64_t deadline,
                                                         Keeper keeper, DeliveryCounters& counters, Delivery& out) {
  ++entry.delivery_count;
  queue_->on_delivered(entry, id_, counters);
  const std::uint32_t count = entry.delivery_count;
  // A dispatch run holds this consumer (its posted task owns a reference) for as long as the
  // handler has the delivery, so the delivery borrows both the consumer and the message: handles
  // that own nothing (an aliasing shared_ptr over an empty owner; a borrowed SharedMessage), so
  // that no reference count moves per delivery. The message's reference stays in the slot: until
  // the handle settles it (then the handle takes that reference, see settle()), and, when another
  // party ends the holding meanwhile (the sweeper), until the slot's next install, which only this
  // run makes, after the handler returns (InFlightTable::Leave). A handler that moves the delivery
  // out makes the moved-to handle take references of its own (Delivery's move operations), since
  // it may outlive the run. A pull receiver's delivery is handed to its caller: it owns both.
  // `out` is written field by field, not assigned a new Delivery: it holds nothing (asserted), so
  // there is nothing to give back first, and a pull receiver's caller gets it in place.
  assert(!out.core_ && !out.message_);
  const bool lent = keeper == Keeper::dispatch_run;
  out.message_ = lent ? MessageAccess::borrow(entry.message) : MessageAccess::share_held(entry.message);
  out.core_ = lent ? std::shared_ptr<ConsumerCore>(std::shared_ptr<ConsumerCore>(), this) : shared_from_this();
  out.generation_ = table_.install(slot, std::move(entry), deadline);
  out.slot_ = slot;
  out.delivery_count_ = count;
  out.settled_ = false;
  out.borrows_core_ = lent;
  out.borrows_message_ = lent;
  arm_sweeper(deadline);
}

// Inline: it is the whole of receive() but for the errors.
[[gnu::always_inline]] inline ConsumerCore::Acquire ConsumerCore::acquire(Delivery& out, Duration timeout) {
  const auto slot = table_.try_reserve();
  if (!slot) return Acquire::no_slot;
  Entry entry;
  // The home thread takes with the token, which goes to one producer's entries directly instead
  // of comparing every producer's size; any other thread without it (a token is one thread's).
  const bool own = on_own_thread();
  DeliveryCounters& counters = own ? *own_counters_ : *shared_counters_;
  ConsumerToken* const token = own ? &token_ : nullptr;
  TimePoint now = queue_->now();  // one clock read: time to live and the lock deadline
  if (!queue_->try_take(entry, now, counters, token)) {
    if (timeout <= Duration::zero() || !queue_->take_waiting(entry, timeout, closed_, counters, token)) {
      table_.unreserve(*slot);
      return Acquire::empty;
    }
    now = queue_->now();  // the wait took time: the lock runs from the delivery
  }
  install(*slot, std::move(entry), queue_->lock_deadline_from(now), Keeper::delivery, counters, out);
  return Acquire::delivered;
}

Result<bool> ConsumerCore::receive(Duration timeout, Delivery& delivery) {
  if (is_closed()) return std::unexpected(receiver_closed_error(queue_->shared_name()));
  if (home_thread_.load(std::memory_order_relaxed) == nullptr) [[unlikely]] {
    const void* none = nullptr;
    home_thread_.compare_exchange_strong(none, this_thread_marker(), std::memory_order_relaxed);  // see home_thread_
  }
  switch (acquire(delivery, timeout)) {
    case Acquire::no_slot:
      return std::unexpected(too_many_in_flight_error(queue_->shared_name(), options_.max_in_flight));
    case Acquire::empty:
      if (is_closed()) return std::unexpected(receiver_closed_error(queue_->shared_name()));
      return false;
    case Acquire::delivered: break;
  }
  // seq_cst: pairs with close(): it sets closed_ then releases what is held; we installed (seq_cst)
  // then look at closed_. A delivery installed after close() scanned is released here.
  if (closed_.load(std::memory_order_seq_cst)) {
    (void)delivery.release();
    return std::unexpected(receiver_closed_error(queue_->shared_name()));
  }
  return true;
}

void ConsumerCore::invoke(Delivery& delivery) {
  const std::uint32_t slot = delivery.slot_;
  const std::uint64_t generation = delivery.generation_;
  try {
    handler_(delivery);
  } catch (...) {
    // A throwing handler is a failed delivery. If the handler kept or settled the delivery
    // there is nothing to take back (fail() reports lock_lost), but the failure is counted.
    HandlerError error{.queue = queue_name(),
                       .consumer = id_,
                       .message = delivery.valid() ? owned_message(delivery) : SharedMessage(),
                       .delivery_count = delivery.delivery_count_,
                       .exception = std::current_exception()};  // `what` is written only for a hook
    if (delivery.valid() && !delivery.settled()) {
      delivery.settled_ = true;
      (void)fail(slot, generation);
    } else {
      handler_failures_.fetch_add(1, std::memory_order_relaxed);
    }
    environment_->report_handler_error(error);
  }
}

void ConsumerCore::drain() {
  running_drains_.fetch_add(1, std::memory_order_seq_cst);  // seq_cst: see close()
  if (!closed_.load(std::memory_order_seq_cst)) {
    const ConsumerCore* outer = current_dispatch;
    current_dispatch = this;
    Acquire last = Acquire::delivered;
    std::uint32_t delivered = 0;
    while (delivered < options_.batch_size && !is_closed()) {
      last = dispatch_chunk(std::min(options_.batch_size - delivered, max_chunk), delivered);
      if (last != Acquire::delivered) break;
    }
    current_dispatch = outer;
    // release: the next run (on any thread) sees everything this run wrote.
    drain_scheduled_.store(false, std::memory_order_seq_cst);
    if (!is_closed()) {
      switch (last) {
        case Acquire::delivered:
          idle_since_.reset();
          wake();  // batch used up: yield the thread, continue later
          break;
        case Acquire::empty:
          // Polling: wake (re-post) behind whatever else the runtime has queued, holding no
          // thread. Otherwise park; park() says when a message slipped in meanwhile.
          if (keep_polling() || queue_->park(queue_slot_)) wake();
          break;
        case Acquire::no_slot:
          // seq_cst: Dekker with on_slot_freed(): we announce saturation, then look for a free slot;
          // a settler frees a slot, then looks at saturated_.
          saturated_.store(true, std::memory_order_seq_cst);
          if (table_.has_free_slot() && saturated_.exchange(false, std::memory_order_seq_cst)) wake();
          break;
      }
    }
  } else {
    drain_scheduled_.store(false, std::memory_order_seq_cst);
  }
  finish_drain();
}

ConsumerCore::Acquire ConsumerCore::dispatch_chunk(std::uint32_t limit, std::uint32_t& delivered) {
  // Only as many entries as there are free slots: this run is the only one reserving slots, and
  // settling only frees them, so each reservation below succeeds.
  const std::uint32_t room = table_.free_slots_up_to(limit);
  if (room == 0) return Acquire::no_slot;
  const TimePoint now = queue_->now();  // one clock read per chunk: time to live and lock deadlines
  const std::span<Entry> chunk(chunk_.get(), room);
  DeliveryCounters& counters = counters_here();  // this run's: the consumer's own
  const std::size_t taken = queue_->take_bulk(token_, chunk, now, counters);
  if (taken == 0) return Acquire::empty;
  const std::int64_t deadline = queue_->lock_deadline_from(now);
  // A slot for each entry, all at once (this run is the only one reserving: see above). Fewer
  // than taken is not expected; what is left goes back below.
  const std::uint32_t reserved = table_.reserve_many(std::span(chunk_slots_).first(taken));
  std::size_t next = 0;
  for (; next < reserved && !is_closed(); ++next) {
    Delivery delivery;
    install(chunk_slots_[next], std::move(chunk[next]), deadline, Keeper::dispatch_run, counters, delivery);
    ++delivered;
    invoke(delivery);  // an unsettled delivery is released when it goes out of scope here
  }
  // Closed midway: the slots reserved for the rest are given back, and the entries, never
  // delivered, go back ahead of the rest of the queue.
  for (std::size_t unused = next; unused < reserved; ++unused) table_.unreserve(chunk_slots_[unused]);
  if (next < taken) queue_->put_back(chunk.subspan(next, taken - next));
  return taken == room ? Acquire::delivered : Acquire::empty;
}

bool ConsumerCore::keep_polling() {
  if (options_.idle_poll <= Duration::zero() || !environment_->runtime().runs_in_parallel()) return false;
  const TimePoint now = environment_->runtime().now();
  if (!idle_since_) idle_since_ = now;
  if (now - *idle_since_ < options_.idle_poll) return true;
  idle_since_.reset();
  return false;
}

void ConsumerCore::finish_drain() {
  // seq_cst: Dekker with close(): it sets closed_ then waits for running_drains_ to reach zero.
  running_drains_.fetch_sub(1, std::memory_order_seq_cst);
  if (closed_.load(std::memory_order_seq_cst)) {
    std::lock_guard lock(close_mutex_);
    drains_done_.notify_all();
  }
}

void ConsumerCore::on_slot_freed() {
  // seq_cst: see the no_slot case in drain(); the slot was freed by a seq_cst fetch_and.
  if (saturated_.load(std::memory_order_seq_cst) && saturated_.exchange(false, std::memory_order_seq_cst)) wake();
}

// --- settling ----------------------------------------------------------------------------------

Result<void> ConsumerCore::lost(SettleVerb verb) const {
  return std::unexpected(lock_lost_error(queue_->shared_name(), verb));
}

Result<void> ConsumerCore::settle(std::uint32_t slot, std::uint64_t generation, Outcome outcome, Duration delay,
                                  std::string_view reason, Delivery* borrower) {
  Entry entry;
  if (table_.take(slot, generation, entry) == InFlightTable::Take::lost) {
    return lost(outcome == Outcome::accept    ? SettleVerb::accept
                : outcome == Outcome::release ? SettleVerb::release
                                              : SettleVerb::reject);
  }
  // `borrower`: a handle that borrowed its message takes the slot's reference to it, moved where
  // the entry ends here (accepted) and copied where the entry goes on (released, rejected).
  if (borrower != nullptr) MessageAccess::forget(borrower->message_);  // it owned nothing
  switch (outcome) {
    case Outcome::accept:
      queue_->on_accepted(entry, counters_here());
      if (borrower != nullptr) {
        borrower->message_ = std::move(entry.message);
      } else {
        MessageAccess::drop_beside_another(std::move(entry.message));  // the settling handle has its own
      }
      break;
    case Outcome::release:
      if (borrower != nullptr) borrower->message_ = entry.message;
      queue_->on_returned(std::move(entry), Return::released, delay, counters_here());
      break;
    case Outcome::reject:
      if (borrower != nullptr) borrower->message_ = entry.message;
      queue_->on_rejected(std::move(entry), reason, counters_here());
      break;
  }
  if (borrower != nullptr) borrower->borrows_message_ = false;
  on_slot_freed();
  return {};
}

SharedMessage ConsumerCore::lent_message(std::uint32_t slot) const noexcept { return table_.message_in(slot); }

SharedMessage ConsumerCore::owned_message(const Delivery& delivery) const noexcept {
  // Borrowed (see install()): the slot still holds the reference (the holding is held, or was
  // ended by a party that left the entry), and this run has not installed into it since.
  return delivery.borrows_message_ ? lent_message(delivery.slot_) : delivery.message_;
}

Result<void> ConsumerCore::fail(std::uint32_t slot, std::uint64_t generation) {
  handler_failures_.fetch_add(1, std::memory_order_relaxed);
  Entry entry;
  if (table_.take(slot, generation, entry) == InFlightTable::Take::lost) return lost(SettleVerb::fail);
  queue_->on_returned(std::move(entry), Return::handler_failed, Duration::zero(), counters_here());
  on_slot_freed();
  return {};
}

Result<void> ConsumerCore::extend(std::uint32_t slot, std::uint64_t generation) {
  if (!table_.extend(slot, generation, queue_->lock_deadline_from(queue_->now()))) return lost(SettleVerb::extend);
  return {};
}

// --- lock expiry -------------------------------------------------------------------------------

void ConsumerCore::arm_sweeper(std::int64_t deadline) {
  // seq_cst: Dekker with sweep(): install() stored the holding (seq_cst) before this load; sweep()
  // clears the flag before scanning the holdings. A holding is never left without a sweeper.
  if (sweeper_armed_.load(std::memory_order_seq_cst) || sweeper_armed_.exchange(true, std::memory_order_seq_cst)) {
    return;  // an armed sweeper fires no later than this deadline: locks last the same for all
  }
  environment_->runtime().post_at(TimePoint(Duration(deadline)), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->sweep();
  });
}

void ConsumerCore::sweep() {
  if (is_closed()) return;
  while (true) {
    const std::int64_t now = queue_->now_ticks();
    std::int64_t next = INT64_MAX;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> expired;
    table_.for_each_held([&](std::uint32_t slot, std::uint64_t generation, std::int64_t deadline) {
      if (deadline <= now) {
        expired.emplace_back(slot, generation);
      } else if (deadline < next) {
        next = deadline;
      }
    });
    for (auto [slot, generation] : expired) {
      Entry entry;
      // A push handler may be reading this message through its delivery right now (it borrows
      // it from the slot): leave it there.
      const auto leave = handler_ ? InFlightTable::Leave::the_entry : InFlightTable::Leave::nothing;
      if (table_.take(slot, generation, entry, leave) == InFlightTable::Take::lost) continue;  // settled first
      queue_->on_returned(std::move(entry), Return::lock_expired, Duration::zero(), counters_here());
      on_slot_freed();
    }
    if (next != INT64_MAX) {
      environment_->runtime().post_at(TimePoint(Duration(next)), [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->sweep();
      });
      return;  // stays armed
    }
    sweeper_armed_.store(false, std::memory_order_seq_cst);
    bool any_held = false;
    table_.for_each_held([&](std::uint32_t, std::uint64_t, std::int64_t) { any_held = true; });
    if (!any_held || sweeper_armed_.exchange(true, std::memory_order_seq_cst)) return;
    // A delivery was installed while we disarmed, and its arm_sweeper() saw us still armed: scan
    // again (armed) to schedule it.
  }
}

// --- closing -----------------------------------------------------------------------------------

void ConsumerCore::release_all_held() {
  std::vector<std::pair<std::uint32_t, std::uint64_t>> held;
  table_.for_each_held(
      [&](std::uint32_t slot, std::uint64_t generation, std::int64_t) { held.emplace_back(slot, generation); });
  // Closed from inside this consumer's own handler, whose delivery may borrow its message from
  // its slot (no other run is left: close() waited for them): leave the entries there.
  const auto leave = current_dispatch == this ? InFlightTable::Leave::the_entry : InFlightTable::Leave::nothing;
  for (auto [slot, generation] : held) {
    Entry entry;
    if (table_.take(slot, generation, entry, leave) == InFlightTable::Take::lost) continue;
    queue_->on_returned(std::move(entry), Return::released, Duration::zero(), counters_here());
  }
}

void ConsumerCore::close() {
  // seq_cst: Dekker with drain()/finish_drain() and receive(), see there.
  if (closed_.exchange(true, std::memory_order_seq_cst)) return;
  {
    std::unique_lock lock(close_mutex_);
    // A handler that closes its own consumer is itself a running drain: do not wait for it.
    const std::uint32_t own = current_dispatch == this ? 1 : 0;
    drains_done_.wait(lock, [&] { return running_drains_.load(std::memory_order_seq_cst) <= own; });
  }
  release_all_held();
  // The consumer detaches itself; the broker only hears that it left (and may remove a
  // subscription nobody consumes any more).
  if (handler_) {
    (void)queue_->detach(queue_slot_);
  } else {
    (void)queue_->detach_receiver();
  }
  environment_->on_consumer_left(id_, queue_);
}

ConsumerStats ConsumerCore::stats() const {
  ConsumerStats stats;
  stats.id = id_;
  stats.queue = queue_name();
  QueueStats counted;
  DeliveryCounters::add_all_to(counted, counter_blocks());
  stats.delivered = counted.delivered - counted_before_.delivered;
  stats.accepted = counted.accepted - counted_before_.accepted;
  stats.released = counted.released - counted_before_.released;
  stats.rejected = counted.rejected - counted_before_.rejected;
  stats.lock_expired = counted.lock_expired - counted_before_.lock_expired;
  stats.handler_failures = handler_failures_.load(std::memory_order_relaxed);  // relaxed: statistics
  stats.in_flight = table_.held_count();
  return stats;
}

}  // namespace wasmq::detail
