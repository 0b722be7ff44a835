#pragma once
// Unaligned loads of a 4- or 8-byte word from text, in the machine's byte order (memcpy compiles
// to one move). For the checks and comparisons that read a short name a word at a time.

#include <cstdint>
#include <cstring>

namespace wasmq::detail {

[[nodiscard]] inline std::uint64_t load64(const char* at) noexcept {
  std::uint64_t word;
  std::memcpy(&word, at, sizeof word);
  return word;
}

[[nodiscard]] inline std::uint32_t load32(const char* at) noexcept {
  std::uint32_t word;
  std::memcpy(&word, at, sizeof word);
  return word;
}

}  // namespace wasmq::detail
