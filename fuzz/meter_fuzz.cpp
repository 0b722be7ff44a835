// The meter on any bytes a guest's author can hand a host: wasm::Meter must never crash, and what
// it returns must be a valid module that exports the fuel global, with the memory cap and the
// tables' cap (all of them together) applied, and that Meter refuses to meter again. The seed corpus holds small valid
// modules with loops, calls and every bulk instruction, so that mutations stay near modules the meter rewrites, and the
// inputs that once broke it (wabt's IR reader aborted on end_inside_a_body.wasm; wabt wrote table_of_typed_refs.wasm
// back invalid).

#include <wasmq/wasm/meter.hpp>

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/feature.h>
#include <wabt/ir.h>
#include <wabt/validator.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

constexpr std::uint64_t kMaxPages = 4;
constexpr std::uint64_t kMaxTableElements = 1000;
constexpr wasmq::wasm::MeterOptions kOptions{.max_memory_pages = kMaxPages, .max_table_elements = kMaxTableElements};

/// The module read and validated, or nothing when `wasm` is not a valid module.
std::optional<wabt::Module> ReadValid(std::span<const std::uint8_t> wasm) {
  wabt::Features features;
  wabt::Errors errors;
  wabt::Module module;
  const wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/false, /*stop_on_first_error=*/true,
                                        /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr("fuzz.wasm", wasm.data(), wasm.size(), options, &errors, &module))) {
    return std::nullopt;
  }
  if (wabt::Failed(wabt::ValidateModule(&module, &errors, wabt::ValidateOptions(features)))) return std::nullopt;
  return module;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  auto metered = wasmq::wasm::Meter(input, kOptions);
  if (!metered) {
    Require(!metered.error().empty());  // a refusal says why
    return 0;
  }
  auto output = ReadValid(*metered);
  Require(output.has_value());
  Require(output->GetExport(std::string(wasmq::wasm::kFuelExport)) != nullptr);
  for (const wabt::Memory* memory : output->memories) {
    Require(memory->page_limits.has_max && memory->page_limits.max <= kMaxPages);
  }
  std::uint64_t table_maxima = 0;
  for (const wabt::Table* table : output->tables) {
    Require(table->elem_limits.has_max);
    table_maxima += table->elem_limits.max;
  }
  Require(table_maxima <= kMaxTableElements);
  // Metering is not idempotent on purpose: a module that exports the fuel global is refused.
  Require(!wasmq::wasm::Meter(*metered, kOptions));
  return 0;
}
