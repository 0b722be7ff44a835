#include <wasi/messaging/r3/types.hpp>

#include "../../host/revision_access.hpp"
#include "../../host/revision_errors.hpp"

namespace wasi::messaging::r3::types {

std::string_view ToString(Error::Kind kind) noexcept {
  switch (kind) {
    case Error::Kind::kTimeout: return "timeout";
    case Error::Kind::kConnection: return "connection";
    case Error::Kind::kOther: return "other";
  }
  return "unknown";
}

Message::Message(std::string_view topic, std::span<const std::uint8_t> data) : topic_(topic), message_(data) {}

std::expected<Client, Error> Client::Connect(std::string_view name) {
  auto client = ::wasi::messaging::types::Client::Connect(name);
  if (!client) return std::unexpected(::wasmq::host::ToR3Error(client.error()));
  return ::wasmq::host::RevisionAccess::MakeR3(std::move(*client));
}

}  // namespace wasi::messaging::r3::types
