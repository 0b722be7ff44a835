#include <wasmq/backends/inproc.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/host/reply_inbox.hpp>

#include <wasmq/name.hpp>

#include "unfit_delivery.hpp"

#include <mutex>
#include <vector>

namespace wasmq::host {

namespace {

/// The current guest: a pointer to a context held by a live ScopedGuest or GuestTurn on this
/// thread, or to `restored_guest`; so making a guest current per delivery moves no reference
/// count. What a scope restores is an owning copy, kept in `restored_guest` once the scope ends:
/// scopes that end out of order restore a stale guest, never a dangling one.
thread_local const std::shared_ptr<const GuestContext>* current_guest = nullptr;
thread_local std::shared_ptr<const GuestContext> restored_guest;

/// What was current when a scope began, owned, so that it outlives whatever held it then.
std::shared_ptr<const GuestContext> CurrentOwned() { return current_guest != nullptr ? *current_guest : nullptr; }

// Nothing but current_guest points at restored_guest, so it may be replaced here; restoring no
// guest empties it, so that properly nested scopes leave nothing held (a context kept to the
// thread's end would keep its registry's backends past their brokers).
// Inlined: a guest's turn ends with it after every delivery.
[[gnu::always_inline]] inline void Restore(std::shared_ptr<const GuestContext>&& previous) noexcept {
  // On a runtime's thread nothing was current and nothing is kept: only the pointer goes back.
  if (!previous && !restored_guest) {
    current_guest = nullptr;
    return;
  }
  restored_guest = std::move(previous);
  current_guest = restored_guest ? &restored_guest : nullptr;
}

/// Makes a context current for one call without taking a reference to it: `context` is held by
/// the subscription's handler, which outlives the call. On a runtime's thread nothing is current
/// before a delivery, so what it saves is empty and costs no reference count either.
class GuestTurn {
 public:
  explicit GuestTurn(const std::shared_ptr<const GuestContext>& context) : previous_(CurrentOwned()) {
    current_guest = &context;
  }
  ~GuestTurn() { Restore(std::move(previous_)); }
  GuestTurn(const GuestTurn&) = delete;
  GuestTurn& operator=(const GuestTurn&) = delete;

 private:
  std::shared_ptr<const GuestContext> previous_;
};

bool AnyMatches(const std::vector<std::string>& patterns, std::string_view topic) noexcept {
  for (const auto& pattern : patterns) {
    if (wasmq::matches(pattern, topic)) return true;
  }
  return false;
}

/// Hands one delivery to a subscribed guest, with the guest's context current, if a guest may be
/// given it at all.
std::expected<void, types::Error> HandOver(const std::shared_ptr<const GuestContext>& context,
                                           incoming_handler::Guest& guest, types::Message&& message) {
  if (auto unfit = UnfitDelivery(message)) {
    // Told to the backend as the result that settles it so: ok, or permission-denied (reject).
    if (unfit->action == Settlement::Action::kAccept) return {};
    return std::unexpected(types::Error::PermissionDenied(std::move(unfit->reason)));
  }
  GuestTurn current(context);
  return guest.Handle(std::move(message));
}

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

std::expected<std::unique_ptr<PullSubscription>, types::Error> Backend::SubscribePull(
    const Subscription& subscription) {
  return std::unexpected(
      types::Error::Other("this backend cannot hand deliveries over unsettled, so it cannot "
                          "subscribe '" +
                          subscription.topic + "' for a guest that settles them itself"));
}

std::expected<void, types::Error> Backend::PublishBytes(std::string_view topic, std::span<const std::uint8_t> payload) {
  return Publish(wasmq::Message{.topic = std::string(topic), .payload = wasmq::Payload::copy_of(payload)});
}

std::expected<void, types::Error> Backend::PublishGuestMessage(std::string_view topic, types::Message&& message) {
  // A larger payload is a shared buffer: the Message form moves it, where bytes would be copied.
  if (!message.content_type_ && message.metadata_.Empty() &&
      message.payload_.size() <= wasmq::Payload::inline_capacity) {
    return PublishBytes(topic, message.payload_.bytes());
  }
  return Publish(ToBrokerMessage(topic, std::move(message)));
}

wasmq::Message Backend::ToBrokerMessage(std::string_view topic, types::Message&& message) {
  // Built in place, not assigned field by field into a default message.
  wasmq::Message out{.topic = std::string(topic),
                     .payload = std::move(message.payload_),  // the buffer moves; no byte is copied
                     .content_type = std::move(message.content_type_)};
  if (!message.metadata_.Empty()) {
    out.metadata.reserve(message.metadata_.Size());
    message.metadata_.TakeEach(
        [&](std::string&& key, std::string&& value) { out.metadata.emplace_back(std::move(key), std::move(value)); });
  }
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

types::Message Backend::Delivered(const wasmq::SharedMessage& message, const std::shared_ptr<Backend>& origin) {
  // The payload shares a large message's buffer; a small one's bytes are copied once.
  types::Message out(message.share_payload(), message.topic(), message.content_type(), message.reply_to());
  if (const wasmq::Metadata& metadata = message.metadata(); !metadata.empty()) {  // most have none: no reserve
    out.metadata_.Reserve(metadata.size());
    for (const auto& [key, value] : metadata) out.metadata_.Add(std::string_view(key), std::string_view(value));
  }
  if (out.reply_to_) out.origin_ = origin;  // see ReplyRoute: only a request needs it
  return out;
}

types::Message Backend::Delivered(const wasmq::Message& message, const std::shared_ptr<Backend>& origin) {
  // Each string is copied once either way: into the copy here, then moved.
  return Delivered(wasmq::Message(message), origin);
}

types::Message Backend::Delivered(wasmq::Message&& message, const std::shared_ptr<Backend>& origin) {
  types::Message out;
  out.payload_ = std::move(message.payload);
  out.topic_ = std::move(message.topic);
  out.content_type_ = std::move(message.content_type);
  out.metadata_.Reserve(message.metadata.size());
  for (auto& [key, value] : message.metadata) out.metadata_.AddOwned(std::move(key), std::move(value));
  out.reply_to_ = std::move(message.reply_to);
  if (out.reply_to_) out.origin_ = origin;  // see ReplyRoute: only a request needs it
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

bool Permissions::MayPublish(std::string_view topic) const noexcept { return AnyMatches(publish, topic); }
bool Permissions::MaySubscribe(std::string_view topic) const noexcept {
  for (const auto& pattern : subscribe) {
    if (wasmq::covers(pattern, topic)) return true;
  }
  return false;
}

void ConnectionRegistry::AddBroker(std::string_view name, wasmq::Broker& broker) {
  const std::string url = "inproc://" + std::string(name);
  auto backend = backends::MakeInprocBackend(broker);
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

ScopedGuest::ScopedGuest(std::shared_ptr<const GuestContext> context)
    : context_(std::move(context)), previous_(CurrentOwned()) {
  current_guest = &context_;
}

ScopedGuest::~ScopedGuest() { Restore(std::move(previous_)); }

std::shared_ptr<const GuestContext> CurrentGuest() noexcept {
  return current_guest != nullptr ? *current_guest : nullptr;
}

std::expected<GuestSubscription, types::Error> SubscribeGuest(std::shared_ptr<const GuestContext> context,
                                                              std::string_view connection_name,
                                                              std::shared_ptr<incoming_handler::Guest> guest,
                                                              const Subscription& subscription) {
  if (!context || !context->registry || !guest) {
    return std::unexpected(types::Error::Other("SubscribeGuest needs a guest context with a registry, and a guest"));
  }
  auto valid =
      subscription.queue ? wasmq::validate_name(subscription.topic) : wasmq::validate_pattern(subscription.topic);
  if (!valid) return std::unexpected(types::Error::Other("invalid subscription: " + valid.error().message()));
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

}  // namespace wasmq::host
