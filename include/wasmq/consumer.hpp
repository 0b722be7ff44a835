#pragma once
/// Handles for push consumers (a handler run by the runtime) and pull receivers.

#include <wasmq/delivery.hpp>
#include <wasmq/detail/visibility.hpp>
#include <wasmq/error.hpp>
#include <wasmq/stats.hpp>

#include <functional>
#include <memory>
#include <optional>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

namespace detail {
class ConsumerCore;
}

/// Called on the broker's runtime with each delivery. Settle it, move it elsewhere to settle
/// later, or leave it: a delivery left unsettled when the handler returns is released. A handler
/// that throws is a failed delivery (counted, backoff applied), never a crash.
using Handler = std::function<void(Delivery&)>;

/// A push consumer: the broker calls its handler. Closing it (or destroying it) stops deliveries,
/// waits for a running handler to return (unless called from inside that handler) and releases
/// every delivery it holds. Move-only; [[nodiscard]]: a consumer dropped at once stops at once.
class [[nodiscard]] Consumer {
 public:
  Consumer() = default;
  Consumer(Consumer&&) noexcept = default;
  Consumer& operator=(Consumer&& other) noexcept;
  ~Consumer();

  void close();
  [[nodiscard]] bool valid() const noexcept { return core_ != nullptr; }
  [[nodiscard]] ConsumerStats stats() const;

 private:
  friend class Broker;
  explicit Consumer(std::shared_ptr<detail::ConsumerCore> core) noexcept;
  std::shared_ptr<detail::ConsumerCore> core_;
};

/// A pull receiver: the caller asks for messages. Thread-safe: several threads may receive from
/// one receiver. Closing it releases every delivery it holds. Move-only.
class [[nodiscard]] Receiver {
 public:
  Receiver() = default;
  Receiver(Receiver&&) noexcept = default;
  Receiver& operator=(Receiver&& other) noexcept;
  ~Receiver();

  /// The next available message, waiting up to `timeout` (wall-clock) for one.
  /// Errors: timeout (none came), too_many_in_flight, closed, invalid_handle.
  [[nodiscard]] Result<Delivery> receive(Duration timeout);
  /// The next available message if there is one now, or an empty optional if there is none (not
  /// an error: polling an empty queue costs no error). Errors: too_many_in_flight, closed,
  /// invalid_handle.
  [[nodiscard]] Result<std::optional<Delivery>> try_receive();

  void close();
  [[nodiscard]] bool valid() const noexcept { return core_ != nullptr; }
  [[nodiscard]] ConsumerStats stats() const;

 private:
  friend class Broker;
  explicit Receiver(std::shared_ptr<detail::ConsumerCore> core) noexcept;
  std::shared_ptr<detail::ConsumerCore> core_;
};

}  // namespace wasmq

WASMQ_PUBLIC_END
