#include "mailer.hpp"

#include "shop_text.hpp"

#include <wasi/messaging/producer.hpp>

namespace shop {

namespace types = wasi::messaging::types;

std::expected<void, types::Error> Mailer::Handle(types::Message&& order) {
  const std::string text = TextOf(order);
  const auto line = OrderLine::Parse(std::string_view(text).substr(0, text.rfind(' ')));
  if (!line) return std::unexpected(types::Error::PermissionDenied("malformed order: '" + text + "'"));
  auto client = types::Client::Connect(connection_);
  if (!client) return std::unexpected(client.error());
  auto mail = TextMessage("Your order " + line->order_id + " (" + std::to_string(line->quantity) + " × " + line->sku +
                          ") is confirmed.");
  mail.AddMetadata("order-id", line->order_id);
  return wasi::messaging::producer::Send(*client, "mail.outbox", std::move(mail));
}

}  // namespace shop
