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
#include <cstring>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace wasi::messaging::types {

/// Lifting what the host lowered. During an import call (a LoweringScope), the SDK's cabi_realloc
/// (incoming_handler.hpp) places each string and list the host lowers in a static scratch buffer
/// when it fits, and on the heap when it does not; the SDK copies every result out before the
/// call returns to the guest's code, so each import starts the scratch afresh. A small result
/// then costs no malloc and no free. Guests are single-threaded: plain globals.
namespace abi {
struct Scratch {
  static constexpr std::size_t kBytes = 4096;
  alignas(16) std::uint8_t bytes[kBytes];
  std::size_t used = 0;
  bool open = false;
  std::uint32_t heap_lowerings = 0;  ///< results the host lowered to the heap (too large, or no scope open)
};
inline Scratch scratch;

[[nodiscard]] inline bool InScratch(const void* pointer) noexcept {
  const auto address = reinterpret_cast<std::uintptr_t>(pointer);
  const auto start = reinterpret_cast<std::uintptr_t>(scratch.bytes);
  return address >= start && address < start + Scratch::kBytes;
}

/// Opens the scratch for one import call and what lifts its results. A scope inside an open one
/// (none of the SDK's calls nest, but a guest's own code might) keeps using it without resetting.
class LoweringScope {
 public:
  LoweringScope() noexcept : outermost_(!scratch.open) {
    if (outermost_) {
      scratch.used = 0;
      scratch.open = true;
    }
  }
  ~LoweringScope() {
    if (outermost_) scratch.open = false;
  }
  LoweringScope(const LoweringScope&) = delete;
  LoweringScope& operator=(const LoweringScope&) = delete;

 private:
  bool outermost_;
};

/// cabi_realloc's body: the scratch while a LoweringScope is open and the result fits, else the
/// heap. A scratch block is never freed (the next scope reuses it); one the host grows moves to
/// the heap.
inline void* Reallocate(void* pointer, std::size_t old_size, std::size_t align, std::size_t size) noexcept {
  if (size == 0) return reinterpret_cast<void*>(align);
  if (pointer == nullptr) {
    if (scratch.open) {
      const std::size_t mask = (align == 0 ? 1 : align) - 1;
      const std::size_t start = (scratch.used + mask) & ~mask;
      if (start <= Scratch::kBytes && size <= Scratch::kBytes - start) {
        scratch.used = start + size;
        return scratch.bytes + start;
      }
    }
    ++scratch.heap_lowerings;
  }
  if (InScratch(pointer)) {
    void* moved = std::malloc(size);
    if (moved == nullptr) __builtin_trap();
    std::memcpy(moved, pointer, old_size < size ? old_size : size);
    return moved;
  }
  void* moved = std::realloc(pointer, size);
  if (moved == nullptr) __builtin_trap();
  return moved;
}

/// Frees what the host lowered, unless it is in the scratch.
inline void Release(void* pointer) noexcept {
  if (!InScratch(pointer)) std::free(pointer);
}

/// How many results the host has lowered to the heap since the guest started (diagnostics).
[[nodiscard]] inline std::uint32_t HeapLowerings() noexcept { return scratch.heap_lowerings; }

inline std::string TakeString(const wm_bytes_t& bytes) {
  std::string text(reinterpret_cast<const char*>(bytes.ptr), bytes.len);
  Release(bytes.ptr);
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
    const abi::LoweringScope scope;
    wm_option_bytes_t ret;
    wm_message_topic(handle_, &ret);
    return abi::TakeOption(ret);
  }
  [[nodiscard]] std::optional<std::string> ContentType() const {
    const abi::LoweringScope scope;
    wm_option_bytes_t ret;
    wm_message_content_type(handle_, &ret);
    return abi::TakeOption(ret);
  }
  void SetContentType(std::string_view content_type) {
    wm_message_set_content_type(handle_, content_type.data(), content_type.size());
  }
  [[nodiscard]] std::vector<std::uint8_t> Data() const {
    const abi::LoweringScope scope;
    wm_bytes_t ret;
    wm_message_data(handle_, &ret);
    std::vector<std::uint8_t> data(ret.ptr, ret.ptr + ret.len);
    abi::Release(ret.ptr);
    return data;
  }
  void SetData(std::span<const std::uint8_t> data) { wm_message_set_data(handle_, data.data(), data.size()); }
  [[nodiscard]] std::optional<types::Metadata> Metadata() const {
    const abi::LoweringScope scope;
    wm_option_metadata_t ret;
    wm_message_metadata(handle_, &ret);
    if (!ret.is_some) return std::nullopt;
    types::Metadata metadata;
    metadata.reserve(ret.val.len);
    for (std::size_t i = 0; i < ret.val.len; ++i) {
      metadata.emplace_back(abi::TakeString(ret.val.ptr[i].key), abi::TakeString(ret.val.ptr[i].value));
    }
    abi::Release(ret.val.ptr);
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
    const abi::LoweringScope scope;
    wm_result_handle_t ret;
    wm_client_connect(name.data(), name.size(), &ret);
    if (ret.is_err) return std::unexpected(abi::TakeError(ret.val.err));
    return Client(ret.val.ok);
  }
  std::expected<void, Error> Disconnect() {
    const abi::LoweringScope scope;
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
