#include <wasi/messaging/r3/producer.hpp>
#include <wasmq/host/host.hpp>

#include "../../host/revision_access.hpp"
#include "../../host/revision_errors.hpp"

namespace wasi::messaging::r3::producer {

std::expected<void, types::Error> Send(types::Client&& c, types::Message&& m) {
  using wasmq::host::RevisionAccess;
  // Both are the callee's (WIT passes them owned): they end here, whatever the outcome.
  const types::Client client = std::move(c);
  types::Message message = std::move(m);
  const std::string topic = RevisionAccess::TopicOf(message);
  auto state = wasmq::host::ClientState::ForPublishing(RevisionAccess::Inner(client), topic, "publish to");
  if (!state) return std::unexpected(wasmq::host::ToR3Error(state.error()));
  auto sent = (*state)->backend->PublishGuestMessage(topic, std::move(RevisionAccess::Inner(message)));
  if (!sent) return std::unexpected(wasmq::host::ToR3Error(sent.error()));
  return {};
}

}  // namespace wasi::messaging::r3::producer
