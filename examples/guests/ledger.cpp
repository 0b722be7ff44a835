#include "ledger.hpp"

#include "shop_text.hpp"

#include <wasmq/message.hpp>

#include <sstream>

namespace shop {

namespace types = wasi::messaging::types;

namespace {
std::string MetadataValue(const types::Message& message, std::string_view key) {
  for (const auto& [name, value] : message.Metadata().value_or(types::Metadata{})) {
    if (name == key) return value;
  }
  return {};
}
}  // namespace

std::expected<void, types::Error> Ledger::Handle(types::Message&& event) {
  const std::string topic = event.Topic().value_or("");
  std::lock_guard lock(mutex_);
  if (topic == "orders.created") {
    ++books_.created;
    books_.revenue_cents += ParseNumber(MetadataValue(event, "total-cents")).value_or(0);
  } else if (topic == "orders.failed") {
    ++books_.failed;
    books_.failures.push_back(MetadataValue(event, "order-id") + ": " + MetadataValue(event, "reason"));
  } else if (topic == "orders.packed") {
    ++books_.packed;
  } else if (topic == "fulfilment.dead") {
    // The broker writes why and after how many deliveries on every dead letter.
    const auto line = OrderLine::Parse(TextOf(event));
    books_.dead_letters.push_back((line ? line->order_id : TextOf(event)) + ": " +
                                  MetadataValue(event, wasmq::dead_letter_keys::reason) + " after " +
                                  MetadataValue(event, wasmq::dead_letter_keys::delivery_count) + " deliveries (" +
                                  MetadataValue(event, wasmq::dead_letter_keys::detail) + ")");
  }
  changed_.notify_all();
  return {};
}

Books Ledger::Snapshot() const {
  std::lock_guard lock(mutex_);
  return books_;
}

bool Ledger::WaitUntil(const std::function<bool(const Books&)>& done,
                       std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [&] { return done(books_); });
}

}  // namespace shop
