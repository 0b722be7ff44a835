#include <wasi/messaging/host.hpp>
#include <wasi/messaging/reply_inbox.hpp>

#include <wasmq/name.hpp>

#include <atomic>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace wasi::messaging::host {

namespace {

thread_local std::shared_ptr<const GuestContext> current_guest;

bool AnyMatches(const std::vector<std::string>& patterns, std::string_view topic) noexcept {
  for (const auto& pattern : patterns) {
    if (wasmq::matches(pattern, topic)) return true;
  }
  return false;
}

types::Error ToWitError(const wasmq::Error& error) {
  std::string text = std::string(wasmq::to_string(error.code)) + ": " + error.message;
  switch (error.code) {
    case wasmq::Errc::timeout: return types::Error::Timeout();
    case wasmq::Errc::closed: return types::Error::Connection(std::move(text));
    default: return types::Error::Other(std::move(text));
  }
}

std::atomic<std::uint64_t> next_inbox{1};

/// Hands one delivery to a subscribed guest, with the guest's context current, if a guest may be
/// given it at all.
std::expected<void, types::Error> HandOver(const std::shared_ptr<const GuestContext>& context,
                                           incoming_handler::Guest& guest, types::Message&& message) {
  // A wildcard (`>`, `*.*.*`) also matches reply inboxes: replies meant for a request are never
  // handed to a guest that merely subscribes broadly. Accepted, so they do not come back.
  if (IsUnderInbox(message.TopicView())) return {};
  // WIT strings are UTF-8: a message from outside (a NATS peer, a native publisher) that is not
  // cannot be handed to a guest. Rejected, so that it is dead-lettered with the reason.
  if (!message.StringsAreUtf8()) {
    return std::unexpected(types::Error::PermissionDenied(
        "the message's topic, content type or metadata is not valid UTF-8: no guest can be given it"));
  }
  ScopedGuest current(context);
  return guest.Handle(std::move(message));
}

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

std::string_view ToString(Settlement::Action action) noexcept {
  switch (action) {
    case Settlement::Action::kAccept: return "accept";
    case Settlement::Action::kRelease: return "release";
    case Settlement::Action::kReject: return "reject";
  }
  return "unknown";
}

Settlement OutcomePolicy::Decide(const std::expected<void, types::Error>& result) const {
  if (result) return {};
  const types::Error& error = result.error();
  switch (error.GetKind()) {
    case types::Error::Kind::kTimeout:
    case types::Error::Kind::kConnection: return {Settlement::Action::kRelease, retry_delay, {}};
    case types::Error::Kind::kPermissionDenied: return {Settlement::Action::kReject, {}, error.Message()};
    case types::Error::Kind::kOther:
      if (reject_other) return {Settlement::Action::kReject, {}, error.Message()};
      return {Settlement::Action::kRelease, retry_delay, {}};
  }
  return {};
}

wasmq::Message Backend::ToBrokerMessage(std::string_view topic, types::Message&& message) {
  wasmq::Message out;
  out.topic = std::string(topic);
  out.payload = std::move(message.payload_);  // the buffer moves; no byte is copied
  out.content_type = std::move(message.content_type_);
  out.metadata.reserve(message.metadata_.Size());
  message.metadata_.TakeEach(
      [&](std::string&& key, std::string&& value) { out.metadata.emplace_back(std::move(key), std::move(value)); });
  // A guest's send carries no reply address, even of a message it was delivered: replies go
  // only to requests, whose addresses the host makes.
  return out;
}

wasmq::Message Backend::CopyToBrokerMessage(std::string_view topic, const types::Message& message) {
  wasmq::Message out;
  out.topic = std::string(topic);
  out.payload = message.payload_;  // shares the buffer
  out.content_type = message.content_type_;
  out.metadata.reserve(message.metadata_.Size());
  message.metadata_.ForEach(
      [&](const std::string& key, const std::string& value) { out.metadata.emplace_back(key, value); });
  return out;
}

types::Message Backend::Delivered(const wasmq::Message& message, std::shared_ptr<Backend> origin) {
  types::Message out;
  out.payload_ = message.payload;  // shares the buffer
  out.topic_ = message.topic;
  out.content_type_ = message.content_type;
  out.metadata_.Reserve(message.metadata.size());
  for (const auto& [key, value] : message.metadata) out.metadata_.Add(std::string_view(key), std::string_view(value));
  out.reply_to_ = message.reply_to;
  out.origin_ = std::move(origin);
  return out;
}

types::Message Backend::Delivered(wasmq::Message&& message, std::shared_ptr<Backend> origin) {
  types::Message out;
  out.payload_ = std::move(message.payload);
  out.topic_ = std::move(message.topic);
  out.content_type_ = std::move(message.content_type);
  out.metadata_.Reserve(message.metadata.size());
  for (auto& [key, value] : message.metadata) out.metadata_.AddOwned(std::move(key), std::move(value));
  out.reply_to_ = std::move(message.reply_to);
  out.origin_ = std::move(origin);
  return out;
}

std::optional<std::pair<std::string, std::shared_ptr<Backend>>> Backend::ReplyRoute(const types::Message& message) {
  if (!message.reply_to_ || !message.origin_) return std::nullopt;
  return std::make_pair(*message.reply_to_, message.origin_);
}

types::Message Backend::Redirect(types::Message&& delivered, std::shared_ptr<Backend> origin) {
  delivered.origin_ = std::move(origin);
  return std::move(delivered);
}

types::Message Backend::CopyDelivered(const types::Message& delivered) {
  types::Message out;
  out.payload_ = delivered.payload_;  // shares the buffer
  out.topic_ = delivered.topic_;
  out.content_type_ = delivered.content_type_;
  out.metadata_ = delivered.metadata_;
  out.reply_to_ = delivered.reply_to_;
  out.origin_ = delivered.origin_;
  return out;
}

std::shared_ptr<Backend> MakeInprocBackend(wasmq::Broker& broker) { return std::make_shared<InprocBackend>(broker); }

bool Permissions::MayPublish(std::string_view topic) const noexcept { return AnyMatches(publish, topic); }
bool Permissions::MaySubscribe(std::string_view topic) const noexcept {
  for (const auto& pattern : subscribe) {
    if (wasmq::covers(pattern, topic)) return true;
  }
  return false;
}

void ConnectionRegistry::AddBroker(std::string_view name, wasmq::Broker& broker) {
  const std::string url = "inproc://" + std::string(name);
  auto backend = MakeInprocBackend(broker);
  std::lock_guard lock(mutex_);
  backends_.insert_or_assign(url, backend);
  backends_.try_emplace("inproc", backend);  // the first broker is the default
}

void ConnectionRegistry::Add(std::string_view connection_name, std::shared_ptr<Backend> backend) {
  std::lock_guard lock(mutex_);
  backends_.insert_or_assign(std::string(connection_name), std::move(backend));
}

std::expected<std::shared_ptr<Backend>, types::Error> ConnectionRegistry::Resolve(
    std::string_view connection_name) const {
  std::lock_guard lock(mutex_);
  if (auto found = backends_.find(connection_name); found != backends_.end()) return found->second;
  std::string known;
  for (const auto& [name, backend] : backends_) known += (known.empty() ? "" : ", ") + name;
  return std::unexpected(types::Error::Connection("unknown connection name '" + std::string(connection_name) +
                                                  "'; this host knows: " + (known.empty() ? "(none)" : known)));
}

ScopedGuest::ScopedGuest(std::shared_ptr<const GuestContext> context) : previous_(std::move(current_guest)) {
  current_guest = std::move(context);
}

ScopedGuest::~ScopedGuest() { current_guest = std::move(previous_); }

std::shared_ptr<const GuestContext> CurrentGuest() noexcept { return current_guest; }

std::expected<GuestSubscription, types::Error> SubscribeGuest(std::shared_ptr<const GuestContext> context,
                                                              std::string_view connection_name,
                                                              std::shared_ptr<incoming_handler::Guest> guest,
                                                              const Subscription& subscription) {
  if (!context || !context->registry || !guest) {
    return std::unexpected(types::Error::Other("SubscribeGuest needs a guest context with a registry, and a guest"));
  }
  auto valid =
      subscription.queue ? wasmq::validate_name(subscription.topic) : wasmq::validate_pattern(subscription.topic);
  if (!valid) return std::unexpected(types::Error::Other("invalid subscription: " + valid.error().message));
  if (IsUnderInbox(subscription.topic)) {
    return std::unexpected(
        types::Error::PermissionDenied("guest '" + context->identity + "' may not subscribe to '" + subscription.topic +
                                       "': names under '_INBOX' are reply inboxes, which only the host reads"));
  }
  if (!context->permissions.MaySubscribe(subscription.topic)) {
    return std::unexpected(types::Error::PermissionDenied("guest '" + context->identity + "' may not subscribe to '" +
                                                          subscription.topic + "'"));
  }
  auto backend = context->registry->Resolve(connection_name);
  if (!backend) return std::unexpected(backend.error());
  auto handle = (*backend)->Subscribe(
      subscription, [context = std::move(context), guest = std::move(guest)](types::Message&& message) {
        return HandOver(context, *guest, std::move(message));
      });
  if (!handle) return std::unexpected(handle.error());
  return GuestSubscription(std::move(*handle));
}

}  // namespace wasi::messaging::host
