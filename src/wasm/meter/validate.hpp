#pragma once
// Whether bytes are a valid WebAssembly module, decided by wabt's validating reader (the one its
// interpreter loads with). Meter runs it before wabt's IR reader: wabt 1.0.32's IR reader trusts
// its input's structure and aborts on some malformed modules (an `end` that empties the label
// stack before a function body is over: an assertion in `BinaryReaderIR::OnEndExpr`, kin to
// WebAssembly/wabt#2199, fixed after 1.0.32), where the validating reader reports an error. C++17
// inside, as wabt's interpreter headers need; nothing of wabt crosses this header.

#include <cstddef>
#include <cstdint>
#include <string>

namespace wasmq::wasm::detail {

/// True when `wasm` is a valid module; otherwise false, with wabt's errors in `error`.
bool ValidateModule(const std::uint8_t* wasm, std::size_t size, std::string* error);

}  // namespace wasmq::wasm::detail
