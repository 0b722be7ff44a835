#pragma once
// What Message and SharedMessage compute alike from a message's fields, whichever holds them.

#include <wasmq/message.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wasmq::detail {

/// The first entry of `metadata` (a Metadata, const or not) with `key`, or its end.
template <typename Entries>
[[nodiscard]] auto find_entry(Entries& metadata, std::string_view key) noexcept {
  return std::find_if(metadata.begin(), metadata.end(), [&](const auto& entry) { return entry.first == key; });
}

/// The value of `key` in `metadata`, if present.
[[nodiscard]] inline std::optional<std::string_view> metadata_value(const Metadata& metadata,
                                                                    std::string_view key) noexcept {
  auto found = find_entry(metadata, key);
  if (found == metadata.end()) return std::nullopt;
  return std::string_view(found->second);
}

/// What counts against the byte limits: the payload, the content type, every metadata key and value.
[[nodiscard]] inline std::size_t counted_bytes(std::size_t payload_size, const std::optional<std::string>& content_type,
                                               const Metadata& metadata) noexcept {
  std::size_t bytes = payload_size + (content_type ? content_type->size() : 0);
  for (const auto& [key, value] : metadata) bytes += key.size() + value.size();
  return bytes;
}

}  // namespace wasmq::detail
