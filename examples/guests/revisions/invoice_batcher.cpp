#include "invoice_batcher.hpp"

#include <wasi/messaging/r2/consumer.hpp>

#include <charconv>

namespace shop::revisions {

namespace r2 = wasi::messaging::r2;

std::expected<void, r2::types::Error> InvoiceBatcher::Start() {
  return r2::consumer::UpdateGuestConfiguration({.channels = {"invoices"}, .extensions = std::nullopt});
}

std::expected<void, r2::types::Error> InvoiceBatcher::Handler(std::span<const r2::types::Message> ms) {
  ++batches_;
  for (const auto& invoice : ms) {
    std::int64_t cents = 0;
    const auto* begin = reinterpret_cast<const char*>(invoice.data.data());
    const auto* end = begin + invoice.data.size();
    const auto [rest, error] = std::from_chars(begin, end, cents);
    if (error != std::errc{} || rest != end || invoice.data.empty()) {
      if (auto abandoned = r2::consumer::AbandonMessage(invoice); !abandoned) return abandoned;
      continue;
    }
    if (auto completed = r2::consumer::CompleteMessage(invoice); !completed) return completed;
    total_cents_ += cents;
  }
  return {};
}

}  // namespace shop::revisions
