#include <wasmq/delivery.hpp>

#include "detail/consumer_core.hpp"

#include <utility>

namespace wasmq {

namespace {

// Whether `pointer` borrows what it points at (see ConsumerCore::install): it points somewhere
// and owns nothing.
template <class T>
bool borrows(const std::shared_ptr<T>& pointer) noexcept {
  return pointer != nullptr && pointer.use_count() == 0;
}

}  // namespace

void Delivery::own_what_it_borrows() noexcept {
  // A push handler's delivery borrows its message and its consumer from the dispatch run that
  // handed it over; where it moves, it may outlive that run, so it takes references of its own:
  // the message's from its slot (core_ still points at the live consumer), then the consumer's.
  if (borrows(message_)) message_ = core_->lent_message(slot_);
  if (borrows(core_)) core_ = core_->shared_from_this();
}

Delivery::Delivery(std::shared_ptr<detail::ConsumerCore> core, std::uint32_t slot, std::uint64_t generation,
                   std::shared_ptr<const Message> message, std::uint32_t delivery_count) noexcept
    : core_(std::move(core)),
      message_(std::move(message)),
      generation_(generation),
      slot_(slot),
      delivery_count_(delivery_count) {}

Delivery::Delivery(Delivery&& other) noexcept
    : generation_(other.generation_),
      slot_(other.slot_),
      delivery_count_(other.delivery_count_),
      settled_(std::exchange(other.settled_, false)) {
  other.own_what_it_borrows();
  core_ = std::move(other.core_);
  message_ = std::move(other.message_);
}

Delivery& Delivery::operator=(Delivery&& other) noexcept {
  if (this != &other) {
    if (core_ && !settled_) drop();
    other.own_what_it_borrows();
    core_ = std::move(other.core_);
    message_ = std::move(other.message_);
    generation_ = other.generation_;
    slot_ = other.slot_;
    delivery_count_ = other.delivery_count_;
    settled_ = std::exchange(other.settled_, false);
  }
  return *this;
}

Delivery::~Delivery() {
  if (core_ && !settled_) drop();  // a dropped delivery goes back to its queue
}

void Delivery::drop() noexcept {
  settled_ = true;
  // No reference to keep: the message goes with this handle.
  (void)core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::release, Duration::zero(), {}, nullptr);
}

std::shared_ptr<const Message>* Delivery::keep() noexcept { return borrows(message_) ? &message_ : nullptr; }

std::string_view Delivery::queue() const noexcept {
  return core_ ? std::string_view(core_->queue_name()) : std::string_view();
}

Result<void> Delivery::check_settleable() const {
  if (!core_)
    return make_error(Errc::invalid_handle, "the delivery handle is empty (moved from or default-constructed)");
  if (settled_) return std::unexpected(detail::already_settled_error(core_->shared_queue_name()));
  return {};
}

Result<void> Delivery::accept() {
  if (auto ok = check_settleable(); !ok) return ok;
  settled_ = true;
  return core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::accept, Duration::zero(), {}, keep());
}

Result<void> Delivery::release(Duration delay) {
  if (auto ok = check_settleable(); !ok) return ok;
  if (delay < Duration::zero()) return make_error(Errc::invalid_argument, "release delay must not be negative");
  settled_ = true;
  return core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::release, delay, {}, keep());
}

Result<void> Delivery::reject(std::string_view reason) {
  if (auto ok = check_settleable(); !ok) return ok;
  settled_ = true;
  return core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::reject, Duration::zero(), reason, keep());
}

Result<void> Delivery::extend_lock() {
  if (auto ok = check_settleable(); !ok) return ok;
  auto extended = core_->extend(slot_, generation_);
  if (!extended) settled_ = true;  // the holding is gone; nothing left to settle
  return extended;
}

}  // namespace wasmq
