#pragma once
// The one allocation behind a published message (what a SharedMessage points at). 104 bytes: the
// reference count, the payload's size, the publish time, the topic and payload inline, and one
// pointer to the fields most messages leave empty. A publisher writes two cache lines of it, a
// consumer that only accepts reads the first one (count, extras) — where a 256-byte Message in a
// shared_ptr block was five lines written and read per message.

#include "detail/message_pool.hpp"

#include <wasmq/message.hpp>
#include <wasmq/shared_message.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <utility>

namespace wasmq::detail {

/// What a message holds beyond its topic and small payload; allocated (from its own pool) only for
/// a message that has any of it.
struct MessageExtras {
  std::string topic{};  // when longer than MessageBlock::inline_topic_capacity
  Payload payload{};    // when larger than Payload::inline_capacity
  std::optional<std::string> content_type{};
  Metadata metadata{};
  std::optional<std::string> reply_to{};
  std::optional<Duration> time_to_live{};
  std::shared_ptr<const DeathRecord> death{};
};

// The inline arrays are left uninitialised: make_message_block writes them as far as a message uses
// them (a 16-byte payload writes one of the block's two lines, not both).
struct MessageBlock {  // NOLINT(cppcoreguidelines-pro-type-member-init): topic and payload, above
  static constexpr std::size_t inline_topic_capacity = 15;
  static constexpr std::uint8_t topic_in_extras = 0xFF;
  static constexpr std::uint32_t payload_in_extras = 0xFFFF'FFFF;

  // Relaxed increments, acq_rel decrements (as shared_ptr): the thread that frees the block sees
  // every other holder's reads done.
  std::atomic<std::uint32_t> references{1};
  std::uint32_t payload_size = 0;  // bytes in `payload`, or payload_in_extras
  TimePoint published_at{};
  MessageExtras* extras = nullptr;  // owned; null for a message with nothing beyond topic and payload
  std::uint8_t topic_size = 0;      // bytes in `topic`, or topic_in_extras
  char topic[inline_topic_capacity];
  std::uint8_t payload[Payload::inline_capacity];

  [[nodiscard]] std::string_view topic_view() const noexcept {
    return topic_size != topic_in_extras ? std::string_view(topic, topic_size) : std::string_view(extras->topic);
  }
  [[nodiscard]] std::span<const std::uint8_t> payload_bytes() const noexcept {
    return payload_size != payload_in_extras ? std::span<const std::uint8_t>(payload, payload_size)
                                             : extras->payload.bytes();
  }
};
static_assert(sizeof(MessageBlock) == 104, "a queued message in 128 bytes with its queue slot");

/// The broker's side of SharedMessage.
struct MessageAccess {
  [[nodiscard]] static MessageBlock* block(const SharedMessage& message) noexcept { return message.block_; }
  /// A handle that takes over `block`'s reference.
  [[nodiscard]] static SharedMessage adopt(MessageBlock* block) noexcept { return SharedMessage(block); }
  /// A handle that owns nothing (see ConsumerCore::install): pair with forget() before it goes.
  [[nodiscard]] static SharedMessage borrow(const SharedMessage& message) noexcept {
    return SharedMessage(message.block_);
  }
  /// Empties `message` without giving back a reference: for a borrowed handle.
  static void forget(SharedMessage& message) noexcept { message.block_ = nullptr; }
  /// Frees a block whose last reference went.
  static void destroy(MessageBlock* block) noexcept;
};

/// Publishes `message` into a new block (from the pool): moves what does not fit inline.
[[nodiscard]] SharedMessage make_message_block(Message&& message);
/// A block for a message that is only a topic and a payload, published at `published_at`: copies
/// the bytes straight into it, with no Message in between.
[[nodiscard]] SharedMessage make_message_block(std::string_view topic, std::span<const std::uint8_t> payload,
                                               TimePoint published_at);

}  // namespace wasmq::detail
