#pragma once
// One instance of a wasm2c-translated module (see wasmq/wasm/wasm2c.hpp).

#include "execution.hpp"

#include <wasmq/wasm/wasm2c.hpp>

#include <optional>
#include <string>

namespace wasmq::wasm::wasm2c {

class Wasm2cGuest final : public WasmGuest {
 public:
  Wasm2cGuest(std::shared_ptr<const wasmq::host::GuestContext> context, const wasmq_wasm2c_module& module);
  ~Wasm2cGuest() override;
  Wasm2cGuest(const Wasm2cGuest&) = delete;
  Wasm2cGuest& operator=(const Wasm2cGuest&) = delete;

  /// Instantiates and runs _initialize; the reason when that fails.
  std::optional<std::string> Start();

  /// Runs an import for the guest; false (with the reason kept) when the guest must trap.
  bool RunImport(ImportId id, std::span<const std::uint32_t> args, std::uint32_t& result);

 private:
  std::expected<std::uint32_t, TrapText> CallHandle(std::uint32_t message) override;
  std::expected<void, TrapText> CallPostReturn(std::uint32_t ret) override;
  std::span<std::uint8_t> Memory() override;
  std::expected<std::uint32_t, std::string> Realloc(std::uint32_t old_ptr, std::uint32_t old_size, std::uint32_t align,
                                                    std::uint32_t new_size) override;
  void BeginWait() override;
  void EndWait() override;
  void BeginDelivery() override {
    execution_.Enter();
    delivering_ = true;
  }
  void EndDelivery() override {
    delivering_ = false;
    execution_.Exit();
  }

  /// Runs `call` (wasm2c code) under the execution lock and a trap target of its own; the trap
  /// text when it trapped.
  template <class F>
  std::optional<std::string> Guarded(F&& call);
  std::string DescribeTrap(int code);

  const wasmq_wasm2c_module& module_;
  Execution& execution_;                // Execution::Get(), looked up once
  void* instance_ = nullptr;            // module_.instance_size bytes
  wasm_rt_memory_t* memory_ = nullptr;  // in instance_, so stable; its data and size change on grow
  bool instantiated_ = false;
  std::string import_trap_;  // why the latest import asked for a trap
  TrapState waiting_state_{};
  unsigned waiting_depth_ = 0;
  bool delivering_ = false;  // inside BeginDelivery/EndDelivery (one delivery at a time)
};

}  // namespace wasmq::wasm::wasm2c
