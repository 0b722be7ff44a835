#include "mailer.hpp"

#include "shop_text.hpp"

#include <wasi/messaging/producer.hpp>

namespace shop {

namespace types = wasi::messaging::types;

std::expected<void, types::Error> Mailer::Handle(types::Message&& order) {
  const auto line = OrderLine::Parse(TextOf(order).substr(0, TextOf(order).rfind(' ')));
  if (!line) return std::unexpected(types::Error::PermissionDenied("malformed order: '" + TextOf(order) + "'"));
  auto client = types::Client::Connect(connection_);
  if (!client) return std::unexpected(client.error());
  auto mail = TextMessage("Your order " + line->order_id + " (" + std::to_string(line->quantity) + " × " + line->sku +
                          ") is confirmed.");
  mail.AddMetadata("order-id", line->order_id);
  auto sent = wasi::messaging::producer::Send(*client, "mail.outbox", std::move(mail));
  if (sent) {
    {
      std::lock_guard lock(mutex_);
      ++confirmed_;
    }
    changed_.notify_all();
  }
  return sent;
}

std::size_t Mailer::Confirmed() const {
  std::lock_guard lock(mutex_);
  return confirmed_;
}

bool Mailer::WaitForConfirmed(std::size_t count, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [&] { return confirmed_ >= count; });
}

}  // namespace shop
