#include <wasi/messaging/r2/types.hpp>

#include "../../host/revision_access.hpp"
#include "../../host/revision_errors.hpp"

namespace wasi::messaging::r2::types {

std::string_view ToString(Error::Kind kind) noexcept {
  switch (kind) {
    case Error::Kind::kUnauthorized: return "unauthorized";
    case Error::Kind::kTimeout: return "timeout";
    case Error::Kind::kConnection: return "connection";
    case Error::Kind::kOther: return "other";
  }
  return "unknown";
}

std::expected<Client, Error> Client::Connect(std::string_view name) {
  auto client = ::wasi::messaging::types::Client::Connect(name);
  if (!client) return std::unexpected(::wasmq::host::ToR2Error(client.error()));
  return ::wasmq::host::RevisionAccess::MakeR2(std::move(*client));
}

}  // namespace wasi::messaging::r2::types
