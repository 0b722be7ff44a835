#pragma once
/// wasi:messaging/producer for wasm32 guests (see types.hpp).

#include <wasi/messaging/types.hpp>

#include <expected>
#include <string_view>

namespace wasi::messaging::producer {

/// Sends `message` to `topic`; the message is given away whatever the result.
inline std::expected<void, types::Error> Send(const types::Client& c, std::string_view topic,
                                              types::Message&& message) {
  const types::abi::LoweringScope scope;
  wm_result_void_t ret;
  wm_producer_send(c.Handle(), topic.data(), topic.size(), std::move(message).Release(), &ret);
  return types::abi::TakeResult(ret);
}

}  // namespace wasi::messaging::producer
