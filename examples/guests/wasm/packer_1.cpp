// The first packer as a wasm32 guest: the native guest's source, exported by the name it signs with.
#include "guests/packer.hpp"
#include "guests/shop_config.hpp"

WASI_MESSAGING_EXPORT_GUEST(shop::Packer, shop::PackerConfig("packer-1"))
