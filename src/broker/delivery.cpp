#include <wasmq/delivery.hpp>

#include "detail/consumer_core.hpp"

#include <utility>

namespace wasmq {

namespace {

// A delivery a push handler is given borrows its consumer (see ConsumerCore::install): a core
// pointer that owns nothing, which is what use_count() == 0 with a non-null pointer means. Where
// the delivery moves, the new handle may outlive the dispatch run, so it takes a reference then;
// the moved-from pointer is emptied either way.
std::shared_ptr<detail::ConsumerCore> take_owning(std::shared_ptr<detail::ConsumerCore>& core) {
  if (core != nullptr && core.use_count() == 0) {
    auto owner = core->shared_from_this();
    core.reset();
    return owner;
  }
  return std::move(core);
}

}  // namespace

Delivery::Delivery(std::shared_ptr<detail::ConsumerCore> core, std::uint32_t slot, std::uint64_t generation,
                   std::shared_ptr<const Message> message, std::uint32_t delivery_count) noexcept
    : core_(std::move(core)),
      message_(std::move(message)),
      generation_(generation),
      slot_(slot),
      delivery_count_(delivery_count) {}

Delivery::Delivery(Delivery&& other) noexcept
    : core_(take_owning(other.core_)),
      message_(std::move(other.message_)),
      generation_(other.generation_),
      slot_(other.slot_),
      delivery_count_(other.delivery_count_),
      settled_(std::exchange(other.settled_, false)) {}

Delivery& Delivery::operator=(Delivery&& other) noexcept {
  if (this != &other) {
    if (core_ && !settled_) (void)release();
    core_ = take_owning(other.core_);
    message_ = std::move(other.message_);
    generation_ = other.generation_;
    slot_ = other.slot_;
    delivery_count_ = other.delivery_count_;
    settled_ = std::exchange(other.settled_, false);
  }
  return *this;
}

Delivery::~Delivery() {
  if (core_ && !settled_) (void)release();  // a dropped delivery goes back to its queue
}

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
  return core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::accept, Duration::zero(), {});
}

Result<void> Delivery::release(Duration delay) {
  if (auto ok = check_settleable(); !ok) return ok;
  if (delay < Duration::zero()) return make_error(Errc::invalid_argument, "release delay must not be negative");
  settled_ = true;
  return core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::release, delay, {});
}

Result<void> Delivery::reject(std::string_view reason) {
  if (auto ok = check_settleable(); !ok) return ok;
  settled_ = true;
  return core_->settle(slot_, generation_, detail::ConsumerCore::Outcome::reject, Duration::zero(), reason);
}

Result<void> Delivery::extend_lock() {
  if (auto ok = check_settleable(); !ok) return ok;
  auto extended = core_->extend(slot_, generation_);
  if (!extended) settled_ = true;  // the holding is gone; nothing left to settle
  return extended;
}

}  // namespace wasmq
