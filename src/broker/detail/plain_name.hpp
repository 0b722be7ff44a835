#pragma once
// The common case of a valid name in one pass, inline: tokens of printable ASCII without wildcard
// characters, none empty. Such text is a valid name and a valid pattern; anything else takes the
// full check (validate_name), which also explains what is wrong. Every publish checks its topic.

#include <wasmq/name.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wasmq::detail {

// What each byte can be in a plain name: 0 not allowed (space, control, non-ASCII, `*`, `>`),
// 1 the token separator `.`, 2 part of a token.
inline constexpr auto plain_name_bytes = [] {
  std::array<std::uint8_t, 256> kinds{};
  for (std::size_t byte = 0x21; byte < 0x7f; ++byte) kinds[byte] = 2;
  kinds[static_cast<unsigned char>('.')] = 1;
  kinds[static_cast<unsigned char>('*')] = 0;
  kinds[static_cast<unsigned char>('>')] = 0;
  return kinds;
}();

// Branch-free per byte (a table load and a few flags): topics are short and checked on every
// publish, where a branch per byte and per kind cost more than the table.
[[nodiscard]] inline bool plain_name(std::string_view text) noexcept {
  if (text.empty() || text.size() > max_name_length) return false;
  bool valid = true;
  bool after_dot = true;  // the start counts as a separator: a leading `.` is an empty token
  for (const char c : text) {
    const std::uint8_t kind = plain_name_bytes[static_cast<unsigned char>(c)];
    const unsigned dot = kind == 1 ? 1U : 0U;
    // No bad byte, no empty token. Bitwise, not && and ||: those are branches.
    valid &= (kind != 0) & ((dot & static_cast<unsigned>(after_dot)) == 0);
    after_dot = dot != 0;
  }
  return valid && !after_dot;  // no trailing `.`
}

}  // namespace wasmq::detail
