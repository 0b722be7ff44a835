#pragma once
/// wasi:messaging/producer@0.2.0-draft as revision R2 shapes it.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r2/types.hpp>

#include <expected>
#include <span>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::r2::producer {

/// WIT `send: func(c: client, ch: channel, m: list<message>) -> result<_, error>`. Takes the
/// client (WIT passes it owned). A non-empty `ch` overrides each message's topic. Every message is
/// checked before any is sent: its topic (and a `reply-to` it names) must be a valid name the
/// guest may publish to (`unauthorized` otherwise), and it must be within the guest's limits
/// (`other`). Then they are sent in order; the first that fails stops the rest and its error is
/// returned. A delivery id in a message's metadata is not sent on.
[[nodiscard]] std::expected<void, types::Error> Send(types::Client&& c, std::string_view ch,
                                                     std::span<const types::Message> m);

}  // namespace wasi::messaging::r2::producer

WASMQ_PUBLIC_END
