#include <wasmq/host/cloudevents.hpp>
#include <wasmq/host/r1_session.hpp>
#include <wasmq/host/reply_inbox.hpp>

namespace wasmq::host::r1 {

namespace {

thread_local Session* current_session = nullptr;

using r1types::MessagingError;

/// The broker's and the backends' errors as R1 names them.
MessagingError ToMessagingError(const types::Error& error) {
  const std::string& text = error.Message();
  switch (error.GetKind()) {
    case types::Error::Kind::kTimeout: return MessagingError::DeliveryFailed("timed out: a bounded queue stayed full");
    case types::Error::Kind::kConnection: return MessagingError::ConnectionLost(text);
    case types::Error::Kind::kPermissionDenied: return MessagingError::InsufficientPermissions(text);
    case types::Error::Kind::kOther: break;
  }
  if (text.starts_with("payload_too_large")) return MessagingError::PayloadTooLarge(text);
  // The embedded backend's texts begin with the broker's code (wasmq::to_string(Errc)); the
  // facade's own checks say "invalid topic" or "invalid subscription".
  if (text.starts_with("no_such_queue") || text.starts_with("invalid")) {
    return MessagingError::QueueOrTopicNotFound(text);
  }
  return MessagingError::UnexpectedError(text);
}

/// What the current revision's settlement policy makes of on-receive's error.
types::Error FromMessagingError(const MessagingError& error) {
  switch (error.GetKind()) {
    case MessagingError::Kind::kDeliveryFailed:
    case MessagingError::Kind::kServiceUnavailable:
    case MessagingError::Kind::kConnectionLost: return types::Error::Connection(error.Message());
    case MessagingError::Kind::kInsufficientPermissions:
    case MessagingError::Kind::kUnsupportedMessageFormat: return types::Error::PermissionDenied(error.Message());
    default: return types::Error::Other(error.Message());
  }
}

/// Hands each delivery to the guest's on-receive as an event, with the session current.
class EventDeliveries final : public incoming_handler::Guest {
 public:
  EventDeliveries(Session& session, std::shared_ptr<::wasi::messaging::r1::handler::Guest> guest)
      : session_(session), guest_(std::move(guest)) {}

  std::expected<void, types::Error> Handle(types::Message&& message) override {
    auto event = cloudevents::FromMessage(message);
    // Not an event: no R1 guest can be given it. Rejected, so it is dead-lettered with the reason.
    if (!event) return std::unexpected(types::Error::PermissionDenied(event.error()));
    ScopedSession current(session_);
    auto received = guest_->OnReceive(*event);
    if (!received) return std::unexpected(FromMessagingError(received.error()));
    return {};
  }

 private:
  Session& session_;  // outlives its subscriptions, which it ends first when destroyed
  std::shared_ptr<::wasi::messaging::r1::handler::Guest> guest_;
};

}  // namespace

Session::Session(std::shared_ptr<const GuestContext> context,
                 std::shared_ptr<::wasi::messaging::r1::handler::Guest> guest, SessionOptions options)
    : context_(std::move(context)),
      deliveries_(std::make_shared<EventDeliveries>(*this, std::move(guest))),
      options_(std::move(options)) {}

Session::~Session() {
  std::map<std::string, GuestSubscription, std::less<>> subscriptions;
  {
    std::lock_guard lock(mutex_);
    subscriptions.swap(subscriptions_);
  }
  subscriptions.clear();  // waits for a running on-receive, before this session goes
}

std::expected<void, MessagingError> Session::Publish(const r1types::Channel& channel, const r1types::Event& event) {
  if (!context_ || !context_->registry) return std::unexpected(MessagingError::ServiceUnavailable("no guest context"));
  if (auto allowed = CheckPublish(*context_, channel.Name(), "publish to"); !allowed) {
    return std::unexpected(ToMessagingError(allowed.error()));
  }
  auto message = cloudevents::ToMessage(event, channel.Name());
  if (!message) return std::unexpected(MessagingError::UnsupportedMessageFormat(message.error()));
  if (message->size_bytes() > context_->limits.max_message_bytes) {
    return std::unexpected(MessagingError::PayloadTooLarge(
        "an event of " + std::to_string(message->size_bytes()) + " bytes is larger than the " +
        std::to_string(context_->limits.max_message_bytes) + " this guest may publish"));
  }
  auto backend = context_->registry->Resolve(options_.connection);
  if (!backend) return std::unexpected(MessagingError::ServiceUnavailable(backend.error().Message()));
  if (auto published = (*backend)->Publish(std::move(*message)); !published) {
    return std::unexpected(ToMessagingError(published.error()));
  }
  return {};
}

std::expected<r1types::SubscriptionToken, MessagingError> Session::Subscribe(const r1types::Channel& channel) {
  if (!context_) return std::unexpected(MessagingError::ServiceUnavailable("no guest context"));
  {
    std::lock_guard lock(mutex_);
    if (subscriptions_.size() >= options_.max_subscriptions) {
      return std::unexpected(MessagingError::UnexpectedError(
          "guest '" + context_->identity + "' holds " + std::to_string(subscriptions_.size()) +
          " subscriptions, as many as it may; unsubscribe one first"));
    }
  }
  const Subscription subscription{.topic = channel.Name(),
                                  .group = {},
                                  .queue = channel.GetKind() == r1types::Channel::Kind::kQueue,
                                  .outcome = options_.outcome,
                                  .consumer = options_.consumer};
  auto subscribed = SubscribeGuest(context_, options_.connection, deliveries_, subscription);
  if (!subscribed) return std::unexpected(ToMessagingError(subscribed.error()));
  std::string token = NewReplyToken();
  std::lock_guard lock(mutex_);
  if (subscriptions_.size() >= options_.max_subscriptions) {
    return std::unexpected(
        MessagingError::UnexpectedError("guest '" + context_->identity + "' holds as many subscriptions as it may"));
  }
  subscriptions_.emplace(token, std::move(*subscribed));
  return token;
}

std::expected<void, MessagingError> Session::Unsubscribe(std::string_view token) {
  GuestSubscription ended;
  {
    std::lock_guard lock(mutex_);
    auto found = subscriptions_.find(token);
    if (found == subscriptions_.end()) {
      return std::unexpected(MessagingError::QueueOrTopicNotFound(
          "guest '" + (context_ ? context_->identity : std::string()) +
          "' has no subscription with that token (never made, ended already, or not its own)"));
    }
    ended = std::move(found->second);
    subscriptions_.erase(found);
  }
  ended.Close();  // outside the lock: it may wait for a running on-receive
  return {};
}

std::size_t Session::Subscriptions() const {
  std::lock_guard lock(mutex_);
  return subscriptions_.size();
}

ScopedSession::ScopedSession(Session& session) : guest_(session.Context()), previous_(current_session) {
  current_session = &session;
}

ScopedSession::~ScopedSession() { current_session = previous_; }

Session* CurrentSession() noexcept { return current_session; }

}  // namespace wasmq::host::r1
