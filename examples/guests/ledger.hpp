#pragma once
// Ledger: keeps the books from the order events (pub-sub), the mail and the dead letters.

#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/types.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shop {

/// What the ledger has seen.
struct Books {
  int created = 0;
  int failed = 0;
  int packed = 0;
  int mailed = 0;
  long revenue_cents = 0;
  /// Jobs packed, by the `packer` metadata of orders.packed.
  std::map<std::string, int, std::less<>> packed_by{};
  /// "<order-id>: <reason> after <n> deliveries", one per dead-lettered job.
  std::vector<std::string> dead_letters{};
  /// "<order-id>: <reason>", one per failed order.
  std::vector<std::string> failures{};

  /// One line per fact ("created 4", "packed-by packer-1 2", "failure ord-4: ..."), the format
  /// of the ledger's `ledger.books` reports.
  [[nodiscard]] std::string ToText() const;
  /// The books a report describes; nothing when it is not one.
  static std::optional<Books> Parse(std::string_view text);
  friend bool operator==(const Books&, const Books&) = default;
};

/// Subscribed to `orders.>`, `mail.outbox` and the dead-letter queue `fulfilment.dead`. Books
/// every event it understands and accepts everything else (an unknown topic is not an error worth
/// a retry). After each change it publishes its books to `ledger.books` (Books::ToText), which is
/// how a host or a test reads them from outside; a report it may not send is skipped, as the
/// books themselves are booked. Handles one delivery at a time, as a WebAssembly instance does: a
/// native host serializes its deliveries (wasmq::host::OneAtATime).
class Ledger final : public wasi::messaging::incoming_handler::Guest {
 public:
  explicit Ledger(std::string connection = "inproc") : connection_(std::move(connection)) {}
  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&& event) override;

  /// The books so far (read it between deliveries).
  [[nodiscard]] const Books& Snapshot() const { return books_; }

 private:
  bool Book(const wasi::messaging::types::Message& event);
  void Report();

  const std::string connection_;
  std::optional<wasi::messaging::types::Client> client_;
  Books books_;
};

}  // namespace shop
