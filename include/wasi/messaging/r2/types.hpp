#pragma once
/// wasi:messaging/types@0.2.0-draft as revision R2 shapes it (seed 001; WIT in wit/r2/): messages
/// are records, channels are strings, and errors include `unauthorized`. See docs/facade.md,
/// "Earlier revisions".

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/detail/revision_client.hpp>
#include <wasi/messaging/types.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::r2::types {

/// WIT `variant error { unauthorized, timeout, connection(string), other(string) }`.
class Error {
 public:
  enum class Kind : std::uint8_t { kUnauthorized, kTimeout, kConnection, kOther };

  static Error Unauthorized() { return Error(Kind::kUnauthorized, {}); }
  static Error Timeout() { return Error(Kind::kTimeout, {}); }
  static Error Connection(std::string text) { return Error(Kind::kConnection, std::move(text)); }
  static Error Other(std::string text) { return Error(Kind::kOther, std::move(text)); }

  [[nodiscard]] Kind GetKind() const noexcept { return kind_; }
  /// The case's string payload; empty for `unauthorized` and `timeout`.
  [[nodiscard]] const std::string& Message() const noexcept { return text_; }

  friend bool operator==(const Error&, const Error&) = default;

 private:
  Error(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}
  Kind kind_;
  std::string text_;
};

/// "unauthorized", "timeout", "connection" or "other".
std::string_view ToString(Error::Kind kind) noexcept;

/// WIT `type channel = string`: a topic or a queue; which one is the host's configuration.
using Channel = std::string;

/// WIT `record guest-configuration`.
struct GuestConfiguration {
  std::vector<Channel> channels{};
  std::optional<std::vector<std::tuple<std::string, std::string>>> extensions{};
};

/// WIT `record message`. A delivered message carries the host's delivery id in its metadata
/// (`wasmq-delivery-id`), by which consumer::CompleteMessage and AbandonMessage find it.
struct Message {
  Channel topic{};
  std::optional<std::string> content_type{};
  std::optional<std::string> reply_to{};
  std::vector<std::uint8_t> data{};
  std::optional<std::vector<std::tuple<std::string, std::string>>> metadata{};
};

/// The metadata key under which the host puts a delivery's id.
inline constexpr std::string_view kDeliveryIdKey = "wasmq-delivery-id";

/// WIT `resource client` (connect only), wrapping the current revision's client.
using Client = ::wasi::messaging::detail::RevisionClient<Error>;

}  // namespace wasi::messaging::r2::types

WASMQ_PUBLIC_END
