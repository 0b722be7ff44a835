// The canonical ABI as a hostile guest drives it: every import with arguments a fuzzer chooses —
// pointers in and out of bounds, misaligned, lengths past the end, handles of its own, dropped or
// made up — over a linear memory whose bytes it wrote, and a cabi_realloc that returns what it
// likes, traps or moves memory. Nothing may crash or hang; every trap is a sentence in UTF-8; the
// instance's table never passes its limit.

#include "fuzz_input.hpp"

#include <wasmq/host/host.hpp>
#include <wasmq/utf8.hpp>
#include <wasmq/wasm/canonical_abi.hpp>
#include <wasmq/wasmq.hpp>

#include <cstdlib>
#include <vector>

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

constexpr wasmq::host::GuestLimits kLimits{
    .max_resources = 16, .max_message_bytes = 256, .max_metadata_entries = 4, .max_replies = 2};

/// A guest's memory and allocator, both under the fuzzer's control.
class FuzzedRuntime final : public wasmq::wasm::GuestRuntime {
 public:
  explicit FuzzedRuntime(wasmq::fuzz::FuzzInput& input) : input_(input), memory_(1024) {
    for (auto& byte : memory_) byte = input_.byte();
  }
  std::span<std::uint8_t> Memory() override { return memory_; }
  std::expected<std::uint32_t, std::string> Realloc(std::uint32_t, std::uint32_t, std::uint32_t align,
                                                    std::uint32_t size) override {
    switch (input_.byte() % 8) {
      case 0: return std::unexpected("the guest's allocator trapped");
      case 1: return input_.u32();                                     // anywhere at all
      case 2: memory_.resize(memory_.size() + 4096); [[fallthrough]];  // memory.grow moves memory
      default: {
        const std::uint64_t at =
            (next_ + align - 1) / std::max<std::uint32_t>(align, 1) * std::max<std::uint32_t>(align, 1);
        if (at + size > memory_.size()) return 0xFFFF'FFF0U;  // out of memory: a bad pointer
        next_ = static_cast<std::uint32_t>(at + size);
        return static_cast<std::uint32_t>(at);
      }
    }
  }

 private:
  wasmq::fuzz::FuzzInput& input_;
  std::vector<std::uint8_t> memory_;
  std::uint32_t next_ = 512;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wasmq::fuzz::FuzzInput input(data, size);
  wasmq::ManualRuntime runtime;
  wasmq::Broker broker(runtime);
  auto registry = std::make_shared<wasmq::host::ConnectionRegistry>();
  registry->AddBroker("inproc", broker);
  auto context =
      std::make_shared<const wasmq::host::GuestContext>(wasmq::host::GuestContext{"fuzzed", {}, registry, kLimits});
  wasmq::host::GuestInstance instance(context,
                                      wasmq::host::GuestInstance::Sharing::kOneCallAtATime);  // as a WasmGuest's
  FuzzedRuntime memory(input);
  wasmq::wasm::CanonicalAbi abi(instance, context->limits, memory);

  const auto imports = wasmq::wasm::MessagingImports();
  std::vector<std::uint32_t> handles = {0, 1};
  for (int step = 0; step < 64 && !input.empty(); ++step) {
    const auto choice = input.byte();
    if (choice == 0xFF) {
      auto lifted = abi.LiftHandleResult(input.u32() % 1100);
      if (!lifted) Require(wasmq::is_valid_utf8(lifted.error()));
      continue;
    }
    const auto& row = imports[choice % imports.size()];
    std::vector<std::uint32_t> args(row.params);
    for (auto& arg : args) {
      switch (input.byte() % 4) {
        case 0: arg = handles[input.byte() % handles.size()]; break;  // a handle it was given
        case 1: arg = input.byte() * 4U; break;                       // an aligned pointer, or a length
        case 2: arg = input.byte(); break;                            // a small number
        default: arg = input.u32(); break;                            // anything
      }
    }
    auto result = abi.Call(row.id, args);
    if (!result) {
      Require(!result.error().empty() && wasmq::is_valid_utf8(result.error()));
    } else if (row.returns_i32 && *result != 0) {
      handles.push_back(*result);
    }
    Require(instance.Size() <= kLimits.max_resources);
    runtime.run_until_idle();
  }
  return 0;
}
