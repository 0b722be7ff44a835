#pragma once
/// The host side of revisions R3 and R4 (wasi/messaging/r3/, r4/): subscribing a guest whose
/// handler takes R3's message, and starting an R4 guest, which names its own topics.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r3/incoming_handler.hpp>
#include <wasi/messaging/r4/incoming_handler.hpp>
#include <wasmq/host/host.hpp>

#include <cstddef>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq::host::r3 {

/// Subscribes an R3 guest as host::SubscribeGuest does a current one: the same checks, errors
/// and settlement; each delivery reaches guest->Handle as an R3 message whose topic is the one it
/// was delivered on.
[[nodiscard]] std::expected<GuestSubscription, types::Error> SubscribeGuest(
    std::shared_ptr<const GuestContext> context, std::string_view connection_name,
    std::shared_ptr<::wasi::messaging::r3::incoming_handler::Guest> guest, const Subscription& subscription);

}  // namespace wasmq::host::r3

namespace wasmq::host::r4 {

/// A started R4 guest: the topics it named and their subscriptions (closed when destroyed).
struct StartedGuest {
  std::vector<std::string> topics{};
  std::vector<GuestSubscription> subscriptions{};
};

/// Starts an R4 guest: calls its `subscribe` export with `context` current, checks every topic it
/// names, and subscribes it to each as `subscription` says (its `topic` replaced). All or nothing.
/// Errors: the guest's own (as `other`), `other` for more than `max_topics` topics or an invalid
/// one, `permission-denied` for a topic its permissions do not cover, and the backend's.
[[nodiscard]] std::expected<StartedGuest, types::Error> StartGuest(
    const std::shared_ptr<const GuestContext>& context, std::string_view connection_name,
    std::shared_ptr<::wasi::messaging::r4::incoming_handler::Guest> guest, const Subscription& subscription = {},
    std::size_t max_topics = 64);

}  // namespace wasmq::host::r4

WASMQ_PUBLIC_END
