#include "engine.hpp"

#include <wasmq/wasm/interpreter.hpp>
#include <wasmq/wasm/meter.hpp>

#include <fstream>
#include <iterator>
#include <vector>

namespace wasmq::wasm {

namespace {

constexpr std::uint64_t kPageBytes = 65536;

class InterpretedGuest final : public WasmGuest, private interp::EngineHost {
 public:
  explicit InterpretedGuest(std::shared_ptr<const wasmq::host::GuestContext> context) : WasmGuest(std::move(context)) {}

  std::optional<std::string> Start(std::span<const std::uint8_t> wasm) {
    auto prepared = Meter(wasm, {.max_memory_pages = Abi().Limits().max_memory_bytes / kPageBytes,
                                 .max_table_elements = Abi().Limits().max_table_elements});
    if (!prepared) return prepared.error();
    std::string error;
    engine_ = interp::Engine::Load(prepared->data(), prepared->size(), *this, &error);
    if (!engine_) return error;
    if (engine_->HasInitialize()) {
      std::string trap;
      engine_->SetFuel(Abi().Limits().max_steps);
      if (!engine_->Initialize(&trap)) return "_initialize trapped: " + Describe(trap);
    }
    return std::nullopt;
  }

 private:
  // EngineHost
  bool Resolve(const std::string& module, const std::string& name, int* id, std::size_t* params,
               bool* returns_i32) override {
    const ImportSignature* row = FindImport(module, name);
    if (row == nullptr) return false;
    *id = static_cast<int>(row->id);
    *params = row->params;
    *returns_i32 = row->returns_i32;
    return true;
  }
  bool Call(int id, const std::uint32_t* args, std::size_t count, std::uint32_t* result, std::string* trap) override {
    auto call = Abi().Call(static_cast<ImportId>(id), std::span(args, count));
    if (!call) {
      *trap = std::move(call.error());
      return false;
    }
    *result = *call;
    return true;
  }

  // WasmGuest
  std::expected<std::uint32_t, TrapText> CallHandle(std::uint32_t message) override {
    engine_->SetFuel(Abi().Limits().max_steps);
    std::uint32_t ret = 0;
    std::string trap;
    if (!engine_->Handle(message, &ret, &trap)) return std::unexpected(Describe(trap));
    return ret;
  }
  std::expected<void, TrapText> CallPostReturn(std::uint32_t ret) override {
    if (!engine_->HasPostHandle()) return {};
    engine_->SetFuel(Abi().Limits().max_steps);
    std::string trap;
    if (!engine_->PostHandle(ret, &trap)) return std::unexpected(Describe(trap));
    return {};
  }
  std::span<std::uint8_t> Memory() override { return {engine_->MemoryData(), engine_->MemorySize()}; }
  std::expected<std::uint32_t, std::string> Realloc(std::uint32_t old_ptr, std::uint32_t old_size, std::uint32_t align,
                                                    std::uint32_t new_size) override {
    std::uint32_t ptr = 0;
    std::string trap;
    if (!engine_->Realloc(old_ptr, old_size, align, new_size, &ptr, &trap)) return std::unexpected(Describe(trap));
    return ptr;
  }

  std::string Describe(const std::string& trap) {
    if (engine_ && engine_->HasFuel() && engine_->Fuel() == 0 && trap.find("unreachable") != std::string::npos) {
      return "out of steps: the delivery used up the guest's step budget of " +
             std::to_string(Abi().Limits().max_steps);
    }
    return trap;
  }

  std::unique_ptr<interp::Engine> engine_;
};

}  // namespace

std::expected<std::shared_ptr<WasmGuest>, std::string> LoadInterpretedGuest(
    std::shared_ptr<const wasmq::host::GuestContext> context, std::span<const std::uint8_t> wasm) {
  const std::string identity = context->identity;
  auto guest = std::make_shared<InterpretedGuest>(std::move(context));
  if (auto failed = guest->Start(wasm)) return std::unexpected("guest '" + identity + "': " + *failed);
  return guest;
}

std::expected<std::shared_ptr<WasmGuest>, std::string> LoadInterpretedGuest(
    std::shared_ptr<const wasmq::host::GuestContext> context, const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected("cannot open " + path.string());
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return LoadInterpretedGuest(std::move(context), bytes);
}

}  // namespace wasmq::wasm
