#pragma once
// The harness's connection: a Backend that wraps the embedded broker's, records every send in the
// traffic, and injects the pending faults into sends and deliveries.

#include <wasmq/host/host.hpp>
#include <wasmq/runtime.hpp>
#include <wasmq/testing/faults.hpp>
#include <wasmq/testing/traffic.hpp>

#include <memory>

namespace wasmq::testkit::detail {

class RecordingBackend final : public wasmq::host::Backend {
 public:
  RecordingBackend(std::shared_ptr<Backend> inner, Traffic& traffic, Faults& faults, Runtime& runtime)
      : inner_(std::move(inner)), traffic_(traffic), faults_(faults), runtime_(runtime) {}

  std::expected<void, wasi::messaging::types::Error> Publish(Message&& message) override;
  std::expected<std::vector<wasi::messaging::types::Message>, wasi::messaging::types::Error> Request(
      Message&& request, std::optional<std::chrono::milliseconds> timeout, std::uint32_t expected_replies) override;
  std::expected<SubscriptionHandle, wasi::messaging::types::Error> Subscribe(
      const wasmq::host::Subscription& subscription, DeliveryHandler handler) override;
  /// Forwards to the broker's backend; replies to what it hands over go through this one. Faults
  /// apply to pushed deliveries only.
  std::expected<std::unique_ptr<wasmq::host::PullSubscription>, wasi::messaging::types::Error> SubscribePull(
      const wasmq::host::Subscription& subscription) override;

 private:
  /// Records the send, or fails it when a fault says so; then runs `send` attributed to it.
  template <typename Send>
  auto recorded(const Message& message, Send&& send) -> decltype(send());
  std::expected<void, wasi::messaging::types::Error> handle_with_fault(
      FaultKind fault, const DeliveryHandler& handler, wasi::messaging::types::Message&& message,
      const std::weak_ptr<struct SubscriptionHolder>& subscription);

  std::shared_ptr<Backend> inner_;
  Traffic& traffic_;
  Faults& faults_;
  Runtime& runtime_;
};

}  // namespace wasmq::testkit::detail
