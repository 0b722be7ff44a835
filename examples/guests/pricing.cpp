#include "pricing.hpp"

#include "shop_text.hpp"

#include <wasi/messaging/request_reply.hpp>

namespace shop {

namespace types = wasi::messaging::types;

std::expected<void, types::Error> Pricing::Handle(types::Message&& request) {
  const auto price = cents_by_sku_.find(TextOf(request));
  if (price == cents_by_sku_.end()) return {};  // not ours to answer: stay silent
  auto reply = TextMessage(std::to_string(price->second));
  reply.SetContentType("text/plain");
  return wasi::messaging::request_reply::Reply(request, std::move(reply));
}

}  // namespace shop
