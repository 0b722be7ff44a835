#pragma once
/// The canonical ABI of `wasi:messaging@0.2.0-draft` on the host side, independent of any wasm
/// runtime: reads an import's flat arguments out of the guest's linear memory, calls the guest's
/// GuestInstance, and lowers the result into the guest's return area (strings and lists are
/// allocated through the guest's `cabi_realloc`). A runtime (wasm2c, the wabt interpreter, or
/// wasmtime/WAMR in a host of one's own) supplies only the memory and the allocator.
///
/// Checked as the canonical ABI says, each a trap: a range outside memory, a misaligned pointer,
/// a string that is not UTF-8, an unknown discriminant, and every handle misuse GuestInstance
/// reports. A list longer than the guest's limits allow traps before anything is copied.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasmq/host/guest_instance.hpp>
#include <wasmq/wasm/imports.hpp>

#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq::wasm {

/// What the ABI needs from the runtime running one instance.
class GuestRuntime {
 public:
  virtual ~GuestRuntime() = default;
  /// The linear memory as it is now. Invalid after any call into the guest: memory.grow may move it.
  virtual std::span<std::uint8_t> Memory() = 0;
  /// Calls the guest's `cabi_realloc`; an error is the trap it raised.
  [[nodiscard]] virtual std::expected<std::uint32_t, std::string> Realloc(std::uint32_t old_ptr, std::uint32_t old_size,
                                                                          std::uint32_t align,
                                                                          std::uint32_t new_size) = 0;
  /// Brackets an import that waits (request-reply.request): a runtime that runs one guest at a
  /// time process-wide (wasm2c) lets others run meanwhile.
  virtual void BeginWait() {}
  virtual void EndWait() {}
};

/// A trap: the reason the guest must stop, in words.
using TrapText = std::string;

class CanonicalAbi {
 public:
  CanonicalAbi(wasmq::host::GuestInstance& instance, const wasmq::host::GuestLimits& limits, GuestRuntime& runtime)
      : instance_(instance), limits_(limits), runtime_(runtime) {}

  /// Runs import `id` on its flat arguments (Signature(id).params of them): the i32 result (0
  /// when the function has none), or why the guest must trap.
  [[nodiscard]] std::expected<std::uint32_t, TrapText> Call(ImportId id, std::span<const std::uint32_t> args);

  [[nodiscard]] const wasmq::host::GuestLimits& Limits() const noexcept { return limits_; }

  /// Reads the `result<_, error>` the guest's handle export left at `ret`.
  [[nodiscard]] std::expected<std::expected<void, wasi::messaging::types::Error>, TrapText> LiftHandleResult(
      std::uint32_t ret);

 private:
  using Error = wasi::messaging::types::Error;
  template <class T>
  using Lifted = std::expected<T, TrapText>;
  using Done = std::expected<std::uint32_t, TrapText>;

  /// [ptr, ptr + len) of the memory as last seen, checked (align: a power of two). Inline: every
  /// argument and result goes through it; the failing side is out of line.
  Lifted<std::span<std::uint8_t>> Range(std::uint32_t ptr, std::uint64_t len, std::uint32_t align) {
    if ((ptr & (align - 1)) != 0 || std::uint64_t{ptr} + len > memory_.size()) [[unlikely]] {
      return std::unexpected(OutOfRange(ptr, len, align));
    }
    return memory_.subspan(ptr, static_cast<std::size_t>(len));
  }
  [[gnu::cold]] TrapText OutOfRange(std::uint32_t ptr, std::uint64_t len, std::uint32_t align) const;
  /// Re-reads the memory's place and size: at the start of each call from the guest and after
  /// anything that may have run guest code (cabi_realloc may grow the memory, which may move it).
  void SeeMemory() { memory_ = runtime_.Memory(); }
  Lifted<std::string_view> String(std::uint32_t ptr, std::uint32_t len);
  Lifted<std::uint32_t> LoadU32(std::uint32_t at);
  Lifted<std::uint32_t> Lower(std::span<const std::uint8_t> bytes, std::uint32_t align);
  Done StoreU8(std::uint32_t at, std::uint8_t value);
  Done StoreU32(std::uint32_t at, std::uint32_t value);
  Done StoreList(std::uint32_t at, std::span<const std::uint8_t> bytes);
  Done StoreError(std::uint32_t at, const Error& error);
  Done StoreResult(std::uint32_t ret, const std::expected<void, Error>& result);
  Done StoreOptionString(std::uint32_t ret, const std::optional<std::string>& value);
  Done StoreOptionMetadata(std::uint32_t ret, const std::optional<wasi::messaging::types::Metadata>& metadata);
  Done StoreRequestResult(std::uint32_t ret, const std::expected<std::vector<wasmq::host::Handle>, Error>& result);
  Lifted<wasi::messaging::types::Metadata> LiftMetadata(std::uint32_t ptr, std::uint32_t len);

  wasmq::host::GuestInstance& instance_;
  const wasmq::host::GuestLimits& limits_;
  GuestRuntime& runtime_;
  std::span<std::uint8_t> memory_{};  // as SeeMemory last saw it
};

}  // namespace wasmq::wasm

WASMQ_PUBLIC_END
