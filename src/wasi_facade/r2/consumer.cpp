#include <wasi/messaging/r2/consumer.hpp>
#include <wasmq/host/r2_session.hpp>

namespace wasi::messaging::r2::consumer {

namespace {

types::Error NoSession() {
  return types::Error::Connection(
      "no R2 guest session is active on this thread (the host makes one current while "
      "the guest runs: host::r2::ScopedSession)");
}

}  // namespace

std::expected<void, types::Error> UpdateGuestConfiguration(const types::GuestConfiguration& gc) {
  auto* session = ::wasmq::host::r2::CurrentSession();
  if (session == nullptr) return std::unexpected(NoSession());
  return session->Configure(gc);
}

std::expected<void, types::Error> CompleteMessage(const types::Message& m) {
  auto* session = ::wasmq::host::r2::CurrentSession();
  if (session == nullptr) return std::unexpected(NoSession());
  return session->Settle(m, true);
}

std::expected<void, types::Error> AbandonMessage(const types::Message& m) {
  auto* session = ::wasmq::host::r2::CurrentSession();
  if (session == nullptr) return std::unexpected(NoSession());
  return session->Settle(m, false);
}

}  // namespace wasi::messaging::r2::consumer
