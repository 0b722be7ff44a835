#pragma once
// The common case of a valid name, inline and eight bytes at a time: tokens of printable ASCII
// without wildcard characters, none empty. Such text is a valid name and a valid pattern; anything
// else takes the full check (validate_name), which also explains what is wrong. Every publish
// checks its topic, so this is on the hot path; a "false" here only costs the slow check.

#include "detail/word_load.hpp"

#include <wasmq/name.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wasmq::detail {

namespace plain_name_words {

inline constexpr std::uint64_t ones = 0x0101010101010101ULL;
inline constexpr std::uint64_t highs = ones * 0x80;
inline constexpr std::uint64_t low7 = ones * 0x7f;
inline constexpr std::uint64_t filler = ones * 'a';  // stands in for absent bytes: allowed, not a dot

// The high bit of each byte of `word` that is zero, and of no other (exact per byte, unlike the
// shorter "has a zero byte" test, whose borrows can mark the byte above a zero).
[[nodiscard]] constexpr std::uint64_t zero_bytes(std::uint64_t word) noexcept {
  return ~(((word & low7) + low7) | word | low7);
}

// Nonzero when some byte is not allowed in a plain name: below `!` (space, controls), above `~`
// (DEL, non-ASCII), `*` or `>`. Only "any" is needed here, so the shorter tests serve.
[[nodiscard]] constexpr std::uint64_t bad_bytes(std::uint64_t word) noexcept {
  const std::uint64_t below = (word - ones * 0x21) & ~word & highs;
  const std::uint64_t above = ((word + ones) | word) & highs;
  const std::uint64_t star = word ^ (ones * '*');
  const std::uint64_t greater = word ^ (ones * '>');
  return below | above | ((star - ones) & ~star & highs) | ((greater - ones) & ~greater & highs);
}

[[nodiscard]] constexpr std::uint64_t dots(std::uint64_t word) noexcept { return zero_bytes(word ^ (ones * '.')); }

// A dot right after a dot, within the word (the high bit of the second one's byte).
[[nodiscard]] constexpr std::uint64_t adjacent(std::uint64_t dot_bits) noexcept { return dot_bits & (dot_bits << 8); }

}  // namespace plain_name_words

// Words are read little-endian (byte i of the text is byte i of the word); a big-endian build
// takes the byte loop instead.
[[nodiscard, gnu::always_inline]] inline bool plain_name(std::string_view text) noexcept {
  using namespace plain_name_words;
  const std::size_t size = text.size();
  if (size == 0 || size > max_name_length) return false;
  if (text.front() == '.' || text.back() == '.') return false;  // an empty first or last token
  const char* const bytes = text.data();
  if constexpr (std::endian::native != std::endian::little) {
    char previous = '.';
    for (const char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x21 || u > 0x7e || c == '*' || c == '>' || (c == '.' && previous == '.')) return false;
      previous = c;
    }
    return true;
  }
  std::uint64_t wrong = 0;  // any bit set: not a plain name
  if (size >= 8) {
    std::uint64_t carried = 0;  // the previous word's last byte was a dot (in byte 0's high bit)
    std::size_t at = 0;
    for (; at + 8 <= size; at += 8) {
      const std::uint64_t word = load64(bytes + at);
      const std::uint64_t dot_bits = dots(word);
      wrong |= bad_bytes(word) | adjacent(dot_bits) | (dot_bits & carried);
      carried = dot_bits >> 56;
    }
    if (at < size) {
      // The last eight bytes, overlapping the word before: every pair of neighbours not yet seen
      // lies inside it.
      const std::uint64_t word = load64(bytes + size - 8);
      wrong |= bad_bytes(word) | adjacent(dots(word));
    }
  } else if (size >= 4) {
    // The first four and the last four bytes (overlapping when fewer than eight). Bytes 3 and 4 of
    // the word are neighbours in the text only when it has eight, so that pair is not checked;
    // every real pair lies inside one of the halves.
    const std::uint64_t word = load32(bytes) | (std::uint64_t{load32(bytes + size - 4)} << 32);
    wrong = bad_bytes(word) | (adjacent(dots(word)) & ~(std::uint64_t{0x80} << 32));
  } else {
    // One to three bytes: first, middle and last. With the first and last not dots, no two dots
    // can be neighbours, so only the bytes themselves are checked.
    const std::uint64_t word = (filler & ~std::uint64_t{0xffffff}) | static_cast<unsigned char>(bytes[0]) |
                               (std::uint64_t{static_cast<unsigned char>(bytes[size / 2])} << 8) |
                               (std::uint64_t{static_cast<unsigned char>(bytes[size - 1])} << 16);
    wrong = bad_bytes(word);
  }
  return wrong == 0;
}

}  // namespace wasmq::detail
