#pragma once
/// wasi:messaging/producer@0.2.0-draft.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/types.hpp>

#include <expected>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::producer {

/// WIT `send: func(c: borrow<client>, topic: topic, message: message) -> result<_, error>`.
/// Takes the message; its data reaches the broker without a copy. Errors: `connection` (client
/// disconnected, backend closed), `permission-denied` (the guest may not publish to `topic`),
/// `timeout` (a bounded queue stayed full), `other` (invalid topic, payload too large, queue full).
[[nodiscard]] std::expected<void, types::Error> Send(const types::Client& c, std::string_view topic,
                                                     types::Message&& message);

}  // namespace wasi::messaging::producer

WASMQ_PUBLIC_END
