// The ledger as a wasm32 guest: the native guest's source, connected to the shop.
#include "guests/ledger.hpp"
#include "guests/shop_config.hpp"

WASI_MESSAGING_EXPORT_GUEST(shop::Ledger, shop::kShopConnection)
