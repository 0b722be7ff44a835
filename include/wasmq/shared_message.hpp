#pragma once
/// A published message as queues, deliveries and observers hold it: immutable and shared.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/message.hpp>
#include <wasmq/payload.hpp>
#include <wasmq/runtime.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

namespace detail {
struct MessageBlock;
struct MessageAccess;
}  // namespace detail

/// A handle to a published message. The broker keeps each message in one compact block: the
/// topic and the payload (up to Payload::inline_capacity bytes) inline while they fit in 79 bytes
/// together, the fields most messages leave empty (content type, metadata, reply address, time to
/// live, death record) behind one pointer. Copying a handle counts a reference; the message is
/// freed with its last handle. Thread-safe for concurrent reads and copies; a default-constructed
/// handle is empty (operator bool) and must not be read.
class SharedMessage {
 public:
  SharedMessage() noexcept = default;
  /// A handle to `message` as the broker keeps it, for tools and tests (Broker::publish makes its
  /// own). Nothing checks it: the broker's admission does that for what is published.
  [[nodiscard]] static SharedMessage of(Message message);
  SharedMessage(const SharedMessage& other) noexcept : block_(other.block_) {
    if (block_ != nullptr) add_reference(block_);
  }
  SharedMessage(SharedMessage&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  SharedMessage& operator=(const SharedMessage& other) noexcept {
    SharedMessage copy(other);
    std::swap(block_, copy.block_);
    return *this;
  }
  SharedMessage& operator=(SharedMessage&& other) noexcept {
    SharedMessage moved(std::move(other));
    std::swap(block_, moved.block_);
    return *this;
  }
  ~SharedMessage() {
    if (block_ != nullptr) drop_reference(block_);
  }

  /// False for an empty handle.
  [[nodiscard]] explicit operator bool() const noexcept { return block_ != nullptr; }
  /// Where the message lives: equal for two handles to the same published message (a key for
  /// maps that track messages; see std::hash below).
  [[nodiscard]] const void* address() const noexcept { return block_; }
  /// True when both refer to the same published message (as shared_ptr compares).
  friend bool operator==(const SharedMessage& left, const SharedMessage& right) noexcept {
    return left.block_ == right.block_;
  }

  /// The name it was published to.
  [[nodiscard]] std::string_view topic() const noexcept;
  /// Its bytes, in place.
  [[nodiscard]] PayloadView payload() const noexcept;
  /// A Payload of the same bytes: it shares a large payload's buffer, and copies a small one's
  /// (inline, no allocation).
  [[nodiscard]] Payload share_payload() const;
  [[nodiscard]] std::optional<std::string_view> content_type() const noexcept;
  /// Its metadata; an empty list when it has none.
  [[nodiscard]] const Metadata& metadata() const noexcept;
  /// The value of `key`, if present.
  [[nodiscard]] std::optional<std::string_view> find_metadata(std::string_view key) const noexcept;
  /// Where replies go (request-reply).
  [[nodiscard]] std::optional<std::string_view> reply_to() const noexcept;
  [[nodiscard]] std::optional<Duration> time_to_live() const noexcept;
  /// When the broker took it.
  [[nodiscard]] TimePoint published_at() const noexcept;
  /// Set on dead letters only: why and where it died; null otherwise.
  [[nodiscard]] const DeathRecord* death() const noexcept;
  /// What counts against the byte limits (as Message::size_bytes()).
  [[nodiscard]] std::size_t size_bytes() const noexcept;
  /// A copy as a Message, to change and publish again (a large payload's buffer is shared).
  [[nodiscard]] Message to_message() const;

 private:
  friend struct detail::MessageAccess;
  explicit SharedMessage(detail::MessageBlock* block) noexcept : block_(block) {}
  static void add_reference(detail::MessageBlock* block) noexcept;
  static void drop_reference(detail::MessageBlock* block) noexcept;

  detail::MessageBlock* block_ = nullptr;
};

}  // namespace wasmq

/// Hashes a handle by the message it refers to (SharedMessage::address()).
template <>
struct std::hash<wasmq::SharedMessage> {
  std::size_t operator()(const wasmq::SharedMessage& message) const noexcept {
    return std::hash<const void*>()(message.address());
  }
};

WASMQ_PUBLIC_END
