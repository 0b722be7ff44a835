#pragma once
/// The wasm2c runtime: guests translated ahead of time to C by `wasm2c` (Debian's wabt) and linked
/// into the host. Add one with wasmq_add_wasm2c_guest() in CMake, which also generates the
/// descriptor function `wasmq_wasm2c_<name>()` this file's MakeWasm2cGuest takes.
///
/// wabt 1.0.32's wasm2c runtime keeps its trap state (the jmp_buf, the call-depth counter, the
/// registered function types) in process globals. So wasmq runs wasm2c code under one
/// process-wide execution lock: any thread may run a wasm2c guest, one at a time, and a guest
/// waiting in `request` gives the lock up until its replies are in, so that the guest that
/// answers can run. Each entry saves and restores the global trap state, so a trap lands in the
/// call it belongs to. The runtime is compiled without its SIGSEGV handler (explicit bounds
/// checks), so wasmq installs no signal handler in the host process.
///
/// A guest that loops forever holds the execution lock for good unless it was built METERED
/// (wasmq_add_wasm_guest): then each delivery has a step budget, GuestLimits::max_steps, and a
/// guest out of steps traps. An unmetered module cannot be interrupted: keep wasm2c for guests
/// built by the host's own build, metered when they are not trusted.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasmq/wasm/wasm2c_module.h>
#include <wasmq/wasm/wasm_guest.hpp>

#include <expected>
#include <memory>
#include <string>

WASMQ_PUBLIC_BEGIN

namespace wasmq::wasm {

/// Instantiates `module` for the guest `context` describes (runs the reactor's _initialize).
/// Fails, with the reason, when instantiation traps or the initial memory is over the guest's
/// max_memory_bytes.
[[nodiscard]] std::expected<std::shared_ptr<WasmGuest>, std::string> MakeWasm2cGuest(
    std::shared_ptr<const wasmq::host::GuestContext> context, const wasmq_wasm2c_module& module);

}  // namespace wasmq::wasm

WASMQ_PUBLIC_END
