#pragma once
/// Reply inboxes: where the replies to a request go. Every reply address is made by the host, per
/// request, as `_INBOX.<backend>.<token>` with 128 random bits in the token. Names under `_INBOX`
/// belong to the host: no guest may publish or subscribe there, whatever its permissions say; the
/// only way into an inbox is request_reply::Reply to a request the guest was delivered.

#include <string>
#include <string_view>
#include <wasmq/detail/visibility.hpp>

WASMQ_PUBLIC_BEGIN

namespace wasmq::host {

/// The first token of every reply address.
inline constexpr std::string_view kInboxToken = "_INBOX";

/// True when the name or pattern lies under the inbox prefix (its first token is `_INBOX`).
[[nodiscard]] bool IsUnderInbox(std::string_view name_or_pattern) noexcept;

/// A fresh reply token: 128 bits from the operating system's random source (getrandom), as 32
/// lowercase hex digits. Thread-safe; no lock (each thread draws from a buffer of its own).
[[nodiscard]] std::string NewReplyToken();

}  // namespace wasmq::host

WASMQ_PUBLIC_END
