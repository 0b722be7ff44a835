#pragma once
// InvoiceBatcher: a guest written against revision R2 (batches, settled by the guest itself).

#include <wasi/messaging/r2/guest.hpp>

#include <cstdint>
#include <expected>
#include <span>

namespace shop::revisions {

/// Takes invoices ("<amount in cents>") from the `invoices` channel in batches and adds them up.
/// Completes each well-formed invoice and abandons the rest, which the host retries and then
/// dead-letters. Start runs with the guest's R2 session current, as a host runs its start-up.
/// Not thread-safe: a host hands one batch at a time.
class InvoiceBatcher final : public wasi::messaging::r2::guest::Guest {
 public:
  /// Configures the guest's one channel, `invoices`.
  std::expected<void, wasi::messaging::r2::types::Error> Start();

  std::expected<void, wasi::messaging::r2::types::Error> Handler(
      std::span<const wasi::messaging::r2::types::Message> ms) override;

  [[nodiscard]] std::int64_t TotalCents() const noexcept { return total_cents_; }
  [[nodiscard]] std::size_t Batches() const noexcept { return batches_; }

 private:
  std::int64_t total_cents_ = 0;
  std::size_t batches_ = 0;
};

}  // namespace shop::revisions
