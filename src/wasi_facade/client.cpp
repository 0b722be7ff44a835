#include <wasi/messaging/types.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/host/reply_inbox.hpp>

#include <wasmq/name.hpp>
#include <wasmq/utf8.hpp>

#include <atomic>
#include <cstdint>
#include <string>

// The host layer, by the short name this file uses for it.
namespace wasi::messaging {
namespace host = ::wasmq::host;
}  // namespace wasi::messaging

namespace wasi::messaging::types {

Client::Client(std::shared_ptr<host::ClientState> state) noexcept : state_(std::move(state)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

std::expected<Client, Error> Client::Connect(std::string_view name) {
  auto guest = host::CurrentGuest();
  if (!guest || !guest->registry) {
    return std::unexpected(Error::Connection("cannot connect to '" + std::string(name) +
                                             "': no guest context is active on this thread (the host makes one "
                                             "current with host::ScopedGuest)"));
  }
  if (!wasmq::is_valid_utf8(name)) return std::unexpected(Error::Connection("the connection name is not valid UTF-8"));
  auto backend = guest->registry->Resolve(name);
  if (!backend) return std::unexpected(backend.error());
  auto state = std::make_shared<host::ClientState>();
  state->backend = std::move(*backend);
  state->guest = std::move(guest);
  state->connection_name = std::string(name);
  return host::ClientState::MakeClient(std::move(state));
}

std::expected<void, Error> Client::Disconnect() {
  if (!state_) return std::unexpected(Error::Connection("the client was moved from"));
  if (!state_->connected.exchange(false, std::memory_order_acq_rel)) {
    return std::unexpected(Error::Connection("client of '" + state_->connection_name + "' is already disconnected"));
  }
  return {};
}

}  // namespace wasi::messaging::types

namespace wasmq::host {

namespace {

/// The topic this thread's last publish through a client was permitted for, and that client's
/// serial. A guest that publishes to one topic again and again (the common case) is checked
/// once: a name's validity and a guest's permissions do not change, so a permit for (client,
/// topic) stays true. Per thread, so that a client shared by a guest's threads needs no
/// synchronisation; keyed by serial, not address, so that a new client at a freed one's address
/// never inherits its permit.
struct PermittedTopic {
  std::uint64_t client = 0;  // serials start at 1
  std::string topic;
};
thread_local PermittedTopic last_permitted;

// relaxed: the counter only has to hand out distinct values; nothing is published through it.
std::atomic<std::uint64_t> client_serials{0};

}  // namespace

std::uint64_t ClientState::NextSerial() noexcept { return client_serials.fetch_add(1, std::memory_order_relaxed) + 1; }

std::expected<const ClientState*, types::Error> ClientState::ForPublishing(const types::Client& client,
                                                                           std::string_view topic,
                                                                           std::string_view action) {
  const ClientState* state = Of(client);
  if (state == nullptr) return std::unexpected(types::Error::Connection("the client was moved from"));
  if (!state->connected.load(std::memory_order_acquire)) {
    return std::unexpected(types::Error::Connection("client of '" + state->connection_name + "' is disconnected"));
  }
  PermittedTopic& permitted = last_permitted;
  if (permitted.client == state->serial && permitted.topic == topic) return state;
  if (auto allowed = CheckPublish(*state->guest, topic, action); !allowed) return std::unexpected(allowed.error());
  // Forgotten first, so that an assign that throws leaves no permit for a topic that was not checked.
  permitted.client = 0;
  permitted.topic.assign(topic);  // a name is at most max_name_length bytes: the buffer stops growing
  permitted.client = state->serial;
  return state;
}

std::expected<void, types::Error> CheckPublish(const GuestContext& context, std::string_view topic,
                                               std::string_view action) {
  if (!wasmq::is_valid_name(topic)) {
    return std::unexpected(types::Error::Other("invalid topic: " + wasmq::validate_name(topic).error().message()));
  }
  if (IsUnderInbox(topic)) {
    return std::unexpected(types::Error::PermissionDenied(
        "guest '" + context.identity + "' may not " + std::string(action) + " '" + std::string(topic) +
        "': names under '_INBOX' are reply inboxes; answer a request with request-reply.reply"));
  }
  if (!context.permissions.MayPublish(topic)) {
    return std::unexpected(types::Error::PermissionDenied("guest '" + context.identity + "' may not " +
                                                          std::string(action) + " '" + std::string(topic) + "'"));
  }
  return {};
}

}  // namespace wasmq::host
