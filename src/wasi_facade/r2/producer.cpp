#include <wasi/messaging/r2/producer.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/utf8.hpp>

#include "../../host/revision_access.hpp"
#include "../../host/revision_errors.hpp"

namespace wasi::messaging::r2::producer {

namespace {

namespace host = ::wasmq::host;

/// `message` as the broker takes it, sent to `topic`, if the guest of `client` may send it.
std::expected<wasmq::Message, types::Error> Outgoing(const ::wasi::messaging::types::Client& client,
                                                     std::string_view topic, const types::Message& message) {
  auto state = host::ClientState::ForPublishing(client, topic, "send to");
  if (!state) return std::unexpected(host::ToR2Error(state.error()));
  const host::GuestLimits& limits = (*state)->guest->limits;
  if (message.reply_to) {
    // A reply address is where others will send: the guest may name only what it may send to.
    auto allowed = host::CheckPublish(*(*state)->guest, *message.reply_to, "name as reply-to");
    if (!allowed) return std::unexpected(host::ToR2Error(allowed.error()));
  }
  wasmq::Message out;
  out.topic = std::string(topic);
  std::size_t bytes = message.data.size();
  if (message.content_type) {
    if (!wasmq::is_valid_utf8(*message.content_type))
      return std::unexpected(types::Error::Other("the content type is not valid UTF-8"));
    bytes += message.content_type->size();
    out.content_type = message.content_type;
  }
  if (message.metadata) {
    if (message.metadata->size() > limits.max_metadata_entries) {
      return std::unexpected(types::Error::Other("a message has " + std::to_string(message.metadata->size()) +
                                                 " metadata entries; at most " +
                                                 std::to_string(limits.max_metadata_entries) + " are allowed"));
    }
    out.metadata.reserve(message.metadata->size());
    for (const auto& [key, value] : *message.metadata) {
      if (!wasmq::is_valid_utf8(key) || !wasmq::is_valid_utf8(value)) {
        return std::unexpected(types::Error::Other("a metadata key or value is not valid UTF-8"));
      }
      bytes += key.size() + value.size();
      // A delivery id is this host's handle on one delivery to one guest; it means nothing further on.
      if (key != types::kDeliveryIdKey) out.metadata.emplace_back(key, value);
    }
  }
  if (bytes > limits.max_message_bytes) {
    return std::unexpected(types::Error::Other("a message of " + std::to_string(bytes) + " bytes is larger than the " +
                                               std::to_string(limits.max_message_bytes) + " this guest may send"));
  }
  out.payload = wasmq::Payload::copy_of(std::span<const std::uint8_t>(message.data));
  out.reply_to = message.reply_to;
  return out;
}

}  // namespace

std::expected<void, types::Error> Send(types::Client&& c, std::string_view ch, std::span<const types::Message> m) {
  const types::Client client = std::move(c);  // the callee's (WIT passes it owned): it ends here
  const auto& inner = host::RevisionAccess::Inner(client);
  const host::ClientState* state = host::ClientState::Of(inner);
  if (state == nullptr) return std::unexpected(types::Error::Connection("the client was moved from"));
  if (m.size() > state->guest->limits.max_messages_per_send) {
    return std::unexpected(types::Error::Other("a send of " + std::to_string(m.size()) + " messages; at most " +
                                               std::to_string(state->guest->limits.max_messages_per_send) +
                                               " are allowed"));
  }
  std::vector<wasmq::Message> outgoing;
  outgoing.reserve(m.size());
  for (const auto& message : m) {
    auto out = Outgoing(inner, ch.empty() ? std::string_view(message.topic) : ch, message);
    if (!out) return std::unexpected(out.error());
    outgoing.push_back(std::move(*out));
  }
  for (auto& message : outgoing) {
    if (auto sent = state->backend->Publish(std::move(message)); !sent) {
      return std::unexpected(host::ToR2Error(sent.error()));
    }
  }
  return {};
}

}  // namespace wasi::messaging::r2::producer
