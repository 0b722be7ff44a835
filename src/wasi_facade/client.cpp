#include <wasi/messaging/host.hpp>
#include <wasi/messaging/types.hpp>

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
