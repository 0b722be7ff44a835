#include <wasmq/name.hpp>
#include <wasmq/testing/faults.hpp>

namespace wasmq::testkit {

using wasi::messaging::types::Error;

std::string_view to_string(FaultKind kind) noexcept {
  switch (kind) {
    case FaultKind::fail_send: return "fail_send";
    case FaultKind::expire_lock: return "expire_lock";
    case FaultKind::duplicate_delivery: return "duplicate_delivery";
    case FaultKind::close_consumer: return "close_consumer";
  }
  return "unknown";
}

void Faults::fail_next_send(std::string pattern, Error error) {
  std::lock_guard lock(mutex_);
  pending_.push_back({FaultKind::fail_send, std::move(pattern), std::move(error)});
}

void Faults::expire_next_lock(std::string pattern) {
  std::lock_guard lock(mutex_);
  pending_.push_back({FaultKind::expire_lock, std::move(pattern), std::nullopt});
}

void Faults::duplicate_next_delivery(std::string pattern) {
  std::lock_guard lock(mutex_);
  pending_.push_back({FaultKind::duplicate_delivery, std::move(pattern), std::nullopt});
}

void Faults::close_consumer_during_next_delivery(std::string pattern) {
  std::lock_guard lock(mutex_);
  pending_.push_back({FaultKind::close_consumer, std::move(pattern), std::nullopt});
}

void Faults::randomize(std::uint64_t seed, RandomFaultRates rates) {
  std::lock_guard lock(mutex_);
  random_.seed(seed);
  rates_ = rates;
}

void Faults::clear() {
  std::lock_guard lock(mutex_);
  pending_.clear();
  rates_.reset();
}

std::size_t Faults::injected() const {
  std::lock_guard lock(mutex_);
  return injected_;
}

std::optional<Error> Faults::take_send_fault(std::string_view topic) {
  std::lock_guard lock(mutex_);
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->kind == FaultKind::fail_send && matches(it->pattern, topic)) {
      std::optional<Error> error = std::move(it->error);  // fail_send faults always carry one
      pending_.erase(it);
      ++injected_;
      return error;
    }
  }
  if (rates_ && std::bernoulli_distribution(rates_->fail_send)(random_)) {
    ++injected_;
    return Error::Connection("injected fault (random): send failed");
  }
  return std::nullopt;
}

std::optional<FaultKind> Faults::take_delivery_fault(std::string_view topic) {
  std::lock_guard lock(mutex_);
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->kind != FaultKind::fail_send && matches(it->pattern, topic)) {
      const FaultKind kind = it->kind;
      pending_.erase(it);
      ++injected_;
      return kind;
    }
  }
  if (!rates_) return std::nullopt;
  // One draw per fault kind, always all three, so that a seed replays the same sequence whatever
  // the outcomes.
  const bool expire = std::bernoulli_distribution(rates_->expire_lock)(random_);
  const bool duplicate = std::bernoulli_distribution(rates_->duplicate_delivery)(random_);
  const bool close = std::bernoulli_distribution(rates_->close_consumer)(random_);
  std::optional<FaultKind> chosen;
  if (close) {
    chosen = FaultKind::close_consumer;
  } else if (expire) {
    chosen = FaultKind::expire_lock;
  } else if (duplicate) {
    chosen = FaultKind::duplicate_delivery;
  }
  if (chosen) ++injected_;
  return chosen;
}

}  // namespace wasmq::testkit
