#pragma once
/// wasi:messaging/consumer@0.2.0-draft as revision R2 shapes it: a guest chooses its channels and
/// settles what it was delivered. Each function acts on the guest session current on the calling
/// thread (wasmq/host/r2_session.hpp); with none, it returns `connection`.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r2/types.hpp>

#include <expected>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::r2::consumer {

/// WIT `update-guest-configuration: func(gc: guest-configuration) -> result<_, error>`. Subscribes
/// the guest to exactly `gc.channels` (ending what it no longer names). All or nothing: a channel
/// the guest may not subscribe to is `unauthorized`; an invalid one, too many, or extensions past
/// the guest's entry or byte limits are `other`; then nothing changes.
[[nodiscard]] std::expected<void, types::Error> UpdateGuestConfiguration(const types::GuestConfiguration& gc);

/// WIT `complete-message: func(m: message) -> result<_, error>`: accepted; it leaves its channel.
/// `other` when `m` is not a message of the batch being handled, or was settled already.
[[nodiscard]] std::expected<void, types::Error> CompleteMessage(const types::Message& m);

/// WIT `abandon-message: func(m: message) -> result<_, error>`: rejected; the session's abandon
/// policy says whether it is retried (until its channel's max deliveries, then dead-lettered),
/// dead-lettered at once, or deleted. Errors as for CompleteMessage.
[[nodiscard]] std::expected<void, types::Error> AbandonMessage(const types::Message& m);

}  // namespace wasi::messaging::r2::consumer

WASMQ_PUBLIC_END
