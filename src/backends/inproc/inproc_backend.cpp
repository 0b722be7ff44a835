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

/// Settles `delivery` by what the guest's handler returned (see incoming_handler::Guest).
void Settle(wasmq::Delivery& delivery, const std::expected<void, types::Error>& outcome, const OutcomePolicy& policy) {
  const Settlement settlement = policy.Decide(outcome);
  switch (settlement.action) {
    case Settlement::Action::kAccept: (void)delivery.accept(); return;
    case Settlement::Action::kRelease: (void)delivery.release(settlement.delay); return;
    case Settlement::Action::kReject: (void)delivery.reject(settlement.reason); return;
  }
}
class InprocBackend final : public Backend {
 public:
  explicit InprocBackend(wasmq::Broker& broker) : broker_(broker) {}

  std::expected<void, types::Error> Publish(wasmq::Message&& message) override {
    auto receipt = broker_.publish(std::move(message));
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

  void OnReply(const wasmq::Message& reply) {
    const std::string_view token = std::string_view(reply.topic).substr(inbox_prefix_.size());
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
