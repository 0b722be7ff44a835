#pragma once
// The one allocation behind a published message (what a SharedMessage points at). 104 bytes: the
// reference count, the payload's size, the publish time, the topic and payload inline (79 bytes
// between them), and one pointer to the fields most messages leave empty. A publisher writes two
// cache lines of it, a consumer that only accepts reads the first one (count, extras) — where a
// 256-byte Message in a shared_ptr block was five lines written and read per message.

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
  std::string topic{};  // when it does not fit in the block (MessageBlock::topic_fits_inline)
  Payload payload{};    // when it does not fit in the block (MessageBlock::payload_fits_inline)
  std::optional<std::string> content_type{};
  Metadata metadata{};
  std::optional<std::string> reply_to{};
  std::optional<Duration> time_to_live{};
  std::shared_ptr<const DeathRecord> death{};
};

// The inline bytes are left uninitialised: make_message_block writes them as far as a message uses
// them (a short topic and a 16-byte payload write one of the block's two lines, not both).
struct MessageBlock {  // NOLINT(cppcoreguidelines-pro-type-member-init): the inline bytes, above
  /// Bytes the topic and the payload share: the topic first, then the payload. One area rather
  /// than a slot for each, so that a topic of 20 or 40 bytes (`orders.eu.created`) stays inline
  /// beside a small payload instead of taking the extras and a heap string.
  static constexpr std::size_t inline_capacity = 79;
  static constexpr std::uint8_t topic_in_extras = 0xFF;
  static constexpr std::uint32_t payload_in_extras = 0xFFFF'FFFF;

  // Relaxed increments, acq_rel decrements (as shared_ptr): the thread that frees the block sees
  // every other holder's reads done.
  std::atomic<std::uint32_t> references{1};
  std::uint32_t payload_size = 0;  // inline bytes of the payload (after the topic's), or payload_in_extras
  TimePoint published_at{};
  MessageExtras* extras = nullptr;  // owned; null for a message with nothing beyond topic and payload
  std::uint8_t topic_size = 0;      // inline bytes of the topic, or topic_in_extras
  char inline_bytes[inline_capacity];

  /// Whether a payload goes inline: one that fits in a Payload's own inline buffer (a larger one
  /// is a shared buffer, moved into the extras uncopied) and beside the topic.
  [[nodiscard]] static constexpr bool payload_fits_inline(std::size_t topic, std::size_t payload) noexcept {
    return payload <= Payload::inline_capacity && topic + payload <= inline_capacity;
  }
  /// Whether a topic goes inline, beside `inline_payload` bytes of payload.
  [[nodiscard]] static constexpr bool topic_fits_inline(std::size_t topic, std::size_t inline_payload) noexcept {
    return topic + inline_payload <= inline_capacity;
  }

  [[nodiscard]] std::size_t inline_topic_size() const noexcept {
    return topic_size != topic_in_extras ? topic_size : 0;
  }
  [[nodiscard]] std::string_view topic_view() const noexcept {
    return topic_size != topic_in_extras ? std::string_view(inline_bytes, topic_size) : std::string_view(extras->topic);
  }
  [[nodiscard]] std::span<const std::uint8_t> payload_bytes() const noexcept {
    // The inline area is chars (the topic's type); the payload's bytes are read through it.
    return payload_size != payload_in_extras
               ? std::span<const std::uint8_t>(
                     reinterpret_cast<const std::uint8_t*>(inline_bytes + inline_topic_size()), payload_size)
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

  // A reference is made only from another, so while the references a caller holds are all there
  // are, no other thread can change the count: these two then write it with a plain store, not a
  // locked read-modify-write (a pull delivery's copy of its message and the accept that drops the
  // entry's, the common case: a message delivered to one queue). acquire on the loads: they may
  // read another holder's release decrement, whose reads of the message must come before a free
  // this thread makes later; release on the stores, as on the decrements.

  /// Another reference to the message `held`, which the caller holds.
  [[nodiscard]] static SharedMessage share_held(const SharedMessage& held) noexcept {
    std::atomic<std::uint32_t>& references = held.block_->references;
    if (references.load(std::memory_order_acquire) == 1) {
      references.store(2, std::memory_order_release);
    } else {
      references.fetch_add(1, std::memory_order_relaxed);  // relaxed: as SharedMessage's copy
    }
    return SharedMessage(held.block_);
  }
  /// Gives back `extra`, a reference to a message of which the caller holds another: never the
  /// last one.
  static void drop_beside_another(SharedMessage&& extra) noexcept {
    std::atomic<std::uint32_t>& references = std::exchange(extra.block_, nullptr)->references;
    if (references.load(std::memory_order_acquire) == 2) {
      references.store(1, std::memory_order_release);
    } else {
      references.fetch_sub(1, std::memory_order_release);  // release: as drop_reference(); not the last
    }
  }
};

/// Publishes `message` into a new block (from the pool): moves what does not fit inline.
[[nodiscard]] SharedMessage make_message_block(Message&& message);
/// A block for a message that is only a topic and a payload, published at `published_at`: copies
/// the bytes straight into it, with no Message in between.
[[nodiscard]] SharedMessage make_message_block(std::string_view topic, std::span<const std::uint8_t> payload,
                                               TimePoint published_at);

}  // namespace wasmq::detail
