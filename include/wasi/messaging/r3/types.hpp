#pragma once
/// wasi:messaging/types@0.2.0-draft as revision R3 shapes it (seed 000; WIT in wit/r3/): the first
/// resource-based message, which carries its own topic. Revision R4 uses the same types
/// (wasi/messaging/r4/). See docs/facade.md, "Earlier revisions".

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/detail/revision_client.hpp>
#include <wasi/messaging/types.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq::host {
struct RevisionAccess;
}  // namespace wasmq::host

namespace wasi::messaging::r3::types {

/// WIT `variant error { timeout, connection(string), other(string) }`. The revision has no
/// permission case: a refused topic is `other`, its text beginning "permission denied".
class Error {
 public:
  enum class Kind : std::uint8_t { kTimeout, kConnection, kOther };

  static Error Timeout() { return Error(Kind::kTimeout, {}); }
  static Error Connection(std::string text) { return Error(Kind::kConnection, std::move(text)); }
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

/// "timeout", "connection" or "other".
std::string_view ToString(Error::Kind kind) noexcept;

/// WIT `resource client` (connect only), wrapping the current revision's client.
using Client = ::wasi::messaging::detail::RevisionClient<Error>;

/// WIT `resource message`: a topic, data, a content type and metadata. Move-only. The data lives
/// in one shared immutable buffer, as in the current revision.
class Message {
 public:
  /// WIT `constructor(topic: string, data: list<u8>)`.
  Message(std::string_view topic, std::span<const std::uint8_t> data);
  Message(Message&&) noexcept = default;
  Message& operator=(Message&&) noexcept = default;
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
  ~Message() = default;

  [[nodiscard]] std::string Topic() const { return topic_; }
  void SetTopic(std::string_view topic) { topic_ = std::string(topic); }
  [[nodiscard]] std::optional<std::string> ContentType() const { return message_.ContentType(); }
  void SetContentType(std::string_view content_type) { message_.SetContentType(content_type); }
  [[nodiscard]] std::vector<std::uint8_t> Data() const { return message_.Data(); }
  void SetData(std::span<const std::uint8_t> data) { message_.SetData(data); }
  /// The metadata in insertion order, or nothing when there is none.
  [[nodiscard]] std::optional<std::vector<std::tuple<std::string, std::string>>> Metadata() const {
    return message_.Metadata();
  }
  /// Adds `key`, or overwrites its value when present (as the current revision does).
  void AddMetadata(std::string_view key, std::string_view value) { message_.AddMetadata(key, value); }

  /// Not WIT: the data without a copy.
  [[nodiscard]] std::span<const std::uint8_t> DataView() const noexcept { return message_.DataView(); }

 private:
  friend struct ::wasmq::host::RevisionAccess;
  Message(std::string topic, ::wasi::messaging::types::Message message)
      : topic_(std::move(topic)), message_(std::move(message)) {}
  std::string topic_;
  ::wasi::messaging::types::Message message_;
};

}  // namespace wasi::messaging::r3::types

WASMQ_PUBLIC_END
