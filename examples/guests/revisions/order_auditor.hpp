#pragma once
// OrderAuditor: a guest written against revision R1 (CloudEvents, queue and topic channels).

#include <wasi/messaging/r1/service.hpp>

#include <atomic>
#include <cstddef>
#include <expected>
#include <string>

namespace shop::revisions {

/// Listens to the `orders.placed` topic and queues one `com.shop.audit` event per order on the
/// `audit` queue, its `orderid` extension naming the order. Start and Stop run with the guest's
/// R1 session current (host::r1::ScopedSession), as a host runs a guest's start-up.
class OrderAuditor final : public wasi::messaging::r1::handler::Guest {
 public:
  /// Subscribes to `orders.placed`.
  std::expected<void, wasi::messaging::r1::types::MessagingError> Start();
  /// Ends the subscription Start made.
  std::expected<void, wasi::messaging::r1::types::MessagingError> Stop();

  std::expected<void, wasi::messaging::r1::types::MessagingError> OnReceive(
      const wasi::messaging::r1::types::Event& e) override;

  /// Orders audited. Thread-safe.
  [[nodiscard]] std::size_t Audited() const noexcept { return audited_.load(std::memory_order_relaxed); }

 private:
  std::string token_;
  std::atomic<std::size_t> audited_{0};  // relaxed: a counter read after the work is done
};

}  // namespace shop::revisions
