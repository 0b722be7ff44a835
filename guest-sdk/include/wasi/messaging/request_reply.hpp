#pragma once
/// wasi:messaging/request-reply for wasm32 guests (see types.hpp).

#include <wasi/messaging/types.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace wasi::messaging::request_reply {

class RequestOptions {
 public:
  RequestOptions() : handle_(wm_request_options_new()) {}
  RequestOptions(RequestOptions&& other) noexcept : handle_(std::exchange(other.handle_, 0)) {}
  RequestOptions& operator=(RequestOptions&& other) noexcept {
    if (this != &other) {
      Drop();
      handle_ = std::exchange(other.handle_, 0);
    }
    return *this;
  }
  RequestOptions(const RequestOptions&) = delete;
  RequestOptions& operator=(const RequestOptions&) = delete;
  ~RequestOptions() { Drop(); }

  void SetTimeoutMs(std::uint32_t timeout_ms) { wm_request_options_set_timeout_ms(handle_, timeout_ms); }
  void SetExpectedReplies(std::uint32_t expected_replies) {
    wm_request_options_set_expected_replies(handle_, expected_replies);
  }

  /// ABI plumbing: give the own<request-options> handle away.
  wm_handle_t Release() && { return std::exchange(handle_, 0); }

 private:
  void Drop() {
    if (handle_ != 0) wm_request_options_drop(std::exchange(handle_, 0));
  }
  wm_handle_t handle_ = 0;
};

/// Sends `message` as a request to `topic` and returns the replies (see the WIT for when).
inline std::expected<std::vector<types::Message>, types::Error> Request(const types::Client& c, std::string_view topic,
                                                                        const types::Message& message,
                                                                        std::optional<RequestOptions>&& options) {
  const bool has_options = options.has_value();
  const wm_handle_t options_handle = has_options ? std::move(*options).Release() : 0;
  options.reset();
  const types::abi::LoweringScope scope;
  wm_result_messages_t ret;
  wm_request(c.Handle(), topic.data(), topic.size(), message.Handle(), has_options ? 1 : 0, options_handle, &ret);
  if (ret.is_err) return std::unexpected(types::abi::TakeError(ret.val.err));
  std::vector<types::Message> replies;
  replies.reserve(ret.val.ok.len);
  for (std::size_t i = 0; i < ret.val.ok.len; ++i) replies.push_back(types::Message::FromHandle(ret.val.ok.ptr[i]));
  types::abi::Release(ret.val.ok.ptr);
  return replies;
}

/// Replies to the request `reply_to`; `message` is given away whatever the result.
inline std::expected<void, types::Error> Reply(const types::Message& reply_to, types::Message&& message) {
  const types::abi::LoweringScope scope;
  wm_result_void_t ret;
  wm_reply(reply_to.Handle(), std::move(message).Release(), &ret);
  return types::abi::TakeResult(ret);
}

}  // namespace wasi::messaging::request_reply
