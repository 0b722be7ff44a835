#pragma once
/// wasi:messaging/types@0.2.0-draft, spelled as the component model's C++ generator spells it.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/detail/metadata_list.hpp>
#include <wasi/messaging/detail/value_types.hpp>
#include <wasmq/payload.hpp>

#include <cstdint>
#include <expected>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq {
struct Message;
}

// The host side that makes and routes these resources (wasmq/host/host.hpp).
namespace wasmq::host {
class Backend;
struct ClientState;
}  // namespace wasmq::host

namespace wasi::messaging {

namespace types {

/// WIT `resource message`. Move-only. The data lives in a shared immutable buffer: sending a
/// message hands that buffer to the broker without copying it, and every subscriber shares it.
class Message {
 public:
  /// WIT `constructor(data: list<u8>)`: copies `data` once.
  explicit Message(std::span<const std::uint8_t> data);
  Message(Message&&) noexcept;
  Message& operator=(Message&&) noexcept;
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
  ~Message();

  /// The topic the message was delivered on; empty on messages a guest made.
  [[nodiscard]] std::optional<types::Topic> Topic() const;
  [[nodiscard]] std::optional<std::string> ContentType() const;
  void SetContentType(std::string_view content_type);
  /// A copy of the data (WIT returns `list<u8>` by value).
  [[nodiscard]] std::vector<std::uint8_t> Data() const;
  void SetData(std::span<const std::uint8_t> data);
  /// The metadata in insertion order, or nothing when there is none. Keys are unique.
  [[nodiscard]] std::optional<types::Metadata> Metadata() const;
  /// Adds `key`, or overwrites its value in place when present. Constant time on average.
  void AddMetadata(std::string_view key, std::string_view value);
  /// Replaces the metadata with `meta`; a later duplicate key replaces the earlier one's value,
  /// as AddMetadata does.
  void SetMetadata(std::span<const std::tuple<std::string, std::string>> meta);
  /// Removes `key`; a missing key is not an error. Constant time on average.
  void RemoveMetadata(std::string_view key);

  /// Not WIT: the data without a copy, for native guests and hosts.
  [[nodiscard]] std::span<const std::uint8_t> DataView() const noexcept { return payload_.bytes(); }
  /// Not WIT: the topic without a copy; empty on a message a guest made.
  [[nodiscard]] std::string_view TopicView() const noexcept { return topic_ ? std::string_view(*topic_) : ""; }
  /// Not WIT: metadata entries, and the bytes of data, content type and metadata (what a
  /// host's limits count).
  [[nodiscard]] std::size_t MetadataEntries() const noexcept { return metadata_.Size(); }
  /// Not WIT: whether the topic, content type and every metadata key and value are valid UTF-8,
  /// as WIT strings must be. A host checks a delivery from outside (a NATS peer, a native
  /// publisher) with it before handing it to a guest.
  [[nodiscard]] bool StringsAreUtf8() const noexcept;
  /// Not WIT: the value of `key` without a copy, or null.
  [[nodiscard]] const std::string* FindMetadata(std::string_view key) const { return metadata_.Find(key); }
  [[nodiscard]] std::size_t SizeBytes() const noexcept;

 private:
  friend class ::wasmq::host::Backend;
  Message() = default;
  /// A delivered message, built in place (a default one assigned field by field copies its inline
  /// data twice).
  Message(wasmq::Payload&& payload, std::string_view topic, std::optional<std::string_view> content_type,
          std::optional<std::string_view> reply_to)
      : payload_(std::move(payload)), topic_(std::in_place, topic), content_type_(content_type), reply_to_(reply_to) {}

  wasmq::Payload payload_;
  std::optional<types::Topic> topic_;
  std::optional<std::string> content_type_;
  detail::MetadataList metadata_;
  std::optional<std::string> reply_to_;
  std::shared_ptr<::wasmq::host::Backend> origin_;  // the backend that delivered it (for Reply)
};

/// WIT `resource client`. Move-only. A client is bound to the backend its name resolved to and to
/// the permissions of the guest that connected it.
class Client {
 public:
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();

  /// Resolves `name` through the calling guest's connection registry (see host.hpp): "inproc" or
  /// "inproc://<broker>" for an embedded broker, or a name the host registered. Errors:
  /// `connection` for an unknown name or when no guest context is active.
  [[nodiscard]] static std::expected<Client, Error> Connect(std::string_view name);
  /// Ends the client. Errors: `connection` when it was already disconnected.
  [[nodiscard]] std::expected<void, Error> Disconnect();

 private:
  friend class ::wasmq::host::Backend;
  friend struct ::wasmq::host::ClientState;
  explicit Client(std::shared_ptr<::wasmq::host::ClientState> state) noexcept;
  std::shared_ptr<::wasmq::host::ClientState> state_;
};

/// Writes "<kind>: <text>", e.g. "permission-denied: topic 'x' is not allowed" (a wasmq
/// extension; the WIT has no printing).
std::ostream& operator<<(std::ostream& out, const Error& error);

}  // namespace types
}  // namespace wasi::messaging

WASMQ_PUBLIC_END
