// Pricing as a wasm32 guest: the native guest's source, exported with the shop's price list.
#include "guests/pricing.hpp"
#include "guests/shop_config.hpp"

WASI_MESSAGING_EXPORT_GUEST(shop::Pricing, shop::PriceList())
