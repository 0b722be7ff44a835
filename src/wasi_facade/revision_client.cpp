#include <wasi/messaging/detail/revision_client.hpp>
#include <wasi/messaging/r2/types.hpp>
#include <wasi/messaging/r3/types.hpp>

#include "../host/revision_access.hpp"
#include "../host/revision_errors.hpp"

namespace wasi::messaging::detail {

namespace {

template <typename Error>
Error ToRevisionError(const ::wasi::messaging::types::Error& error);
template <>
r2::types::Error ToRevisionError(const ::wasi::messaging::types::Error& error) {
  return ::wasmq::host::ToR2Error(error);
}
template <>
r3::types::Error ToRevisionError(const ::wasi::messaging::types::Error& error) {
  return ::wasmq::host::ToR3Error(error);
}

}  // namespace

template <typename Error>
std::expected<RevisionClient<Error>, Error> RevisionClient<Error>::Connect(std::string_view name) {
  auto client = ::wasi::messaging::types::Client::Connect(name);
  if (!client) return std::unexpected(ToRevisionError<Error>(client.error()));
  return ::wasmq::host::RevisionAccess::MakeClient<Error>(std::move(*client));
}

// The revisions whose client this is: R2, and R3 (whose types R4 shares).
template class RevisionClient<r2::types::Error>;
template class RevisionClient<r3::types::Error>;

}  // namespace wasi::messaging::detail
