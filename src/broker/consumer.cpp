#include <wasmq/consumer.hpp>

#include "detail/consumer_core.hpp"

namespace wasmq {

Consumer::Consumer(std::shared_ptr<detail::ConsumerCore> core) noexcept : core_(std::move(core)) {}

Consumer& Consumer::operator=(Consumer&& other) noexcept {
  if (this != &other) {
    close();
    core_ = std::move(other.core_);
  }
  return *this;
}

Consumer::~Consumer() { close(); }

void Consumer::close() {
  if (core_) core_->close();
}

ConsumerStats Consumer::stats() const { return core_ ? core_->stats() : ConsumerStats{}; }

Receiver::Receiver(std::shared_ptr<detail::ConsumerCore> core) noexcept : core_(std::move(core)) {}

Receiver& Receiver::operator=(Receiver&& other) noexcept {
  if (this != &other) {
    close();
    core_ = std::move(other.core_);
  }
  return *this;
}

Receiver::~Receiver() { close(); }

Result<Delivery> Receiver::receive(Duration timeout) {
  // The delivery is received in place, and every path returns `result` itself: one named return
  // value, so that the compiler builds it in the caller's slot instead of moving it there.
  Result<Delivery> result;
  if (!core_) {
    result = make_error(Errc::invalid_handle, "the receiver handle is empty (moved from or default-constructed)");
  } else if (auto received = core_->receive(timeout, *result); !received) {
    result = std::unexpected(std::move(received.error()));
  } else if (!*received) {
    result = std::unexpected(detail::receive_timeout_error(core_->shared_queue_name()));
  }
  return result;
}

Result<std::optional<Delivery>> Receiver::try_receive() {
  Result<std::optional<Delivery>> result(std::in_place);  // received in place; one return value, as above
  if (!core_) {
    result = make_error(Errc::invalid_handle, "the receiver handle is empty (moved from or default-constructed)");
  } else if (auto received = core_->receive(Duration::zero(), result->emplace()); !received) {
    result = std::unexpected(std::move(received.error()));
  } else if (!*received) {
    result->reset();
  }
  return result;
}

void Receiver::close() {
  if (core_) core_->close();
}

ConsumerStats Receiver::stats() const { return core_ ? core_->stats() : ConsumerStats{}; }

}  // namespace wasmq
