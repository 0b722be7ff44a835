#include <wasi/messaging/host.hpp>
#include <wasi/messaging/producer.hpp>

#include <wasmq/name.hpp>

namespace wasi::messaging::producer {

std::expected<void, types::Error> Send(const types::Client& c, std::string_view topic, types::Message&& message) {
  const host::ClientState* state = host::ClientState::Of(c);
  if (state == nullptr) return std::unexpected(types::Error::Connection("the client was moved from"));
  if (!state->connected.load(std::memory_order_acquire)) {
    return std::unexpected(types::Error::Connection("client of '" + state->connection_name + "' is disconnected"));
  }
  if (auto valid = wasmq::validate_name(topic); !valid) {
    return std::unexpected(types::Error::Other("invalid topic: " + valid.error().message));
  }
  if (!state->guest->permissions.MayPublish(topic)) {
    return std::unexpected(types::Error::PermissionDenied("guest '" + state->guest->identity +
                                                          "' may not publish to '" + std::string(topic) + "'"));
  }
  return state->backend->Publish(host::Backend::ToBrokerMessage(topic, std::move(message)));
}

}  // namespace wasi::messaging::producer
