#pragma once
// The common case of a valid name in one pass, inline: tokens of printable ASCII without wildcard
// characters, none empty. Such text is a valid name and a valid pattern; anything else takes the
// full check (validate_name), which also explains what is wrong. Every publish checks its topic.

#include <wasmq/name.hpp>

#include <string_view>

namespace wasmq::detail {

[[nodiscard]] inline bool plain_name(std::string_view text) noexcept {
  if (text.empty() || text.size() > max_name_length) return false;
  bool token_empty = true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '.') {
      if (token_empty) return false;
      token_empty = true;
    } else if (byte <= 0x20 || byte >= 0x7f || byte == '*' || byte == '>') {
      return false;
    } else {
      token_empty = false;
    }
  }
  return !token_empty;
}

}  // namespace wasmq::detail
