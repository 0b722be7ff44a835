#pragma once
/// A guest whose Handle is a function: collaborators and one-off guests in tests.

#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/types.hpp>
#include <wasmq/detail/visibility.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <utility>

WASMQ_PUBLIC_BEGIN

namespace wasmq::testkit {

class FunctionGuest final : public wasi::messaging::incoming_handler::Guest {
 public:
  using Function = std::function<std::expected<void, wasi::messaging::types::Error>(wasi::messaging::types::Message&&)>;
  explicit FunctionGuest(Function function) : function_(std::move(function)) {}

  [[nodiscard]] std::expected<void, wasi::messaging::types::Error> Handle(
      wasi::messaging::types::Message&& message) override {
    // relaxed: a statistic; tests read it after waiting for idle, which orders it.
    calls_.fetch_add(1, std::memory_order_relaxed);
    return function_(std::move(message));
  }
  /// How many times Handle ran.
  [[nodiscard]] std::size_t calls() const noexcept { return calls_.load(std::memory_order_relaxed); }

 private:
  Function function_;
  std::atomic<std::size_t> calls_{0};
};

/// A FunctionGuest, shared as SubscribeGuest wants it.
inline std::shared_ptr<FunctionGuest> guest_from(FunctionGuest::Function function) {
  return std::make_shared<FunctionGuest>(std::move(function));
}

}  // namespace wasmq::testkit

WASMQ_PUBLIC_END
