#pragma once
/// wasi:messaging/types@0.2.0-draft as revision R4 shapes it (seed 002; WIT in wit/r4/): the same
/// types as R3, whose declarations it shares.

#include <wasmq/detail/require_cpp23.hpp>

#include <wasi/messaging/r3/types.hpp>

namespace wasi::messaging::r4 {
namespace types = ::wasi::messaging::r3::types;
}  // namespace wasi::messaging::r4
