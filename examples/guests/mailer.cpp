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
  if (sent) confirmed_.fetch_add(1, std::memory_order_relaxed);
  return sent;
}

}  // namespace shop
