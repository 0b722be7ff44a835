#pragma once

#include <wasmq/message.hpp>

#include <cstdint>
#include <memory>

namespace wasmq::detail {

/// A message as one queue holds it: the shared immutable message plus this queue's state of it.
struct Entry {
  static constexpr std::uint32_t unknown_bytes = UINT32_MAX;

  std::shared_ptr<const Message> message;
  std::uint32_t delivery_count = 0;
  /// message->size_bytes(), kept so that counting the entry in and out of a queue reads nothing
  /// of the message (metadata may be long); unknown_bytes past 4 GiB (a broker may allow that),
  /// and then computed again when needed. Fits in what would be padding.
  std::uint32_t bytes = unknown_bytes;

  [[nodiscard]] static std::uint32_t bytes_of(std::size_t size) noexcept {
    return size < unknown_bytes ? static_cast<std::uint32_t>(size) : unknown_bytes;
  }
  [[nodiscard]] std::size_t size_bytes() const noexcept {
    return bytes != unknown_bytes ? bytes : message->size_bytes();
  }
};
static_assert(sizeof(Entry) == sizeof(std::shared_ptr<const Message>) + 8, "two counts, no padding");

}  // namespace wasmq::detail
