#pragma once
/// A step budget for any WebAssembly module, whatever runs it: Meter() adds a mutable i32 global,
/// exported as `wasmq_fuel`, and at the start of every function and every loop iteration a check
/// that traps (`unreachable`) when it is 0 and counts it down otherwise. A bulk instruction
/// (`memory.fill`, `memory.copy`, `memory.init`, `table.fill`, `table.copy`, `table.init`) is
/// charged by its length before it runs: a step per KiB, or per 128 table elements. Other code
/// between two checks is straight-line, so a delivery given N steps runs a bounded time: a guest
/// that loops forever traps once its N loop iterations and calls are used up, and one that fills
/// its memory in a loop once it has filled about N KiB. The host sets the global before each call
/// into the guest (the wasm2c and interpreter runtimes do, from GuestLimits::max_steps).

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
  /// Also caps the elements of all the module's tables together at this many (each holds 8 to 24
  /// bytes in the host): a module whose tables' initial sizes add up to more is refused, and each
  /// table's maximum is lowered so that the maxima add up to at most this. The room to grow goes
  /// to the tables in the order they are declared, each taking what it declares (all of what is
  /// left when it declares no maximum), so a module with one table, as wasm-ld writes them, may
  /// grow it up to the limit.
  std::optional<std::uint64_t> max_table_elements{};
};

/// The table limit wasmq-wasm-meter, the build tool, applies unless given --max-table-elements:
/// the default of host::GuestLimits::max_table_elements.
inline constexpr std::uint64_t kDefaultMaxTableElements = 100'000;

/// The metered module, or why `wasm` could not be read, capped or written. A module that already
/// exports `wasmq_fuel` is refused: whether its code counts that global down cannot be known, so
/// give Meter the module from before metering (`<name>.unmetered.wasm` of a guest built METERED).
[[nodiscard]] std::expected<std::vector<std::uint8_t>, std::string> Meter(std::span<const std::uint8_t> wasm,
                                                                          const MeterOptions& options = {});

}  // namespace wasmq::wasm

WASMQ_PUBLIC_END
