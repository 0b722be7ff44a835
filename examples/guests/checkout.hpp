#pragma once
// Checkout: turns checkout requests into priced orders and fulfilment jobs.

#include <wasi/messaging/incoming_handler.hpp>

#include <cstdint>
#include <string>

namespace shop {

/// Handles checkouts ("<order-id> <sku> <quantity>", see OrderLine). For each it asks pricing
/// for the unit price (request to `pricing.quote`, with a timeout), then
/// - publishes `orders.created` ("<order-id> <sku> <quantity> <total-cents>", metadata
///   `order-id` and `total-cents`) and sends the job to the `fulfilment.jobs` queue;
/// - or, when no quote arrives in time, publishes `orders.failed` (metadata `order-id`, `reason`)
///   and is done with it: retrying a checkout whose price is unknown would not help.
/// A malformed checkout is refused with `permission-denied`, which a host settles by rejecting it
/// (dead letter); a failed send is returned as it is, so that the host retries the checkout.
class Checkout final : public wasi::messaging::incoming_handler::Guest {
 public:
  struct Config {
    std::string connection = "inproc";
    std::uint32_t quote_timeout_ms = 100;
  };
  explicit Checkout(Config config) : config_(std::move(config)) {}

  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&& checkout) override;

 private:
  const Config config_;
};

}  // namespace shop
