#include <wasmq/wasm/wasm_guest.hpp>

namespace wasmq::wasm {

namespace types = wasi::messaging::types;

WasmGuest::WasmGuest(std::shared_ptr<const wasmq::host::GuestContext> context)
    // Its table is entered only by the delivery that holds turn_ (imports run inside the calls
    // that delivery makes) or, before the guest is shared, by Start: one call at a time.
    : context_(std::move(context)),
      instance_(context_, wasmq::host::GuestInstance::Sharing::kOneCallAtATime),
      abi_(instance_, context_->limits, *this) {}

std::string WasmGuest::TrapReason() const {
  // Acquire: pairs with Poison's release, so a set flag comes with the text written before it.
  if (!trapped_.load(std::memory_order_acquire)) return {};
  std::lock_guard lock(trap_mutex_);
  return trap_;
}

void WasmGuest::Poison(std::string reason) {
  std::lock_guard lock(trap_mutex_);
  if (!trap_.empty()) return;
  trap_ = reason.empty() ? "a trap that gave no reason" : std::move(reason);
  trapped_.store(true, std::memory_order_release);  // release: see TrapReason
}

std::expected<void, types::Error> WasmGuest::Handle(types::Message&& message) {
  if (turn_.HeldByThisThread()) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    return std::unexpected(types::Error::Other("guest '" + Identity() +
                                               "' is busy on this thread (waiting in a request): "
                                               "a re-entrant delivery is refused and offered again later"));
  }
  wasmq::host::Turn::Held held(turn_);

  if (trapped_.load(std::memory_order_acquire)) [[unlikely]] {  // acquire: see TrapReason
    const std::string reason = TrapReason();
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
