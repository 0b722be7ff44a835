#pragma once

#include <wasmq/shared_message.hpp>

#include <cstdint>

namespace wasmq::detail {

/// A message as one queue holds it: the shared immutable message plus this queue's state of it.
struct Entry {
  static constexpr std::uint32_t own_ttl_bit = std::uint32_t{1} << 31;
  static constexpr std::uint32_t unknown_bytes = own_ttl_bit - 1;

  SharedMessage message;
  std::uint32_t delivery_count = 0;
  /// What a queue needs of its message without reading it: the low 31 bits are
  /// message.size_bytes() (unknown_bytes from 2 GiB − 1 up, a broker may allow that, and then
  /// computed again when needed); the top bit says the message has a time to live of its own.
  /// Counting the entry in and out of a queue and checking expiry then touch none of the message's
  /// cache lines (its metadata may be long; its time to live sits on a line of its own). Fits in
  /// what would be padding.
  std::uint32_t size_and_ttl = unknown_bytes;

  [[nodiscard]] static std::uint32_t pack(std::size_t size, bool own_ttl) noexcept {
    const std::uint32_t bytes = size < unknown_bytes ? static_cast<std::uint32_t>(size) : unknown_bytes;
    return own_ttl ? bytes | own_ttl_bit : bytes;
  }
  [[nodiscard]] std::size_t size_bytes() const noexcept {
    const std::uint32_t bytes = size_and_ttl & ~own_ttl_bit;
    return bytes != unknown_bytes ? bytes : message.size_bytes();
  }
  [[nodiscard]] bool has_own_ttl() const noexcept { return (size_and_ttl & own_ttl_bit) != 0; }
};
static_assert(sizeof(Entry) == sizeof(SharedMessage) + 8, "two counts, no padding");

}  // namespace wasmq::detail
