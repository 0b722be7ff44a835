#pragma once
// The shop's message formats: plain text, one space between fields, so that traffic dumps read.

#include <wasi/messaging/types.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>

namespace shop {

/// A message whose data is `text`.
inline wasi::messaging::types::Message TextMessage(std::string_view text) {
  return wasi::messaging::types::Message(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

/// The data of `message` as text.
inline std::string TextOf(const wasi::messaging::types::Message& message) {
  const auto data = message.DataView();
  return {data.begin(), data.end()};
}

/// A whole decimal number, or nothing.
inline std::optional<long> ParseNumber(std::string_view text) {
  long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// "<order-id> <sku> <quantity>": a checkout request and a fulfilment job.
struct OrderLine {
  std::string order_id;
  std::string sku;
  long quantity = 0;

  [[nodiscard]] std::string ToText() const { return order_id + " " + sku + " " + std::to_string(quantity); }

  /// Parses "<order-id> <sku> <quantity>" (quantity ≥ 1); nothing when malformed.
  static std::optional<OrderLine> Parse(std::string_view text) {
    std::istringstream in{std::string(text)};
    OrderLine line;
    std::string quantity, rest;
    if (!(in >> line.order_id >> line.sku >> quantity) || (in >> rest)) return std::nullopt;
    const auto parsed = ParseNumber(quantity);
    if (!parsed || *parsed < 1) return std::nullopt;
    line.quantity = *parsed;
    return line;
  }
};

}  // namespace shop
