#include "wasm2c_guest.hpp"

#include <cstdlib>
#include <set>

namespace wasmq::wasm::wasm2c {

namespace {

/// wasm2c registers a module's function types in runtime globals once per module: under the
/// execution lock, as running guests read those globals.
void InitModuleOnce(const wasmq_wasm2c_module& module) {
  static std::set<const wasmq_wasm2c_module*> initialized;  // guarded by the execution lock
  Execution::Get().Enter();
  if (initialized.insert(&module).second) module.init_module();
  Execution::Get().Exit();
}

constexpr std::uint32_t kPageBytes = 65536;

/// Runs `call` with wasm2c's trap target (a setjmp into the runtime's global jmp_buf) in a frame of
/// its own: the trap's code, or 0 when `call` returned. The frame holds no C++ object that a
/// longjmp could skip or leave clobbered; the caller builds the trap's text once this has returned.
template <class F>
[[gnu::noinline]] int CallWithTrapTarget(F& call) {
  const int code = wasm_rt_impl_try();
  if (code == 0) call();
  return code;
}

}  // namespace

Wasm2cGuest::Wasm2cGuest(std::shared_ptr<const wasmq::host::GuestContext> context, const wasmq_wasm2c_module& module)
    : WasmGuest(std::move(context)),
      module_(module),
      execution_(Execution::Get()),
      instance_(std::calloc(1, module.instance_size)) {}

Wasm2cGuest::~Wasm2cGuest() {
  if (instantiated_) {
    execution_.Enter();
    module_.free_instance(instance_);
    execution_.Exit();
  }
  std::free(instance_);
}

template <class F>
std::optional<std::string> Wasm2cGuest::Guarded(F&& call) {
  // Outermost: the first entry on this thread, or the first inside a delivery's bracket.
  const bool outermost = Execution::DepthOnThisThread() <= (delivering_ ? 1U : 0U);
  execution_.Enter();
  // Nested (a cabi_realloc inside an import): the runtime's global trap state belongs to the call
  // this one is inside, and must be put back. Outermost, nothing is inside wasm2c code on this
  // thread, and no other thread is (it holds the execution lock): the state is nobody's.
  TrapState saved;  // NOLINT(cppcoreguidelines-pro-type-member-init): written by Save when nested, read only then
  if (outermost) {
    // Each call from the host (not a cabi_realloc inside an import) gets the whole call-depth
    // budget and, when metered, the whole step budget.
    wasm_rt_call_stack_depth = 0;
    if (module_.fuel != nullptr && instantiated_) *module_.fuel(instance_) = Abi().Limits().max_steps;
  } else {
    saved.Save();
  }
  // A trap in `call` lands in CallWithTrapTarget with its code. Between the two, only wasm2c's C
  // frames and the import shims (which hold no C++ objects when they trap) are skipped.
  const int code = CallWithTrapTarget(call);
  std::optional<std::string> trap;
  if (code != 0) trap = DescribeTrap(code);
  if (!outermost) saved.Restore();
  execution_.Exit();
  return trap;
}

std::string Wasm2cGuest::DescribeTrap(int code) {
  std::string text = wasm_rt_strerror(static_cast<wasm_rt_trap_t>(code));
  if (module_.fuel != nullptr && *module_.fuel(instance_) == 0) {
    text = "out of steps: the delivery used up the guest's step budget of " + std::to_string(Abi().Limits().max_steps);
  }
  if (!import_trap_.empty()) text += ": " + std::exchange(import_trap_, {});
  return text;
}

std::optional<std::string> Wasm2cGuest::Start() {
  if (instance_ == nullptr) return "no memory for an instance of " + std::to_string(module_.instance_size) + " bytes";
  InitModuleOnce(module_);
  if (auto trap = Guarded([&] {
        module_.instantiate(instance_, this);
        instantiated_ = true;
      })) {
    return "instantiation trapped: " + *trap;
  }
  memory_ = module_.memory(instance_);
  wasm_rt_memory_t* memory = memory_;
  const std::uint64_t limit_pages = Abi().Limits().max_memory_bytes / kPageBytes;
  if (memory->pages > limit_pages) {
    return "the module's initial memory of " + std::to_string(std::uint64_t{memory->pages} * kPageBytes) +
           " bytes is over the guest's max_memory_bytes of " + std::to_string(Abi().Limits().max_memory_bytes);
  }
  // memory.grow beyond this fails (returns -1 to the guest) instead of growing the host's heap.
  if (memory->max_pages > limit_pages) memory->max_pages = static_cast<std::uint32_t>(limit_pages);
  if (module_.initialize != nullptr) {
    if (auto trap = Guarded([&] { module_.initialize(instance_); })) return "_initialize trapped: " + *trap;
  }
  return std::nullopt;
}

bool Wasm2cGuest::RunImport(ImportId id, std::span<const std::uint32_t> args, std::uint32_t& result) {
  auto call = Abi().Call(id, args);
  if (call) {
    result = *call;
    return true;
  }
  import_trap_ = std::move(call.error());
  return false;
}

std::expected<std::uint32_t, TrapText> Wasm2cGuest::CallHandle(std::uint32_t message) {
  std::uint32_t ret = 0;
  if (auto trap = Guarded([&] { ret = module_.handle(instance_, message); })) return std::unexpected(*trap);
  return ret;
}

std::expected<void, TrapText> Wasm2cGuest::CallPostReturn(std::uint32_t ret) {
  if (module_.post_handle == nullptr) return {};
  if (auto trap = Guarded([&] { module_.post_handle(instance_, ret); })) return std::unexpected(*trap);
  return {};
}

std::span<std::uint8_t> Wasm2cGuest::Memory() { return {memory_->data, memory_->size}; }

std::expected<std::uint32_t, std::string> Wasm2cGuest::Realloc(std::uint32_t old_ptr, std::uint32_t old_size,
                                                               std::uint32_t align, std::uint32_t new_size) {
  std::uint32_t ptr = 0;
  if (auto trap = Guarded([&] { ptr = module_.cabi_realloc(instance_, old_ptr, old_size, align, new_size); })) {
    return std::unexpected(*trap);
  }
  return ptr;
}

void Wasm2cGuest::BeginWait() {
  waiting_state_.Save();
  waiting_depth_ = execution_.ReleaseAll();
}

void Wasm2cGuest::EndWait() {
  execution_.Reacquire(waiting_depth_);
  waiting_state_.Restore();
}

}  // namespace wasmq::wasm::wasm2c

namespace wasmq::wasm {
std::expected<std::shared_ptr<WasmGuest>, std::string> MakeWasm2cGuest(
    std::shared_ptr<const wasmq::host::GuestContext> context, const wasmq_wasm2c_module& module) {
  auto guest = std::make_shared<wasm2c::Wasm2cGuest>(std::move(context), module);
  if (auto failed = guest->Start()) return std::unexpected("guest '" + std::string(module.name) + "': " + *failed);
  return guest;
}
}  // namespace wasmq::wasm
