#pragma once
// Mailer: a second subscriber to new orders (fan-out), with narrow permissions.

#include <wasi/messaging/incoming_handler.hpp>

#include <atomic>
#include <cstddef>
#include <string>

namespace shop {

/// For each `orders.created`, queues a confirmation on `mail.outbox` (metadata `order-id`). A
/// host gives it publish rights on `mail.>` only.
class Mailer final : public wasi::messaging::incoming_handler::Guest {
 public:
  explicit Mailer(std::string connection = "inproc") : connection_(std::move(connection)) {}
  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&& order) override;
  /// Confirmations queued so far.
  [[nodiscard]] std::size_t Confirmed() const noexcept { return confirmed_.load(std::memory_order_relaxed); }

 private:
  const std::string connection_;
  // relaxed: a statistic for the host's report, read after the shop has settled.
  std::atomic<std::size_t> confirmed_{0};
};

}  // namespace shop
