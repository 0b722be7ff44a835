#pragma once
/// The interfaces of revision R1's world `service`: `pub` and `sub` (imported) and `handler`
/// (exported). The seed's functions return `result<_, error>` without defining `error`; the only
/// error it defines is `messaging-error`, which these functions return. Each acts on the R1
/// session current on the calling thread (wasmq/host/r1_session.hpp): R1 has no client, so the
/// host's configuration says where a guest's channels are. With no session current, each returns
/// `service-unavailable`.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r1/types.hpp>

#include <expected>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::r1 {

namespace pub {

/// WIT `publish: func(c: channel, e: event) -> result<_, error>`. The event travels in the
/// CloudEvents binary content mode (docs/facade.md). Errors: `unsupported-message-format` (a
/// required attribute empty, or an extension name CloudEvents does not allow),
/// `insufficient-permissions`, `payload-too-large`, `queue-or-topic-not-found` (an invalid name),
/// `connection-lost`, `delivery-failed` (a bounded queue stayed full), `unexpected-error`.
[[nodiscard]] std::expected<void, types::MessagingError> Publish(const types::Channel& c, const types::Event& e);

}  // namespace pub

namespace sub {

/// WIT `subscribe: func(c: channel) -> result<subscription-token, error>`: the guest's handler
/// receives the channel's events until it unsubscribes. A queue's events are shared with its other
/// consumers; a topic's come to every subscriber. The token is unguessable and this guest's own.
[[nodiscard]] std::expected<types::SubscriptionToken, types::MessagingError> Subscribe(const types::Channel& c);

/// WIT `unsubscribe: func(st: subscription-token) -> result<_, error>`. An unknown token, one
/// ended already, or another guest's is `queue-or-topic-not-found`.
[[nodiscard]] std::expected<void, types::MessagingError> Unsubscribe(std::string_view st);

}  // namespace sub

namespace handler {

/// The export a receiving R1 guest implements. Its result settles the delivery: ok → accepted;
/// `delivery-failed`, `service-unavailable`, `connection-lost` → released for a retry;
/// `insufficient-permissions`, `unsupported-message-format` → rejected (dead-lettered); any other
/// → released, or rejected when the session's policy says so.
class Guest {
 public:
  virtual ~Guest() = default;
  /// WIT `on-receive: func(e: event) -> result<_, error>`.
  [[nodiscard]] virtual std::expected<void, types::MessagingError> OnReceive(const types::Event& e) = 0;
};

}  // namespace handler

}  // namespace wasi::messaging::r1

WASMQ_PUBLIC_END
