// The mailer as a wasm32 guest: the native guest's source, connected to the shop.
#include "guests/mailer.hpp"
#include "guests/shop_config.hpp"

WASI_MESSAGING_EXPORT_GUEST(shop::Mailer, shop::kShopConnection)
