#pragma once
// Equality of two short texts without a call: a publisher that sends to one topic again and again
// compares it with the topic it routed last (RoutingTable::LastExact) on every publish, and for
// the topics people use (up to 16 bytes) two overlapping word loads per side beat memcmp's call.

#include "detail/word_load.hpp"

#include <cstddef>
#include <cstring>
#include <string_view>

namespace wasmq::detail {

[[nodiscard, gnu::always_inline]] inline bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t size = a.size();
  if (size != b.size()) return false;
  const char* const x = a.data();
  const char* const y = b.data();
  if (size > 16) return std::memcmp(x, y, size) == 0;
  if (size >= 8) return ((load64(x) ^ load64(y)) | (load64(x + size - 8) ^ load64(y + size - 8))) == 0;
  if (size >= 4) return ((load32(x) ^ load32(y)) | (load32(x + size - 4) ^ load32(y + size - 4))) == 0;
  if (size == 0) return true;
  // One to three bytes: the first, the middle and the last cover them all.
  return x[0] == y[0] && x[size / 2] == y[size / 2] && x[size - 1] == y[size - 1];
}

}  // namespace wasmq::detail
