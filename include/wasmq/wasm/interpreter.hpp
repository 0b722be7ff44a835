#pragma once
/// The wabt interpreter: guests loaded from a `.wasm` at run time (plugins, tools, tests), with no
/// build step. Each module is metered on loading (wasmq/wasm/meter.hpp), so every delivery has a
/// step budget (GuestLimits::max_steps) and a guest that loops forever traps "out of steps"; its
/// memory is capped at GuestLimits::max_memory_bytes. The interpreter keeps no global state:
/// instances run in parallel on any threads, one delivery at a time each. It is 10–20 times
/// slower than wasm2c (docs/benchmarks.md).

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasmq/wasm/wasm_guest.hpp>

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

WASMQ_PUBLIC_BEGIN

namespace wasmq::wasm {

/// Instantiates the module `wasm` for the guest `context` describes and runs its _initialize;
/// the reason when the bytes are not a module of the world, or instantiation traps.
[[nodiscard]] std::expected<std::shared_ptr<WasmGuest>, std::string> LoadInterpretedGuest(
    std::shared_ptr<const wasmq::host::GuestContext> context, std::span<const std::uint8_t> wasm);

/// The same, reading the module from `path`.
[[nodiscard]] std::expected<std::shared_ptr<WasmGuest>, std::string> LoadInterpretedGuest(
    std::shared_ptr<const wasmq::host::GuestContext> context, const std::filesystem::path& path);

}  // namespace wasmq::wasm

WASMQ_PUBLIC_END
