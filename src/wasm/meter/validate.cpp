#include "validate.hpp"

#include <wabt/binary-reader.h>
#include <wabt/error-formatter.h>
#include <wabt/feature.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

namespace wasmq::wasm::detail {

bool ValidateModule(const std::uint8_t* wasm, std::size_t size, std::string* error) {
  wabt::Errors errors;
  wabt::interp::ModuleDesc desc;
  wabt::Features features;
  const wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/false,
                                        /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  if (wabt::Succeeded(wabt::interp::ReadBinaryInterp("guest.wasm", wasm, size, options, &errors, &desc))) return true;
  *error = wabt::FormatErrorsToString(errors, wabt::Location::Type::Binary);
  return false;
}

}  // namespace wasmq::wasm::detail
