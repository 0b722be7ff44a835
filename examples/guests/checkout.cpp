#include "checkout.hpp"

#include "shop_text.hpp"

#include <wasi/messaging/producer.hpp>
#include <wasi/messaging/request_reply.hpp>

namespace shop {

namespace types = wasi::messaging::types;
using wasi::messaging::producer::Send;
using wasi::messaging::request_reply::Request;
using wasi::messaging::request_reply::RequestOptions;

std::expected<void, types::Error> Checkout::Handle(types::Message&& checkout) {
  const auto line = OrderLine::Parse(TextOf(checkout));
  if (!line) return std::unexpected(types::Error::PermissionDenied("malformed checkout: '" + TextOf(checkout) + "'"));

  auto client = types::Client::Connect(config_.connection);
  if (!client) return std::unexpected(client.error());

  RequestOptions options;
  options.SetTimeoutMs(config_.quote_timeout_ms);
  options.SetExpectedReplies(1);  // the first quote will do: do not wait out the timeout for more
  auto quote = Request(*client, "pricing.quote", TextMessage(line->sku), std::move(options));
  if (!quote) {
    if (quote.error().GetKind() != types::Error::Kind::kTimeout &&
        quote.error().GetKind() != types::Error::Kind::kOther) {
      return std::unexpected(quote.error());  // connection or permission trouble: let the host retry
    }
    auto failed = TextMessage(line->ToText());
    failed.AddMetadata("order-id", line->order_id);
    failed.AddMetadata("reason",
                       quote.error().GetKind() == types::Error::Kind::kTimeout
                           ? "no price for " + line->sku + " within " + std::to_string(config_.quote_timeout_ms) + " ms"
                           : quote.error().Message());
    return Send(*client, "orders.failed", std::move(failed));
  }

  const auto unit_cents = ParseNumber(TextOf(quote->front()));
  if (!unit_cents) return std::unexpected(types::Error::Other("pricing replied '" + TextOf(quote->front()) + "'"));
  const std::string total = std::to_string(*unit_cents * line->quantity);
  auto created = TextMessage(line->ToText() + " " + total);
  created.AddMetadata("order-id", line->order_id);
  created.AddMetadata("total-cents", total);
  if (auto sent = Send(*client, "orders.created", std::move(created)); !sent) return sent;
  return Send(*client, "fulfilment.jobs", TextMessage(line->ToText()));
}

}  // namespace shop
