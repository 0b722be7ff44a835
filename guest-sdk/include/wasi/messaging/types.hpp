#pragma once
/// wasi:messaging/types for wasm32 guests: the same classes, names and signatures as wasmq's
/// native facade (include/wasi/messaging/types.hpp), implemented on the canonical-ABI imports of
/// abi.h, so that a guest written against the facade compiles unchanged to wasm32-wasi.
/// Header-only; builds with -fno-exceptions -fno-rtti. Only the WIT's functions are here: the
/// native facade's conveniences for host code (DataView, TopicView, ...) are not.

#include <wasi/messaging/abi.h>
#include <wasi/messaging/detail/value_types.hpp>  // Metadata, Topic, Error: shared with the native facade

#include <cstdint>
#include <cstdlib>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace wasi::messaging::types {

/// Lifting what the host lowered: the guest owns (and frees) every string and list it gets.
namespace abi {
inline std::string TakeString(const wm_bytes_t& bytes) {
  std::string text(reinterpret_cast<const char*>(bytes.ptr), bytes.len);
  std::free(bytes.ptr);
  return text;
}
inline std::optional<std::string> TakeOption(const wm_option_bytes_t& option) {
  if (!option.is_some) return std::nullopt;
  return TakeString(option.val);
}
inline Error TakeError(const wm_error_t& raw) {
  switch (raw.tag) {
    case WM_ERROR_TIMEOUT: return Error::Timeout();
    case WM_ERROR_CONNECTION: return Error::Connection(TakeString(raw.text));
    case WM_ERROR_PERMISSION_DENIED: return Error::PermissionDenied(TakeString(raw.text));
    default: return Error::Other(TakeString(raw.text));
  }
}
inline std::expected<void, Error> TakeResult(const wm_result_void_t& result) {
  if (result.is_err) return std::unexpected(TakeError(result.err));
  return {};
}
}  // namespace abi

class Message {
 public:
  explicit Message(std::span<const std::uint8_t> data) : handle_(wm_message_new(data.data(), data.size())) {}
  Message(Message&& other) noexcept : handle_(std::exchange(other.handle_, 0)) {}
  Message& operator=(Message&& other) noexcept {
    if (this != &other) {
      Drop();
      handle_ = std::exchange(other.handle_, 0);
    }
    return *this;
  }
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
  ~Message() { Drop(); }

  [[nodiscard]] std::optional<types::Topic> Topic() const {
    wm_option_bytes_t ret;
    wm_message_topic(handle_, &ret);
    return abi::TakeOption(ret);
  }
  [[nodiscard]] std::optional<std::string> ContentType() const {
    wm_option_bytes_t ret;
    wm_message_content_type(handle_, &ret);
    return abi::TakeOption(ret);
  }
  void SetContentType(std::string_view content_type) {
    wm_message_set_content_type(handle_, content_type.data(), content_type.size());
  }
  [[nodiscard]] std::vector<std::uint8_t> Data() const {
    wm_bytes_t ret;
    wm_message_data(handle_, &ret);
    std::vector<std::uint8_t> data(ret.ptr, ret.ptr + ret.len);
    std::free(ret.ptr);
    return data;
  }
  void SetData(std::span<const std::uint8_t> data) { wm_message_set_data(handle_, data.data(), data.size()); }
  [[nodiscard]] std::optional<types::Metadata> Metadata() const {
    wm_option_metadata_t ret;
    wm_message_metadata(handle_, &ret);
    if (!ret.is_some) return std::nullopt;
    types::Metadata metadata;
    metadata.reserve(ret.val.len);
    for (std::size_t i = 0; i < ret.val.len; ++i) {
      metadata.emplace_back(abi::TakeString(ret.val.ptr[i].key), abi::TakeString(ret.val.ptr[i].value));
    }
    std::free(ret.val.ptr);
    return metadata;
  }
  void AddMetadata(std::string_view key, std::string_view value) {
    wm_message_add_metadata(handle_, key.data(), key.size(), value.data(), value.size());
  }
  void SetMetadata(std::span<const std::tuple<std::string, std::string>> meta) {
    std::vector<wm_metadata_entry_t> entries;
    entries.reserve(meta.size());
    for (const auto& [key, value] : meta) {
      entries.push_back({{reinterpret_cast<std::uint8_t*>(const_cast<char*>(key.data())), key.size()},
                         {reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), value.size()}});
    }
    wm_message_set_metadata(handle_, entries.data(), entries.size());
  }
  void RemoveMetadata(std::string_view key) { wm_message_remove_metadata(handle_, key.data(), key.size()); }

  /// ABI plumbing, not facade: adopt an own<message> handle, or give one away.
  static Message FromHandle(wm_handle_t handle) { return Message(handle); }
  [[nodiscard]] wm_handle_t Handle() const noexcept { return handle_; }
  wm_handle_t Release() && { return std::exchange(handle_, 0); }

 private:
  explicit Message(wm_handle_t handle) : handle_(handle) {}
  void Drop() {
    if (handle_ != 0) wm_message_drop(std::exchange(handle_, 0));
  }
  wm_handle_t handle_ = 0;
};

class Client {
 public:
  Client(Client&& other) noexcept : handle_(std::exchange(other.handle_, 0)) {}
  Client& operator=(Client&& other) noexcept {
    if (this != &other) {
      Drop();
      handle_ = std::exchange(other.handle_, 0);
    }
    return *this;
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() { Drop(); }

  static std::expected<Client, Error> Connect(std::string_view name) {
    wm_result_handle_t ret;
    wm_client_connect(name.data(), name.size(), &ret);
    if (ret.is_err) return std::unexpected(abi::TakeError(ret.val.err));
    return Client(ret.val.ok);
  }
  std::expected<void, Error> Disconnect() {
    wm_result_void_t ret;
    wm_client_disconnect(handle_, &ret);
    return abi::TakeResult(ret);
  }

  /// ABI plumbing: the borrow<client> handle.
  [[nodiscard]] wm_handle_t Handle() const noexcept { return handle_; }

 private:
  explicit Client(wm_handle_t handle) : handle_(handle) {}
  void Drop() {
    if (handle_ != 0) wm_client_drop(std::exchange(handle_, 0));
  }
  wm_handle_t handle_ = 0;
};

}  // namespace wasi::messaging::types
