#pragma once
// What a queue and its consumers need from the broker around them, and nothing more: the clock
// and timers (the runtime), the observer, where dead letters go, and notices that a consumer
// left. Queues and consumers see the broker only through this, so neither includes it.

#include <wasmq/handler_error.hpp>
#include <wasmq/message.hpp>
#include <wasmq/observer.hpp>
#include <wasmq/runtime.hpp>

#include <cstdint>
#include <memory>

namespace wasmq::detail {

class QueueCore;

class QueueEnvironment {
 public:
  [[nodiscard]] virtual Runtime& runtime() const noexcept = 0;
  /// Told about every event; null for none. Fixed for the environment's life.
  [[nodiscard]] virtual Observer* observer() const noexcept = 0;
  /// Routes a dead letter a queue built; true when at least one queue took it.
  virtual bool publish_dead_letter(Message&& letter) = 0;
  /// A consumer has closed and detached itself from `queue`: forget it, and remove `queue` from
  /// routing if it is a subscription nobody consumes any more (checked again under the broker's
  /// registry lock: another consumer may have joined meanwhile).
  virtual void on_consumer_left(std::uint64_t consumer_id, const std::shared_ptr<QueueCore>& queue) = 0;
  /// A push handler threw (its delivery already failed): tell the broker's error hook, if any.
  virtual void report_handler_error(const HandlerError& error) noexcept = 0;

 protected:
  QueueEnvironment() = default;
  ~QueueEnvironment() = default;
  QueueEnvironment(const QueueEnvironment&) = default;
  QueueEnvironment& operator=(const QueueEnvironment&) = default;
};

/// A push consumer as its queue sees it: something to wake when a message arrives while it is
/// parked.
class Wakeable {
 public:
  virtual void wake() = 0;

 protected:
  Wakeable() = default;
  ~Wakeable() = default;
  Wakeable(const Wakeable&) = default;
  Wakeable& operator=(const Wakeable&) = default;
};

}  // namespace wasmq::detail
