// The embedded backend: the facade on an in-process wasmq::Broker. Topics are broker
// subscriptions, queues are broker queues, and a request waits on this backend's one reply
// inbox, `_INBOX.<backend>.*`.
#include <wasmq/backends/inproc.hpp>
#include <wasmq/host/reply_inbox.hpp>

#include <wasmq/broker.hpp>

#include <atomic>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace wasmq::backends {

namespace {

using host::Backend;
using host::NewReplyToken;
using host::OutcomePolicy;
using host::Settlement;
using host::Subscription;
namespace types = wasi::messaging::types;

types::Error ToWitError(const wasmq::Error& error) {
  std::string text = std::string(wasmq::to_string(error.code)) + ": " + error.message();
  switch (error.code) {
    case wasmq::Errc::timeout: return types::Error::Timeout();
    case wasmq::Errc::closed: return types::Error::Connection(std::move(text));
    default: return types::Error::Other(std::move(text));
  }
}

std::atomic<std::uint64_t> next_inbox{1};

/// Settles `delivery` as `settlement` says. A delivery settled already, or whose lock expired,
/// stays as it is (the broker refuses a second settlement).
void Apply(wasmq::Delivery& delivery, const Settlement& settlement) {
  switch (settlement.action) {
    case Settlement::Action::kAccept: (void)delivery.accept(); return;
    case Settlement::Action::kRelease: (void)delivery.release(settlement.delay); return;
    case Settlement::Action::kReject: (void)delivery.reject(settlement.reason); return;
  }
}

/// Settles `delivery` by what the guest's handler returned (see incoming_handler::Guest).
void Settle(wasmq::Delivery& delivery, const std::expected<void, types::Error>& outcome, const OutcomePolicy& policy) {
  // Ok is accepted whatever the policy (OutcomePolicy::Decide); most deliveries take this branch,
  // which builds no Settlement.
  if (outcome) {
    (void)delivery.accept();
    return;
  }
  Apply(delivery, policy.Decide(outcome));
}

/// A broker delivery held for the host; dropped unsettled, the broker releases it.
class HeldBrokerDelivery final : public host::HeldDelivery {
 public:
  explicit HeldBrokerDelivery(wasmq::Delivery delivery) : delivery_(std::move(delivery)) {}
  void Settle(const Settlement& settlement) override { Apply(delivery_, settlement); }

 private:
  wasmq::Delivery delivery_;
};

/// A broker receiver: Take is a receive for the first delivery and non-blocking ones after it.
class BrokerPullSubscription final : public host::PullSubscription {
 public:
  BrokerPullSubscription(wasmq::Receiver receiver, std::shared_ptr<Backend> origin)
      : receiver_(std::move(receiver)), origin_(std::move(origin)) {}

  std::expected<std::vector<host::HeldMessage>, types::Error> Take(std::size_t max,
                                                                   std::chrono::milliseconds wait) override {
    std::vector<host::HeldMessage> taken;
    while (taken.size() < max) {
      std::optional<wasmq::Delivery> delivery;
      if (taken.empty() && wait > std::chrono::milliseconds::zero()) {
        auto received = receiver_.receive(wait);
        if (received) delivery.emplace(std::move(*received));
        if (!received && received.error().code != wasmq::Errc::timeout) return Failed(received.error(), taken);
      } else {
        auto received = receiver_.try_receive();
        if (!received) return Failed(received.error(), taken);
        delivery = std::move(*received);
      }
      if (!delivery) break;  // nothing more is waiting
      types::Message message = Backend::Delivered(delivery->message(), origin_);
      taken.emplace_back(std::move(message), std::make_unique<HeldBrokerDelivery>(std::move(*delivery)));
    }
    return taken;
  }

 private:
  /// What was taken before `error` is kept when the error only says no more may be held now.
  static std::expected<std::vector<host::HeldMessage>, types::Error> Failed(const wasmq::Error& error,
                                                                            std::vector<host::HeldMessage>& taken) {
    if (error.code == wasmq::Errc::too_many_in_flight) return std::move(taken);
    return std::unexpected(ToWitError(error));
  }

  wasmq::Receiver receiver_;
  std::shared_ptr<Backend> origin_;
};
class InprocBackend final : public Backend {
 public:
  explicit InprocBackend(wasmq::Broker& broker) : broker_(broker) {}

  std::expected<void, types::Error> Publish(wasmq::Message&& message) override {
    auto receipt = broker_.publish(std::move(message));
    if (!receipt) return std::unexpected(ToWitError(receipt.error()));
    return {};
  }

  std::expected<void, types::Error> PublishBytes(std::string_view topic,
                                                 std::span<const std::uint8_t> payload) override {
    auto receipt = broker_.publish(topic, payload);
    if (!receipt) return std::unexpected(ToWitError(receipt.error()));
    return {};
  }

  std::expected<std::vector<types::Message>, types::Error> Request(wasmq::Message&& request,
                                                                   std::optional<std::chrono::milliseconds> timeout,
                                                                   std::uint32_t expected_replies) override {
    if (auto open = OpenInbox(); !open) return std::unexpected(open.error());
    wasmq::Runtime& runtime = broker_.runtime();
    auto waiting = std::make_shared<WaitingRequest>();
    waiting->expected = expected_replies;
    std::string token = NewReplyToken();
    {
      std::lock_guard lock(waiting_mutex_);
      waiting_.emplace(token, waiting);
    }
    const auto forget = [&] {
      std::lock_guard lock(waiting_mutex_);
      waiting_.erase(token);
    };

    const std::string topic = request.topic;
    request.reply_to = inbox_prefix_ + token;
    auto receipt = broker_.publish(std::move(request));
    if (!receipt || receipt->routed == 0) {
      forget();
      if (!receipt) return std::unexpected(ToWitError(receipt.error()));
      return std::unexpected(types::Error::Other("no responders: nothing receives '" + topic + "'"));
    }
    const wasmq::TimePoint deadline = timeout ? runtime.now() + *timeout : wasmq::TimePoint::max();
    runtime.wait_until(
        [&] {
          std::lock_guard lock(waiting->mutex);
          return waiting->received.size() >= expected_replies;
        },
        deadline);
    forget();  // later replies find nobody waiting and are dropped
    std::lock_guard lock(waiting->mutex);
    if (waiting->received.empty()) return std::unexpected(types::Error::Timeout());
    return std::move(waiting->received);
  }

  std::expected<SubscriptionHandle, types::Error> Subscribe(const Subscription& subscription,
                                                            DeliveryHandler handler) override {
    auto on_delivery = [handler = std::move(handler), origin = shared_from_this(),
                        policy = subscription.outcome](wasmq::Delivery& delivery) {
      // A handler that throws propagates: the broker counts a failed delivery and applies backoff.
      Settle(delivery, handler(Delivered(delivery.message(), origin)), policy);
    };
    auto consumer =
        subscription.queue
            ? broker_.consume(subscription.topic, subscription.consumer, std::move(on_delivery))
            : broker_.subscribe(subscription.topic, {.group = subscription.group, .consumer = subscription.consumer},
                                std::move(on_delivery));
    if (!consumer) return std::unexpected(ToWitError(consumer.error()));
    return std::make_shared<wasmq::Consumer>(std::move(*consumer));
  }

  std::expected<std::unique_ptr<host::PullSubscription>, types::Error> SubscribePull(
      const Subscription& subscription) override {
    auto receiver = subscription.queue
                        ? broker_.open_receiver(subscription.topic, subscription.consumer)
                        : broker_.subscribe_receiver(subscription.topic,
                                                     {.group = subscription.group, .consumer = subscription.consumer});
    if (!receiver) return std::unexpected(ToWitError(receiver.error()));
    return std::make_unique<BrokerPullSubscription>(std::move(*receiver), shared_from_this());
  }

 private:
  /// Replies collected for one request: never more than it expects, however many arrive.
  struct WaitingRequest {
    std::mutex mutex;
    std::vector<types::Message> received;
    std::uint32_t expected = 1;
  };

  /// Subscribes this backend's one inbox, `_INBOX.<backend>.*`, on first use. A reply goes to
  /// `_INBOX.<backend>.<token>` (see reply_inbox.hpp) and is handed to the request waiting under
  /// that token: one subscription for every request, instead of a subscription made and removed
  /// per request (each of which rebuilds the broker's routing).
  std::expected<void, types::Error> OpenInbox() {
    std::lock_guard lock(inbox_mutex_);
    if (inbox_) return {};
    auto inbox = broker_.subscribe(inbox_prefix_ + "*", {}, [weak = weak_from_this()](wasmq::Delivery& delivery) {
      (void)delivery.accept();
      auto self = std::static_pointer_cast<InprocBackend>(weak.lock());
      if (self) self->OnReply(delivery.message());
    });
    if (!inbox) return std::unexpected(ToWitError(inbox.error()));
    inbox_.emplace(std::move(*inbox));
    return {};
  }

  void OnReply(const wasmq::SharedMessage& reply) {
    const std::string_view token = reply.topic().substr(inbox_prefix_.size());
    std::shared_ptr<WaitingRequest> waiting;
    {
      std::lock_guard lock(waiting_mutex_);
      if (auto found = waiting_.find(token); found != waiting_.end()) waiting = found->second;
    }
    if (!waiting) return;  // its request has returned already, or the token was never made
    {
      std::lock_guard lock(waiting->mutex);
      if (waiting->received.size() >= waiting->expected) return;  // a flood of replies holds nothing
      waiting->received.push_back(Delivered(reply, shared_from_this()));
    }
    broker_.runtime().notify_waiters();
  }

  struct TokenHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view token) const noexcept { return std::hash<std::string_view>{}(token); }
  };

  wasmq::Broker& broker_;
  const std::string inbox_prefix_ =
      "_INBOX." + std::to_string(next_inbox.fetch_add(1, std::memory_order_relaxed)) + ".";
  std::mutex inbox_mutex_;
  std::optional<wasmq::Consumer> inbox_;  // guarded by inbox_mutex_ until set
  std::mutex waiting_mutex_;
  std::unordered_map<std::string, std::shared_ptr<WaitingRequest>, TokenHash, std::equal_to<>> waiting_;
};

}  // namespace

std::shared_ptr<host::Backend> MakeInprocBackend(wasmq::Broker& broker) {
  return std::make_shared<InprocBackend>(broker);
}

}  // namespace wasmq::backends
