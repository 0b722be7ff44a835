// Checkout as a wasm32 guest: the native guest's source, exported with the shop's configuration.
#include "guests/checkout.hpp"
#include "guests/shop_config.hpp"

WASI_MESSAGING_EXPORT_GUEST(shop::Checkout, shop::CheckoutConfig())
