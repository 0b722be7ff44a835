#pragma once
// Mailer: a second subscriber to new orders (fan-out), with narrow permissions.

#include <wasi/messaging/incoming_handler.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>

namespace shop {

/// For each `orders.created`, queues a confirmation on `mail.outbox` (metadata `order-id`). A
/// host gives it publish rights on `mail.>` only.
class Mailer final : public wasi::messaging::incoming_handler::Guest {
 public:
  explicit Mailer(std::string connection = "inproc") : connection_(std::move(connection)) {}
  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&& order) override;
  /// Confirmations queued so far.
  [[nodiscard]] std::size_t Confirmed() const;
  /// Waits until `count` confirmations are queued, or `deadline`; true when they are. A host
  /// reads the mailer's work by this, not by the time it waited for other guests.
  bool WaitForConfirmed(std::size_t count, std::chrono::steady_clock::time_point deadline) const;

 private:
  const std::string connection_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::size_t confirmed_ = 0;  // guarded by mutex_
};

}  // namespace shop
