#pragma once
// The shop's configuration of its guests, shared by the native build (the example host makes the
// objects) and the wasm32 build (each module makes its one guest from it on first delivery).

#include "checkout.hpp"
#include "packer.hpp"

#include <map>
#include <string>

namespace shop {

/// The connection name every guest connects to; the host decides what it means.
inline constexpr const char* kShopConnection = "shop";

inline std::map<std::string, long, std::less<>> PriceList() {
  return {{"sku-book", 1250}, {"sku-mug", 800}, {"sku-lamp", 4500}};
}

inline Checkout::Config CheckoutConfig() { return {.connection = kShopConnection, .quote_timeout_ms = 100}; }

inline Packer::Config PackerConfig(std::string name) {
  return {.name = std::move(name), .connection = kShopConnection};
}

}  // namespace shop
