#pragma once
/// wasi:messaging/producer@0.2.0-draft as revision R3 shapes it.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r3/types.hpp>

#include <expected>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::r3::producer {

/// WIT `send: func(c: client, m: message) -> result<_, error>`: both are taken (WIT passes them
/// owned). Sends `m` to its own topic. Errors: `connection` (client moved from, backend closed),
/// `other` (invalid topic, a topic the guest may not publish to — "permission denied: …" —, a
/// full queue, a message too large), `timeout` (a bounded queue stayed full).
[[nodiscard]] std::expected<void, types::Error> Send(types::Client&& c, types::Message&& m);

}  // namespace wasi::messaging::r3::producer

WASMQ_PUBLIC_END
