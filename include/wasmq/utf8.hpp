#pragma once
/// UTF-8 validation: WIT `string`s, channel names and connection names are UTF-8 by definition.

#include <string_view>
#include <wasmq/detail/visibility.hpp>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

/// True when `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
/// above U+10FFFF, no truncated sequence. NUL is valid UTF-8; callers that forbid it say so.
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace wasmq

WASMQ_PUBLIC_END
