#pragma once
/// A step budget for any WebAssembly module, whatever runs it: Meter() adds a mutable i32 global,
/// exported as `wasmq_fuel`, and at the start of every function and every loop iteration a check
/// that traps (`unreachable`) when it is 0 and counts it down otherwise. Code between two checks
/// is straight-line, so a delivery given N steps runs a bounded time: a guest that loops forever
/// traps once its N loop iterations and calls are used up. The host sets the global before each
/// call into the guest (the wasm2c and interpreter runtimes do, from GuestLimits::max_steps).

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq::wasm {

inline constexpr std::string_view kFuelExport = "wasmq_fuel";

struct MeterOptions {
  /// Also caps the module's memory at this many 64 KiB pages (its declared maximum becomes at
  /// most this); a module whose initial memory is larger is refused.
  std::optional<std::uint64_t> max_memory_pages{};
};

/// The metered module, or why `wasm` could not be read, capped or written. A module that exports
/// `wasmq_fuel` already is metered once only (the cap still applies).
[[nodiscard]] std::expected<std::vector<std::uint8_t>, std::string> Meter(std::span<const std::uint8_t> wasm,
                                                                          const MeterOptions& options = {});

}  // namespace wasmq::wasm

WASMQ_PUBLIC_END
