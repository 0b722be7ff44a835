#include <wasmq/delivery.hpp>

#include "detail/consumer_core.hpp"
#include "detail/message_block.hpp"

#include <utility>

namespace wasmq {

void Delivery::take_what_it_borrows() noexcept {
  // A push handler's delivery borrows its message and its consumer from the dispatch run that
  // handed it over; where it moves, it may outlive that run, so it takes references of its own:
  // the message's from its slot (core_ still points at the live consumer), then the consumer's.
  if (borrows_message_) {
    detail::MessageAccess::forget(message_);  // it owned nothing
    message_ = core_->lent_message(slot_);
    borrows_message_ = false;
  }
  if (borrows_core_) {
    core_ = core_->shared_from_this();
    borrows_core_ = false;
  }
}

Delivery::Delivery(Delivery&& other) noexcept
    : core_(std::move(other.owning().core_)),  // first: owning() makes other own what it borrows
      message_(std::move(other.message_)),
      generation_(other.generation_),
      slot_(other.slot_),
      delivery_count_(other.delivery_count_),
      settled_(std::exchange(other.settled_, false)) {}

Delivery& Delivery::operator=(Delivery&& other) noexcept {
  if (this != &other) {
    if (core_ && !settled_) drop();
    if (borrows_message_) detail::MessageAccess::forget(message_);  // it owned nothing
    other.own_what_it_borrows();
    core_ = std::move(other.core_);
    message_ = std::move(other.message_);
    generation_ = other.generation_;
    slot_ = other.slot_;
    delivery_count_ = other.delivery_count_;
    settled_ = std::exchange(other.settled_, false);
    borrows_core_ = false;  // other owns what it had (own_what_it_borrows above)
    borrows_message_ = false;
  }
  return *this;
}

Delivery::~Delivery() {
  if (core_ && !settled_) drop();                                 // a dropped delivery goes back to its queue
  if (borrows_message_) detail::MessageAccess::forget(message_);  // it owned nothing
}

void Delivery::drop() noexcept {
  settled_ = true;
  // No reference to keep: the message goes with this handle.
  (void)core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::release, Duration::zero(), {}, nullptr);
}

Delivery* Delivery::borrower() noexcept { return borrows_message_ ? this : nullptr; }

std::string_view Delivery::queue() const noexcept {
  return core_ ? std::string_view(core_->queue_name()) : std::string_view();
}

// Each settle tests `!core_ || settled_` inline and calls this only to build the error.
Result<void> Delivery::check_settleable() const {
  if (!core_)
    return make_error(Errc::invalid_handle, "the delivery handle is empty (moved from or default-constructed)");
  if (settled_) return std::unexpected(detail::already_settled_error(core_->shared_queue_name()));
  return {};
}

Result<void> Delivery::accept() {
  if (!core_ || settled_) [[unlikely]]
    return check_settleable();
  settled_ = true;
  return core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::accept, Duration::zero(), {}, borrower());
}

Result<void> Delivery::release(Duration delay) {
  if (!core_ || settled_) [[unlikely]]
    return check_settleable();
  if (delay < Duration::zero()) return make_error(Errc::invalid_argument, "release delay must not be negative");
  settled_ = true;
  return core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::release, delay, {}, borrower());
}

Result<void> Delivery::reject(std::string_view reason) {
  if (!core_ || settled_) [[unlikely]]
    return check_settleable();
  settled_ = true;
  return core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::reject, Duration::zero(), reason, borrower());
}

Result<void> Delivery::extend_lock() {
  if (!core_ || settled_) [[unlikely]]
    return check_settleable();
  auto extended = core_->extend(slot_, generation_);
  if (!extended) settled_ = true;  // the holding is gone; nothing left to settle
  return extended;
}

}  // namespace wasmq
