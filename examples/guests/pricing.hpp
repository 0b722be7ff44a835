#pragma once
// Pricing: answers price quotes (request-reply).

#include <wasi/messaging/incoming_handler.hpp>

#include <map>
#include <string>

namespace shop {

/// Serves `pricing.quote`: the request's data is a SKU; the one reply is its unit price in cents.
/// A SKU not on the price list gets no reply at all, so the caller's timeout decides — as a
/// service that is down or slow would behave.
class Pricing final : public wasi::messaging::incoming_handler::Guest {
 public:
  explicit Pricing(std::map<std::string, long, std::less<>> cents_by_sku) : cents_by_sku_(std::move(cents_by_sku)) {}

  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&& request) override;

 private:
  const std::map<std::string, long, std::less<>> cents_by_sku_;
};

}  // namespace shop
