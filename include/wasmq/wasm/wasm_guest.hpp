#pragma once
/// A WebAssembly guest instance as the facade sees it: an incoming_handler::Guest whose Handle
/// puts the delivered message in the instance's resource table, calls the guest's exported
/// `handle` with its handle, lifts the result and calls post-return. Runtimes (wasm2c, the wabt
/// interpreter) derive from it and implement the calls into the guest.
///
/// One delivery at a time: the component model forbids re-entering an instance, so deliveries
/// from several threads wait their turn, and a delivery that would re-enter the instance on the
/// thread already inside it (a guest waiting in `request` while that thread helps the broker) is
/// refused with `other`, which releases it for a later attempt. A trap poisons the instance: the
/// delivery it was handling and every later one end in `other` ("trapped"), so the outcome policy
/// releases them and the broker dead-letters them at max_deliveries; the host and the broker go
/// on, and so do other instances.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/incoming_handler.hpp>
#include <wasmq/host/guest_instance.hpp>
#include <wasmq/host/turn.hpp>
#include <wasmq/wasm/canonical_abi.hpp>

#include <atomic>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <string>

WASMQ_PUBLIC_BEGIN

namespace wasmq::wasm {

class WasmGuest : public wasi::messaging::incoming_handler::Guest, protected GuestRuntime {
 public:
  ~WasmGuest() override = default;
  WasmGuest(const WasmGuest&) = delete;
  WasmGuest& operator=(const WasmGuest&) = delete;

  [[nodiscard]] std::expected<void, wasi::messaging::types::Error> Handle(
      wasi::messaging::types::Message&& message) final;

  /// Why the instance trapped, or empty while it has not.
  [[nodiscard]] std::string TrapReason() const;
  [[nodiscard]] bool Trapped() const { return !TrapReason().empty(); }
  /// Live resources in the instance's table (a guest may keep handles between deliveries).
  [[nodiscard]] std::size_t LiveResources() const { return instance_.Size(); }
  /// Deliveries refused because they would have re-entered the instance.
  [[nodiscard]] std::uint64_t RefusedReentries() const { return refused_.load(std::memory_order_relaxed); }
  /// Deliveries the guest's handle ran to completion (ok or error), traps excluded.
  [[nodiscard]] std::uint64_t Handled() const { return handled_.load(std::memory_order_relaxed); }
  [[nodiscard]] const std::string& Identity() const { return context_->identity; }

 protected:
  explicit WasmGuest(std::shared_ptr<const wasmq::host::GuestContext> context);

  CanonicalAbi& Abi() { return abi_; }
  /// Calls the export `handle` with an own<message> handle; returns its return-area address.
  [[nodiscard]] virtual std::expected<std::uint32_t, TrapText> CallHandle(std::uint32_t message) = 0;
  /// Calls `cabi_post_...#handle` (a guest without one has nothing to free).
  [[nodiscard]] virtual std::expected<void, TrapText> CallPostReturn(std::uint32_t ret) = 0;
  /// Bracket one delivery's calls into the guest (handle, lifting, post-return), so that a
  /// runtime that takes a lock per entry (wasm2c) takes it once per delivery.
  virtual void BeginDelivery() {}
  virtual void EndDelivery() {}

 private:
  /// Marks the instance trapped; later deliveries end in `other` without running.
  void Poison(std::string reason);

  std::shared_ptr<const wasmq::host::GuestContext> context_;
  wasmq::host::GuestInstance instance_;
  CanonicalAbi abi_;
  wasmq::host::Turn turn_;
  mutable std::mutex trap_mutex_;
  std::string trap_;                       // guarded by trap_mutex_
  std::atomic<bool> trapped_{false};       // set once trap_ is: a delivery checks it without the lock
  std::atomic<std::uint64_t> refused_{0};  // relaxed: statistics
  std::atomic<std::uint64_t> handled_{0};  // relaxed: statistics
};

}  // namespace wasmq::wasm

WASMQ_PUBLIC_END
