#pragma once
/// The host side of revision R1 (wasi/messaging/r1/): one Session per guest instance says where
/// the guest's channels are (R1 has no client), keeps the subscriptions it made by token, and
/// hands each event to the guest's `on-receive`.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r1/service.hpp>
#include <wasmq/host/host.hpp>

#include <cstddef>
#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq::host::r1 {

namespace r1types = ::wasi::messaging::r1::types;

/// How the host runs one R1 guest.
struct SessionOptions {
  /// The connection name (in the guest's registry) its channels are on.
  std::string connection{"inproc"};
  /// Most subscriptions the guest may hold at once.
  std::size_t max_subscriptions = 64;
  /// How on-receive's result settles a delivery (see handler::Guest).
  OutcomePolicy outcome{};
  wasmq::ConsumerOptions consumer{};
};

/// One R1 guest: its publishes, its subscriptions by token, and its handler. Thread-safe.
/// Destroying it ends every subscription (waiting for a running on-receive to return).
class Session {
 public:
  Session(std::shared_ptr<const GuestContext> context, std::shared_ptr<::wasi::messaging::r1::handler::Guest> guest,
          SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// pub::Publish for this guest.
  [[nodiscard]] std::expected<void, r1types::MessagingError> Publish(const r1types::Channel& channel,
                                                                     const r1types::Event& event);
  /// sub::Subscribe for this guest.
  [[nodiscard]] std::expected<r1types::SubscriptionToken, r1types::MessagingError> Subscribe(
      const r1types::Channel& channel);
  /// sub::Unsubscribe for this guest.
  [[nodiscard]] std::expected<void, r1types::MessagingError> Unsubscribe(std::string_view token);
  /// Subscriptions the guest holds.
  [[nodiscard]] std::size_t Subscriptions() const;
  [[nodiscard]] const std::shared_ptr<const GuestContext>& Context() const noexcept { return context_; }

 private:
  std::shared_ptr<const GuestContext> context_;
  std::shared_ptr<incoming_handler::Guest> deliveries_;  // hands events to the guest's on-receive
  SessionOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, GuestSubscription, std::less<>> subscriptions_;  // by token; guarded by mutex_
};

/// Makes `session` (and its guest context) current on this thread for its lifetime: the R1
/// functions act on the current session.
class ScopedSession {
 public:
  explicit ScopedSession(Session& session);
  ~ScopedSession();
  ScopedSession(const ScopedSession&) = delete;
  ScopedSession& operator=(const ScopedSession&) = delete;

 private:
  ScopedGuest guest_;
  Session* previous_;
};

/// The R1 session current on this thread, or null.
[[nodiscard]] Session* CurrentSession() noexcept;

}  // namespace wasmq::host::r1

WASMQ_PUBLIC_END
