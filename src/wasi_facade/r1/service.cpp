#include <wasi/messaging/r1/service.hpp>
#include <wasmq/host/r1_session.hpp>

namespace wasi::messaging::r1 {

namespace {

types::MessagingError NoSession() {
  return types::MessagingError::ServiceUnavailable(
      "no R1 guest session is active on this thread (the host makes one current while the guest runs: "
      "host::r1::ScopedSession)");
}

}  // namespace

std::string_view types::ToString(MessagingError::Kind kind) noexcept {
  switch (kind) {
    case MessagingError::Kind::kPayloadTooLarge: return "payload-too-large";
    case MessagingError::Kind::kQueueOrTopicNotFound: return "queue-or-topic-not-found";
    case MessagingError::Kind::kInsufficientPermissions: return "insufficient-permissions";
    case MessagingError::Kind::kServiceUnavailable: return "service-unavailable";
    case MessagingError::Kind::kDeliveryFailed: return "delivery-failed";
    case MessagingError::Kind::kConnectionLost: return "connection-lost";
    case MessagingError::Kind::kUnsupportedMessageFormat: return "unsupported-message-format";
    case MessagingError::Kind::kUnexpectedError: return "unexpected-error";
  }
  return "unknown";
}

std::expected<void, types::MessagingError> pub::Publish(const types::Channel& c, const types::Event& e) {
  auto* session = ::wasmq::host::r1::CurrentSession();
  if (session == nullptr) return std::unexpected(NoSession());
  return session->Publish(c, e);
}

std::expected<types::SubscriptionToken, types::MessagingError> sub::Subscribe(const types::Channel& c) {
  auto* session = ::wasmq::host::r1::CurrentSession();
  if (session == nullptr) return std::unexpected(NoSession());
  return session->Subscribe(c);
}

std::expected<void, types::MessagingError> sub::Unsubscribe(std::string_view st) {
  auto* session = ::wasmq::host::r1::CurrentSession();
  if (session == nullptr) return std::unexpected(NoSession());
  return session->Unsubscribe(st);
}

}  // namespace wasi::messaging::r1
