#include <wasmq/utf8.hpp>

#include <cstdint>
#include <cstring>

namespace wasmq {

namespace {

template <class Word>
Word load(const std::uint8_t* bytes) noexcept {
  Word word = 0;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

/// True when every byte is below 0x80. Names, content types and most header values are ASCII, and
/// are then decided by a few word loads instead of a branch per byte: a word's high bits are OR-ed
/// together, and the last word is loaded overlapping the one before it so that no byte loop is
/// left for the tail. Short texts (most topics) take one or two loads.
bool is_ascii(const std::uint8_t* bytes, std::size_t size) noexcept {
  if (size >= 8) {
    auto seen = load<std::uint64_t>(bytes + size - 8);
    for (std::size_t i = 0; i + 8 <= size; i += 8) seen |= load<std::uint64_t>(bytes + i);
    return (seen & 0x8080808080808080ULL) == 0;
  }
  if (size >= 4) return ((load<std::uint32_t>(bytes) | load<std::uint32_t>(bytes + size - 4)) & 0x80808080U) == 0;
  unsigned seen = 0;
  for (std::size_t i = 0; i < size; ++i) seen |= bytes[i];
  return seen < 0x80;
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t size = text.size();
  if (is_ascii(bytes, size)) return true;
  std::size_t i = 0;
  while (i < size) {
    const std::uint8_t lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // The ranges of the second byte follow RFC 3629's table: they exclude overlong forms
    // (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..).
    std::size_t length = 0;
    std::uint8_t low = 0x80;
    std::uint8_t high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;  // a continuation byte, C0/C1 (always overlong), or F5..FF
    }
    if (size - i < length) return false;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

}  // namespace wasmq
