#include <wasmq/wasm/wasm_guest.hpp>

namespace wasmq::wasm {

namespace types = wasi::messaging::types;

WasmGuest::WasmGuest(std::shared_ptr<const wasmq::host::GuestContext> context)
    : context_(std::move(context)), instance_(context_), abi_(instance_, context_->limits, *this) {}

std::string WasmGuest::TrapReason() const {
  std::lock_guard lock(trap_mutex_);
  return trap_;
}

void WasmGuest::Poison(std::string reason) {
  std::lock_guard lock(trap_mutex_);
  if (trap_.empty()) trap_ = std::move(reason);
}

std::expected<void, types::Error> WasmGuest::Handle(types::Message&& message) {
  if (turn_.HeldByThisThread()) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    return std::unexpected(types::Error::Other("guest '" + Identity() +
                                               "' is busy on this thread (waiting in a request): "
                                               "a re-entrant delivery is refused and offered again later"));
  }
  wasmq::host::Turn::Held held(turn_);

  if (auto reason = TrapReason(); !reason.empty()) {
    return std::unexpected(types::Error::Other("guest '" + Identity() + "' trapped earlier: " + reason));
  }
  const auto trapped = [this](const std::string& reason) {
    Poison(reason);
    return std::unexpected(types::Error::Other("guest '" + Identity() + "' trapped: " + reason));
  };
  auto handle = instance_.AdoptMessage(std::move(message));
  if (!handle) return trapped(handle.error().message);
  BeginDelivery();
  struct End {
    WasmGuest& guest;
    ~End() { guest.EndDelivery(); }
  } end{*this};
  auto ret = CallHandle(*handle);
  if (!ret) return trapped(ret.error());
  auto result = abi_.LiftHandleResult(*ret);
  if (auto post = CallPostReturn(*ret); !post) return trapped(post.error());
  if (!result) return trapped(result.error());
  handled_.fetch_add(1, std::memory_order_relaxed);
  return *result;
}

}  // namespace wasmq::wasm
