#include <wasi/messaging/producer.hpp>
#include <wasmq/host/host.hpp>

// The host layer, by the short name this file uses for it.
namespace wasi::messaging {
namespace host = ::wasmq::host;
}  // namespace wasi::messaging

namespace wasi::messaging::producer {

std::expected<void, types::Error> Send(const types::Client& c, std::string_view topic, types::Message&& message) {
  auto state = host::ClientState::ForPublishing(c, topic, "publish to");
  if (!state) return std::unexpected(state.error());
  return (*state)->backend->PublishGuestMessage(topic, std::move(message));
}

}  // namespace wasi::messaging::producer
