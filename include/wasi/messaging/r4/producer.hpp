#pragma once
/// wasi:messaging/producer@0.2.0-draft as revision R4 shapes it: R3's, unchanged.

#include <wasmq/detail/require_cpp23.hpp>

#include <wasi/messaging/r3/producer.hpp>
#include <wasi/messaging/r4/types.hpp>

namespace wasi::messaging::r4::producer {
using ::wasi::messaging::r3::producer::Send;
}  // namespace wasi::messaging::r4::producer
