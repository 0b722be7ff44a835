#pragma once
/// The value types of wasi:messaging/types — what needs no host: the `metadata` and `topic`
/// aliases and the `error` variant. Standalone (the standard library only), so that the native
/// facade (types.hpp) and the guest SDK for wasm32 (guest-sdk/, where it is installed too)
/// declare them once.

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace wasi::messaging::types {

/// WIT `type metadata = list<tuple<string, string>>`.
using Metadata = std::vector<std::tuple<std::string, std::string>>;
/// WIT `type topic = string`.
using Topic = std::string;

/// WIT `variant error { timeout, connection(string), permission-denied(string), other(string) }`.
class Error {
 public:
  enum class Kind : std::uint8_t { kTimeout, kConnection, kPermissionDenied, kOther };

  static Error Timeout() { return Error(Kind::kTimeout, {}); }
  static Error Connection(std::string text) { return Error(Kind::kConnection, std::move(text)); }
  static Error PermissionDenied(std::string text) { return Error(Kind::kPermissionDenied, std::move(text)); }
  static Error Other(std::string text) { return Error(Kind::kOther, std::move(text)); }

  [[nodiscard]] Kind GetKind() const noexcept { return kind_; }
  /// The case's string payload; empty for `timeout`.
  [[nodiscard]] const std::string& Message() const noexcept { return text_; }

  friend bool operator==(const Error&, const Error&) = default;

 private:
  Error(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}
  Kind kind_;
  std::string text_;
};

/// "timeout", "connection", "permission-denied" or "other".
inline std::string_view ToString(Error::Kind kind) noexcept {
  switch (kind) {
    case Error::Kind::kTimeout: return "timeout";
    case Error::Kind::kConnection: return "connection";
    case Error::Kind::kPermissionDenied: return "permission-denied";
    case Error::Kind::kOther: return "other";
  }
  return "unknown";
}

}  // namespace wasi::messaging::types
