#pragma once
/// Channel names and subscription patterns, NATS style: tokens separated by '.', with `*`
/// matching one token and `>` (last token only) matching one or more tokens.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/error.hpp>

#include <cstddef>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

/// Longest accepted name or pattern, in bytes.
inline constexpr std::size_t max_name_length = 256;

/// Checks a name that messages are published to or a queue is declared with: valid UTF-8,
/// non-empty tokens, no spaces or control characters, no wildcards. Errors: invalid_name,
/// wildcard_in_name.
[[nodiscard]] Result<void> validate_name(std::string_view name);
/// True when validate_name(name) succeeds, without making an error to say why not: for a check
/// on every message, with validate_name called for the reason only when this says no.
[[nodiscard]] bool is_valid_name(std::string_view name);

/// Checks a subscription pattern: like a name, but a token may be exactly `*`, and the last
/// token may be exactly `>`. Errors: invalid_name, invalid_pattern.
[[nodiscard]] Result<void> validate_pattern(std::string_view pattern);

/// True when `pattern` has a `*` or `>` token.
bool has_wildcard(std::string_view pattern) noexcept;

/// True when the valid `name` matches the valid `pattern`.
bool matches(std::string_view pattern, std::string_view name) noexcept;

/// True when every name that valid pattern `inner` matches is matched by valid pattern `outer`
/// too (`orders.>` covers `orders.*` and `orders.eu.new`; `orders.*` does not cover `orders.>`).
bool covers(std::string_view outer, std::string_view inner) noexcept;

}  // namespace wasmq

WASMQ_PUBLIC_END
