#include <wasi/messaging/request_reply.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/host/reply_inbox.hpp>
#include <wasmq/name.hpp>

#include <algorithm>

#include <limits>

// The host layer, by the short name this file uses for it.
namespace wasi::messaging {
namespace host = ::wasmq::host;
}  // namespace wasi::messaging

namespace wasi::messaging::request_reply {

std::expected<std::vector<types::Message>, types::Error> Request(const types::Client& c, std::string_view topic,
                                                                 const types::Message& message,
                                                                 std::optional<RequestOptions>&& options) {
  auto state = host::ClientState::ForPublishing(c, topic, "send requests to");
  if (!state) return std::unexpected(state.error());
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<std::uint32_t> expected;
  if (options) {
    if (auto ms = options->TimeoutMs()) timeout = std::chrono::milliseconds(*ms);
    expected = options->ExpectedReplies();
  }
  if (expected && *expected == 0) {
    return std::unexpected(types::Error::Other("expected replies must be at least 1"));
  }
  // The four behaviours of the WIT: nothing set → one reply; a timeout alone → all that arrive in
  // time; a count (with or without a timeout) → up to that many.
  // The guest's max_replies bounds what the host holds for it either way.
  const std::uint32_t max_replies = std::max<std::uint32_t>(1, (*state)->guest->limits.max_replies);
  const std::uint32_t wanted = std::min(expected ? *expected : timeout ? max_replies : 1, max_replies);
  return (*state)->backend->Request(host::Backend::CopyToBrokerMessage(topic, message), timeout, wanted);
}

std::expected<void, types::Error> Reply(const types::Message& reply_to, types::Message&& message) {
  auto route = host::Backend::ReplyRoute(reply_to);
  if (!route) {
    return std::unexpected(types::Error::Other(
        "the message has no reply address: it was not sent with request, or was not delivered by a host"));
  }
  auto& [address, backend] = *route;
  // An inbox address was made by a host for a request this guest was delivered (a guest can
  // neither publish there nor set a reply address). Any other address is the publisher's
  // choice, so answering it is a publish like any other: the replying guest's permissions apply.
  if (!host::IsUnderInbox(address)) {
    auto guest = host::CurrentGuest();
    if (!guest) {
      return std::unexpected(types::Error::Connection(
          "cannot reply to '" + address + "': no guest context is active on this thread (host::ScopedGuest)"));
    }
    if (!guest->permissions.MayPublish(address)) {
      return std::unexpected(types::Error::PermissionDenied("guest '" + guest->identity + "' may not reply to '" +
                                                            address + "': it may not publish there"));
    }
  }
  if (auto valid = wasmq::validate_name(address); !valid) {
    return std::unexpected(types::Error::Other("invalid reply address: " + valid.error().message()));
  }
  return backend->PublishGuestMessage(address, std::move(message));
}

}  // namespace wasi::messaging::request_reply
