#include <wasmq/host/r3_guest.hpp>
#include <wasmq/host/reply_inbox.hpp>
#include <wasmq/name.hpp>

#include "revision_access.hpp"
#include "revision_errors.hpp"

#include <functional>

namespace wasmq::host {

namespace {

namespace r3types = ::wasi::messaging::r3::types;

/// Hands each delivery to a guest of R3's shape, whatever its revision's export is called.
class R3Deliveries final : public incoming_handler::Guest {
 public:
  using Deliver = std::function<std::expected<void, r3types::Error>(r3types::Message&&)>;
  explicit R3Deliveries(Deliver deliver) : deliver_(std::move(deliver)) {}
  std::expected<void, types::Error> Handle(types::Message&& message) override {
    auto handled = deliver_(RevisionAccess::MakeR3(std::move(message)));
    if (!handled) return std::unexpected(FromR3Error(handled.error()));
    return {};
  }

 private:
  Deliver deliver_;
};

std::shared_ptr<incoming_handler::Guest> MakeDeliveries(R3Deliveries::Deliver deliver) {
  return std::make_shared<R3Deliveries>(std::move(deliver));
}

}  // namespace

std::expected<GuestSubscription, types::Error> r3::SubscribeGuest(
    std::shared_ptr<const GuestContext> context, std::string_view connection_name,
    std::shared_ptr<::wasi::messaging::r3::incoming_handler::Guest> guest, const Subscription& subscription) {
  if (!guest) return std::unexpected(types::Error::Other("SubscribeGuest needs a guest"));
  auto deliveries = MakeDeliveries(
      [guest = std::move(guest)](r3types::Message&& message) { return guest->Handle(std::move(message)); });
  return host::SubscribeGuest(std::move(context), connection_name, std::move(deliveries), subscription);
}

std::expected<r4::StartedGuest, types::Error> r4::StartGuest(
    const std::shared_ptr<const GuestContext>& context, std::string_view connection_name,
    std::shared_ptr<::wasi::messaging::r4::incoming_handler::Guest> guest, const Subscription& subscription,
    std::size_t max_topics) {
  if (!context || !guest) return std::unexpected(types::Error::Other("StartGuest needs a guest context and a guest"));
  std::expected<std::vector<std::string>, r3types::Error> named;
  {
    ScopedGuest current(context);
    named = guest->Subscribe();
  }
  if (!named) return std::unexpected(types::Error::Other("the guest's subscribe failed: " + named.error().Message()));
  if (named->size() > max_topics) {
    return std::unexpected(types::Error::Other("the guest named " + std::to_string(named->size()) +
                                               " topics; at most " + std::to_string(max_topics) + " are allowed"));
  }
  // Every topic is checked before any is subscribed: a guest gets all it asked for, or nothing.
  for (const auto& topic : *named) {
    if (auto valid = wasmq::validate_pattern(topic); !valid) {
      return std::unexpected(types::Error::Other("invalid topic '" + topic + "': " + valid.error().message()));
    }
    if (IsUnderInbox(topic) || !context->permissions.MaySubscribe(topic)) {
      return std::unexpected(
          types::Error::PermissionDenied("guest '" + context->identity + "' may not subscribe to '" + topic + "'"));
    }
  }
  auto deliveries = MakeDeliveries(
      [guest = std::move(guest)](r3types::Message&& message) { return guest->Handle(std::move(message)); });
  StartedGuest started;
  for (const auto& topic : *named) {
    Subscription one = subscription;
    one.topic = topic;
    auto subscribed = host::SubscribeGuest(context, connection_name, deliveries, one);
    if (!subscribed) return std::unexpected(subscribed.error());  // those made so far close here
    started.subscriptions.push_back(std::move(*subscribed));
  }
  started.topics = std::move(*named);
  return started;
}

}  // namespace wasmq::host
