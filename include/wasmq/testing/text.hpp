#pragma once
/// Text in and out of facade messages, for tests that speak in strings.

#include <wasi/messaging/types.hpp>
#include <wasmq/detail/visibility.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq::testkit {

/// The data of `message` as text.
inline std::string text_of(const wasi::messaging::types::Message& message) {
  auto data = message.DataView();
  return {data.begin(), data.end()};
}

/// A message whose data is `text`.
inline wasi::messaging::types::Message message_of(std::string_view text) {
  return wasi::messaging::types::Message(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace wasmq::testkit

WASMQ_PUBLIC_END
