// Compiled as C++17 (see engine.hpp).
#include "engine.hpp"

#include <wabt/binary-reader.h>
#include <wabt/error-formatter.h>
#include <wabt/feature.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

#include <array>

namespace wasmq::wasm::interp {

namespace {

namespace wi = wabt::interp;

constexpr const char* kHandleExport = "wasi:messaging/incoming-handler@0.2.0-draft#handle";
constexpr const char* kPostHandleExport = "cabi_post_wasi:messaging/incoming-handler@0.2.0-draft#handle";

class WabtEngine final : public Engine {
 public:
  bool Start(const std::uint8_t* wasm, std::size_t size, EngineHost& host, std::string* error) {
    wabt::Errors errors;
    wi::ModuleDesc desc;
    wabt::Features features;
    const wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/false,
                                          /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
    if (wabt::Failed(wi::ReadBinaryInterp("guest.wasm", wasm, size, options, &errors, &desc))) {
      *error = "not a WebAssembly module: " + wabt::FormatErrorsToString(errors, wabt::Location::Type::Binary);
      return false;
    }
    wi::Module::Ptr module = wi::Module::New(store_, desc);
    wi::RefVec imports;
    for (const wi::ImportType& import : module->import_types()) {
      int id = 0;
      std::size_t params = 0;
      bool returns_i32 = false;
      auto* type = wabt::dyn_cast<wi::FuncType>(import.type.get());
      if (type == nullptr || !host.Resolve(import.module, import.name, &id, &params, &returns_i32)) {
        *error = "the module imports " + import.module + " " + import.name + ", which wasi:messaging lacks";
        return false;
      }
      const bool all_i32 = [&] {
        for (const auto& param : type->params) {
          if (param != wabt::Type::I32) return false;
        }
        return true;
      }();
      if (!all_i32 || type->params.size() != params || type->results.size() != (returns_i32 ? 1u : 0u) ||
          (returns_i32 && type->results[0] != wabt::Type::I32)) {
        *error = "the module imports " + import.module + " " + import.name + " with the wrong signature";
        return false;
      }
      imports.push_back(wi::HostFunc::New(store_, *type, Bind(host, id)).ref());
    }
    wi::Trap::Ptr trap;
    instance_ = wi::Instance::Instantiate(store_, module.ref(), imports, &trap);
    if (!instance_) {
      *error = "instantiation trapped: " + (trap ? trap->message() : std::string("(no reason)"));
      return false;
    }
    const auto& exports = module->export_types();
    for (std::size_t i = 0; i < exports.size(); ++i) {
      const std::string& name = exports[i].name;
      const wi::Ref ref = instance_->exports()[i];
      if (name == "memory")
        memory_ = store_.UnsafeGet<wi::Memory>(ref);
      else if (name == "cabi_realloc")
        realloc_ = store_.UnsafeGet<wi::Func>(ref);
      else if (name == kHandleExport)
        handle_ = store_.UnsafeGet<wi::Func>(ref);
      else if (name == kPostHandleExport)
        post_ = store_.UnsafeGet<wi::Func>(ref);
      else if (name == "_initialize")
        initialize_ = store_.UnsafeGet<wi::Func>(ref);
      else if (name == "wasmq_fuel")
        fuel_ = store_.UnsafeGet<wi::Global>(ref);
    }
    if (!memory_ || !realloc_ || !handle_) {
      *error = "the module does not export memory, cabi_realloc and " + std::string(kHandleExport);
      return false;
    }
    return true;
  }

  std::uint8_t* MemoryData() override { return memory_->UnsafeData(); }
  std::size_t MemorySize() override { return static_cast<std::size_t>(memory_->ByteSize()); }
  std::uint64_t MemoryPages() override { return memory_->PageSize(); }
  bool HasInitialize() const override { return static_cast<bool>(initialize_); }
  bool HasPostHandle() const override { return static_cast<bool>(post_); }
  bool HasFuel() const override { return static_cast<bool>(fuel_); }
  void SetFuel(std::uint32_t fuel) override {
    if (fuel_) fuel_->UnsafeSet(wi::Value::Make(fuel));
  }
  std::uint32_t Fuel() const override { return fuel_ ? fuel_->Get().Get<wi::u32>() : 0; }

  bool Initialize(std::string* trap) override {
    wi::Values results;
    return Run(initialize_, {}, results, trap);
  }
  bool Handle(std::uint32_t message, std::uint32_t* ret, std::string* trap) override {
    wi::Values results;
    if (!Run(handle_, {wi::Value::Make(message)}, results, trap)) return false;
    *ret = results[0].Get<wi::u32>();
    return true;
  }
  bool PostHandle(std::uint32_t ret, std::string* trap) override {
    wi::Values results;
    return Run(post_, {wi::Value::Make(ret)}, results, trap);
  }
  bool Realloc(std::uint32_t old_ptr, std::uint32_t old_size, std::uint32_t align, std::uint32_t size,
               std::uint32_t* result, std::string* trap) override {
    wi::Values results;
    if (!Run(realloc_,
             {wi::Value::Make(old_ptr), wi::Value::Make(old_size), wi::Value::Make(align), wi::Value::Make(size)},
             results, trap)) {
      return false;
    }
    *result = results[0].Get<wi::u32>();
    return true;
  }

 private:
  // A call from the host starts a thread of its own; a call from inside an import (cabi_realloc)
  // runs on the thread of the call in progress, as wabt requires.
  bool Run(const wi::Func::Ptr& func, const wi::Values& params, wi::Values& results, std::string* trap) {
    wi::Trap::Ptr raised;
    const wabt::Result ok = running_ != nullptr ? func->Call(*running_, params, results, &raised)
                                                : func->Call(store_, params, results, &raised);
    // wabt 1.0.32 reports "call stack exhausted" with the trap set but Result::Ok (and results
    // unset): a trap is a trap whatever the result says.
    if (wabt::Succeeded(ok) && !raised) return true;
    *trap = raised ? raised->message() : std::string("trapped");
    return false;
  }

  wi::HostFunc::Callback Bind(EngineHost& host, int id) {
    return [this, &host, id](wi::Thread& thread, const wi::Values& params, wi::Values& results,
                             wi::Trap::Ptr* trap) -> wabt::Result {
      // At most 16 flat parameters (the canonical ABI's MAX_FLAT_PARAMS; Resolve checked the
      // count): no allocation per call.
      std::array<std::uint32_t, 16> args{};
      for (std::size_t i = 0; i < params.size() && i < args.size(); ++i) args[i] = params[i].Get<wi::u32>();
      wi::Thread* outer = running_;
      running_ = &thread;
      std::uint32_t result = 0;
      std::string reason;
      const bool ok = host.Call(id, args.data(), params.size(), &result, &reason);
      running_ = outer;
      if (!ok) {
        *trap = wi::Trap::New(store_, reason);
        return wabt::Result::Error;
      }
      if (!results.empty()) results[0] = wi::Value::Make(result);
      return wabt::Result::Ok;
    };
  }

  wi::Store store_;
  wi::Instance::Ptr instance_;
  wi::Memory::Ptr memory_;
  wi::Func::Ptr realloc_, handle_, post_, initialize_;
  wi::Global::Ptr fuel_;
  wi::Thread* running_ = nullptr;
};

}  // namespace

std::unique_ptr<Engine> Engine::Load(const std::uint8_t* wasm, std::size_t size, EngineHost& host, std::string* error) {
  auto engine = std::make_unique<WabtEngine>();
  if (!engine->Start(wasm, size, host, error)) return nullptr;
  return engine;
}

}  // namespace wasmq::wasm::interp
