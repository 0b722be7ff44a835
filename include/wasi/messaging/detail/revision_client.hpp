#pragma once
/// The `resource client` of an earlier revision (R2, R3, R4): `connect` only, and the revision's
/// own error type. It wraps the current revision's client, so every revision connects through the
/// same registry and publishes under the same permission check.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/types.hpp>

#include <expected>
#include <string_view>
#include <utility>

WASMQ_PUBLIC_BEGIN

namespace wasmq::host {
struct RevisionAccess;
}  // namespace wasmq::host

namespace wasi::messaging::detail {

/// WIT `resource client` of a revision whose errors are `Error`. Move-only; bound to the backend
/// its name resolved to and to the permissions of the guest that connected it.
template <typename Error>
class RevisionClient {
 public:
  RevisionClient(RevisionClient&&) noexcept = default;
  RevisionClient& operator=(RevisionClient&&) noexcept = default;
  RevisionClient(const RevisionClient&) = delete;
  RevisionClient& operator=(const RevisionClient&) = delete;
  ~RevisionClient() = default;

  /// WIT `connect: static func(name: string) -> result<client, error>`: resolves `name` through
  /// the current guest's connection registry, as wasi::messaging::types::Client::Connect does.
  [[nodiscard]] static std::expected<RevisionClient, Error> Connect(std::string_view name);

 private:
  friend struct ::wasmq::host::RevisionAccess;
  explicit RevisionClient(::wasi::messaging::types::Client client) noexcept : client_(std::move(client)) {}
  ::wasi::messaging::types::Client client_;
};

}  // namespace wasi::messaging::detail

WASMQ_PUBLIC_END
