#include <wasi/messaging/host.hpp>
#include <wasi/messaging/request_reply.hpp>

#include <limits>

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
  const std::uint32_t wanted = expected ? *expected : timeout ? std::numeric_limits<std::uint32_t>::max() : 1;
  return (*state)->backend->Request(host::Backend::CopyToBrokerMessage(topic, message), timeout, wanted);
}

std::expected<void, types::Error> Reply(const types::Message& reply_to, types::Message&& message) {
  auto route = host::Backend::ReplyRoute(reply_to);
  if (!route) {
    return std::unexpected(types::Error::Other(
        "the message has no reply address: it was not sent with request, or was not delivered by a host"));
  }
  auto& [address, backend] = *route;
  return backend->Publish(host::Backend::ToBrokerMessage(address, std::move(message)));
}

}  // namespace wasi::messaging::request_reply
