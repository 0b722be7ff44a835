#pragma once
/// wasi:messaging/incoming-handler for wasm32 guests (see types.hpp), and the macro that exports
/// one guest object as the world's `handle`:
///
///     WASI_MESSAGING_EXPORT_GUEST(shop::Packer, shop::Packer::Config{.name = "packer-1"})
///
/// makes `static shop::Packer guest{<the arguments>}` on the first delivery and hands it every
/// message. One guest per module.

#include <wasi/messaging/types.hpp>

#include <cstdlib>
#include <expected>
#include <string>

namespace wasi::messaging::incoming_handler {

class Guest {
 public:
  virtual ~Guest() = default;
  virtual std::expected<void, types::Error> Handle(types::Message&& message) = 0;
};

namespace abi {
/// The export's return area, and the error text it points to until post-return.
inline wm_result_void_t handle_result;
inline std::string handle_error;

inline wm_result_void_t* CallHandle(Guest& guest, wm_handle_t message) {
  auto result = guest.Handle(types::Message::FromHandle(message));
  handle_result = {};
  if (result) return &handle_result;
  handle_error = result.error().Message();
  handle_result.is_err = 1;
  handle_result.err.tag = static_cast<std::uint8_t>(result.error().GetKind());
  handle_result.err.text.ptr = reinterpret_cast<std::uint8_t*>(handle_error.data());
  handle_result.err.text.len = handle_error.size();
  return &handle_result;
}
inline void PostHandle() { std::string().swap(handle_error); }
}  // namespace abi

}  // namespace wasi::messaging::incoming_handler

/// Exports the guest, cabi_realloc and the post-return function. Also replaces libc++'s verbose
/// abort, a pure virtual call and a failed operator new with a plain trap: their default paths
/// print through wasi_snapshot_preview1, and a messaging guest imports nothing but
/// wasi:messaging unless it asks for WASI.
#define WASI_MESSAGING_EXPORT_GUEST(GuestType, ...)                                                                   \
  _LIBCPP_BEGIN_NAMESPACE_STD                                                                                         \
  [[noreturn]] void __libcpp_verbose_abort(const char*, ...) { __builtin_trap(); }                                    \
  _LIBCPP_END_NAMESPACE_STD                                                                                           \
  extern "C" [[noreturn]] void __cxa_pure_virtual() { __builtin_trap(); }                                             \
  void* operator new(std::size_t size) {                                                                              \
    if (void* p = std::malloc(size != 0 ? size : 1)) return p;                                                        \
    __builtin_trap();                                                                                                 \
  }                                                                                                                   \
  void* operator new[](std::size_t size) { return ::operator new(size); }                                             \
  void operator delete(void* p) noexcept { std::free(p); }                                                            \
  void operator delete[](void* p) noexcept { std::free(p); }                                                          \
  void operator delete(void* p, std::size_t) noexcept { std::free(p); }                                               \
  void operator delete[](void* p, std::size_t) noexcept { std::free(p); }                                             \
  extern "C" __attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* ptr, std::size_t old_size,         \
                                                                             std::size_t align, std::size_t size) {   \
    return ::wasi::messaging::types::abi::Reallocate(ptr, old_size, align, size);                                     \
  }                                                                                                                   \
  extern "C" __attribute__((export_name(WM_HANDLE_EXPORT))) wm_result_void_t* wasi_messaging_handle(                  \
      wm_handle_t message) {                                                                                          \
    static GuestType guest{__VA_ARGS__};                                                                              \
    return ::wasi::messaging::incoming_handler::abi::CallHandle(guest, message);                                      \
  }                                                                                                                   \
  extern "C" __attribute__((export_name(WM_HANDLE_POST_EXPORT))) void wasi_messaging_handle_post(wm_result_void_t*) { \
    ::wasi::messaging::incoming_handler::abi::PostHandle();                                                           \
  }
