#pragma once
// Ledger: keeps the books from the order events (pub-sub) and the dead letters.

#include <wasi/messaging/incoming_handler.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace shop {

/// What the ledger has seen.
struct Books {
  int created = 0;
  int failed = 0;
  int packed = 0;
  long revenue_cents = 0;
  /// "<order-id>: <reason> after <n> deliveries", one per dead-lettered job.
  std::vector<std::string> dead_letters;
  /// "<order-id>: <reason>", one per failed order.
  std::vector<std::string> failures;
};

/// Subscribed to `orders.>` and to the dead-letter queue `fulfilment.dead`; publishes nothing.
/// Books every event it understands and accepts everything else (an unknown topic is not an
/// error worth a retry). Thread-safe.
class Ledger final : public wasi::messaging::incoming_handler::Guest {
 public:
  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&& event) override;

  [[nodiscard]] Books Snapshot() const;
  /// Waits until `done(books)` or `deadline`; returns whether done.
  bool WaitUntil(const std::function<bool(const Books&)>& done, std::chrono::steady_clock::time_point deadline) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  Books books_;
};

}  // namespace shop
