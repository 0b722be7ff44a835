#include "packer.hpp"

#include "shop_text.hpp"

#include <wasi/messaging/producer.hpp>

namespace shop {

namespace types = wasi::messaging::types;

std::expected<void, types::Error> Packer::Handle(types::Message&& job) {
  const auto line = OrderLine::Parse(TextOf(job));
  if (!line) return std::unexpected(types::Error::PermissionDenied("malformed job: '" + TextOf(job) + "'"));
  if (line->quantity > config_.biggest_box) {
    return std::unexpected(types::Error::Other("no box fits " + std::to_string(line->quantity) + " × " + line->sku));
  }
  auto client = types::Client::Connect(config_.connection);
  if (!client) return std::unexpected(client.error());
  auto packed = TextMessage(line->ToText());
  packed.AddMetadata("order-id", line->order_id);
  packed.AddMetadata("packer", config_.name);
  if (auto sent = wasi::messaging::producer::Send(*client, "orders.packed", std::move(packed)); !sent) return sent;
  packed_.fetch_add(1, std::memory_order_relaxed);
  return {};
}

}  // namespace shop
