#pragma once
// The shop's message formats: plain text, one space between fields, so that traffic dumps read.

#include <wasi/messaging/types.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shop {

/// A message whose data is `text`.
inline wasi::messaging::types::Message TextMessage(std::string_view text) {
  return wasi::messaging::types::Message(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

/// The data of `message` as text.
inline std::string TextOf(const wasi::messaging::types::Message& message) {
  const auto data = message.Data();
  return {data.begin(), data.end()};
}

/// A whole decimal number, or nothing.
inline std::optional<long> ParseNumber(std::string_view text) {
  long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// The words of `text`, split at spaces (no streams: the guests also build for wasm32).
inline std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const auto start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    const auto end = std::min(text.find(' '), text.size());
    words.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return words;
}

/// "<order-id> <sku> <quantity>": a checkout request and a fulfilment job.
struct OrderLine {
  std::string order_id;
  std::string sku;
  long quantity = 0;

  [[nodiscard]] std::string ToText() const { return order_id + " " + sku + " " + std::to_string(quantity); }

  /// Parses "<order-id> <sku> <quantity>" (quantity ≥ 1); nothing when malformed.
  static std::optional<OrderLine> Parse(std::string_view text) {
    const auto fields = Words(text);
    if (fields.size() != 3) return std::nullopt;
    const auto quantity = ParseNumber(fields[2]);
    if (!quantity || *quantity < 1) return std::nullopt;
    return OrderLine{std::string(fields[0]), std::string(fields[1]), *quantity};
  }
};

}  // namespace shop
