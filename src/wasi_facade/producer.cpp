#include <wasi/messaging/host.hpp>
#include <wasi/messaging/producer.hpp>

namespace wasi::messaging::producer {

std::expected<void, types::Error> Send(const types::Client& c, std::string_view topic, types::Message&& message) {
  auto state = host::ClientState::ForPublishing(c, topic, "publish to");
  if (!state) return std::unexpected(state.error());
  return (*state)->backend->Publish(host::Backend::ToBrokerMessage(topic, std::move(message)));
}

}  // namespace wasi::messaging::producer
