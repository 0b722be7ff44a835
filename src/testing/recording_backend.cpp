#include "recording_backend.hpp"

#include "recorded_send.hpp"

#include <mutex>

namespace wasmq::testkit::detail {

namespace types = wasi::messaging::types;
using wasmq::host::Backend;

/// A subscription the harness can close from inside its own handler (FaultKind::close_consumer).
struct SubscriptionHolder {
  std::mutex mutex;
  Backend::SubscriptionHandle inner;

  void close() {
    Backend::SubscriptionHandle doomed;
    {
      std::lock_guard lock(mutex);
      doomed = std::move(inner);
    }
    // Destroyed outside the lock: closing a consumer from its own handler is allowed.
  }
};

namespace {

std::string producer_name() {
  auto guest = wasmq::host::CurrentGuest();
  return guest ? "guest '" + guest->identity + "'" : "host";
}

std::string describe(const types::Error& error) {
  std::string text(types::ToString(error.GetKind()));
  if (!error.Message().empty()) text += ": " + error.Message();
  return text;
}

}  // namespace

template <typename Send>
auto RecordingBackend::recorded(const Message& message, Send&& send) -> decltype(send()) {
  const std::string producer = producer_name();
  if (auto fault = faults_.take_send_fault(message.topic)) {
    traffic_.record_send_failed(SharedMessage::of(message), producer, 0, "injected fault: " + describe(*fault),
                                runtime_.now());
    return std::unexpected(std::move(*fault));
  }
  return recorded_send(traffic_, message, producer, runtime_.now(), std::forward<Send>(send),
                       [](const types::Error& error) { return describe(error); });
}

std::expected<void, types::Error> RecordingBackend::Publish(Message&& message) {
  const Message& view = message;
  return recorded(view, [&] { return inner_->Publish(std::move(message)); });
}

std::expected<std::vector<types::Message>, types::Error> RecordingBackend::Request(
    Message&& request, std::optional<std::chrono::milliseconds> timeout, std::uint32_t expected_replies) {
  const Message& view = request;
  return recorded(view, [&] {
    auto replies = inner_->Request(std::move(request), timeout, expected_replies);
    if (replies) {
      // Replies answer through this backend too, should a guest forward one as a request.
      for (auto& reply : *replies) reply = Redirect(std::move(reply), shared_from_this());
    }
    return replies;
  });
}

std::expected<Backend::SubscriptionHandle, types::Error> RecordingBackend::Subscribe(
    const wasmq::host::Subscription& subscription, DeliveryHandler handler) {
  auto holder = std::make_shared<SubscriptionHolder>();
  auto self = std::static_pointer_cast<RecordingBackend>(shared_from_this());
  auto wrapped = [self, handler = std::move(handler),
                  weak = std::weak_ptr<SubscriptionHolder>(holder)](types::Message&& delivered) {
    // Replies to this delivery go through the recorder, so they are captured and can fail.
    types::Message message = Redirect(std::move(delivered), self);
    const auto fault = self->faults_.take_delivery_fault(message.Topic().value_or(""));
    if (!fault) return handler(std::move(message));
    return self->handle_with_fault(*fault, handler, std::move(message), weak);
  };
  auto inner = inner_->Subscribe(subscription, std::move(wrapped));
  if (!inner) return std::unexpected(inner.error());
  holder->inner = std::move(*inner);
  return holder;
}

namespace {

/// The broker's pull subscription, its messages answering through the recorder.
class RecordedPull final : public wasmq::host::PullSubscription {
 public:
  RecordedPull(std::unique_ptr<PullSubscription> inner, std::shared_ptr<wasmq::host::Backend> recorder)
      : inner_(std::move(inner)), recorder_(std::move(recorder)) {}
  std::expected<std::vector<wasmq::host::HeldMessage>, types::Error> Take(std::size_t max,
                                                                          std::chrono::milliseconds wait) override {
    auto taken = inner_->Take(max, wait);
    if (taken) {
      for (auto& held : *taken) held.message = Backend::Redirect(std::move(held.message), recorder_);
    }
    return taken;
  }

 private:
  std::unique_ptr<PullSubscription> inner_;
  std::shared_ptr<wasmq::host::Backend> recorder_;
};

}  // namespace

std::expected<std::unique_ptr<wasmq::host::PullSubscription>, types::Error> RecordingBackend::SubscribePull(
    const wasmq::host::Subscription& subscription) {
  auto inner = inner_->SubscribePull(subscription);
  if (!inner) return std::unexpected(inner.error());
  return std::make_unique<RecordedPull>(std::move(*inner), shared_from_this());
}

std::expected<void, types::Error> RecordingBackend::handle_with_fault(
    FaultKind fault, const DeliveryHandler& handler, types::Message&& message,
    const std::weak_ptr<SubscriptionHolder>& subscription) {
  // Taken before the handler runs: a handler that waits (a request) runs other deliveries on this
  // thread meanwhile.
  const auto delivery = traffic_.current_delivery();
  switch (fault) {
    case FaultKind::duplicate_delivery: {
      types::Message second = CopyDelivered(message);
      (void)handler(std::move(message));
      if (delivery) traffic_.record_duplicate(*delivery, runtime_.now());
      return handler(std::move(second));
    }
    case FaultKind::expire_lock: {
      auto outcome = handler(std::move(message));
      if (delivery) {
        // Let time run until the broker takes the lock back; the outcome then settles nothing.
        runtime_.wait_until(
            [&] { return traffic_.happened_after(TrafficKind::lock_expired, delivery->message, delivery->sequence); },
            TimePoint::max());
      }
      return outcome;
    }
    case FaultKind::close_consumer:
      if (auto holder = subscription.lock()) holder->close();
      return handler(std::move(message));
    case FaultKind::fail_send: break;
  }
  return handler(std::move(message));
}

}  // namespace wasmq::testkit::detail
