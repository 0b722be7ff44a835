#include <wasmq/shared_message.hpp>

#include "detail/message_block.hpp"
#include "detail/message_fields.hpp"

namespace wasmq {

namespace detail {

namespace {

// Copies `size` bytes, at most MessageBlock::inline_capacity, without a call: a topic and a small
// payload are a few bytes each, where memcpy's call and dispatch cost more than the copy. Loads
// and stores of fixed size (compiled to single moves), overlapping at the end.
[[gnu::always_inline]] inline void copy_small(char* to, const void* from_bytes, std::size_t size) noexcept {
  const auto* from = static_cast<const char*>(from_bytes);
  const auto move = [&]<std::size_t Width>(std::size_t at) {
    char word[Width];
    std::memcpy(word, from + at, Width);
    std::memcpy(to + at, word, Width);
  };
  if (size >= 16) {
    for (std::size_t at = 0; at + 16 < size; at += 16) move.template operator()<16>(at);
    move.template operator()<16>(size - 16);
  } else if (size >= 8) {
    move.template operator()<8>(0);
    move.template operator()<8>(size - 8);
  } else if (size >= 4) {
    move.template operator()<4>(0);
    move.template operator()<4>(size - 4);
  } else if (size > 0) {
    to[0] = from[0];
    to[size / 2] = from[size / 2];
    to[size - 1] = from[size - 1];
  }
}

// Where a message's topic and payload go: a small payload inline (first: otherwise it would be a
// Payload of its own in the extras), then the topic inline when it fits beside it.
struct InlinePlan {
  bool payload;
  bool topic;
};
[[nodiscard]] InlinePlan plan_inline(std::size_t topic, std::size_t payload) noexcept {
  const bool payload_inline = MessageBlock::payload_fits_inline(0, payload);
  return {payload_inline, MessageBlock::topic_fits_inline(topic, payload_inline ? payload : 0)};
}

[[nodiscard]] bool needs_extras(const Message& message, InlinePlan plan) noexcept {
  return !plan.topic || !plan.payload || message.content_type || !message.metadata.empty() || message.reply_to ||
         message.time_to_live || message.death;
}

[[nodiscard]] MessageExtras* make_extras(Message& message, InlinePlan plan) {
  auto* extras = new (take_pooled_block<MessageExtras>()) MessageExtras{};
  if (!plan.topic) extras->topic = std::move(message.topic);
  if (!plan.payload) extras->payload = std::move(message.payload);
  extras->content_type = std::move(message.content_type);
  extras->metadata = std::move(message.metadata);
  extras->reply_to = std::move(message.reply_to);
  extras->time_to_live = message.time_to_live;
  extras->death = std::move(message.death);
  return extras;
}

}  // namespace

SharedMessage make_message_block(Message&& message) {
  // The block's memory first, given back if the extras' cannot be had: a publish that runs out of
  // memory leaves nothing behind (and `message` whole, as make_extras moves only after its take).
  const InlinePlan plan = plan_inline(message.topic.size(), message.payload.size());
  void* memory = take_pooled_block<MessageBlock>();
  MessageExtras* extras = nullptr;
  if (needs_extras(message, plan)) {
    try {
      extras = make_extras(message, plan);
    } catch (...) {
      give_pooled_block<MessageBlock>(memory);
      throw;
    }
  }
  // Default-initialised: the inline bytes are written below, as far as they are used.
  auto* block = new (memory) MessageBlock;
  block->published_at = message.published_at;
  block->extras = extras;
  if (plan.topic) {
    block->topic_size = static_cast<std::uint8_t>(message.topic.size());
    std::memcpy(block->inline_bytes, message.topic.data(), message.topic.size());
  } else {
    block->topic_size = MessageBlock::topic_in_extras;
  }
  if (plan.payload) {
    const auto bytes = message.payload.bytes();
    block->payload_size = static_cast<std::uint32_t>(bytes.size());
    if (!bytes.empty()) std::memcpy(block->inline_bytes + block->inline_topic_size(), bytes.data(), bytes.size());
  } else {
    block->payload_size = MessageBlock::payload_in_extras;
  }
  return MessageAccess::adopt(block);
}

SharedMessage make_message_block(std::string_view topic, std::span<const std::uint8_t> payload,
                                 TimePoint published_at) {
  if (!MessageBlock::payload_fits_inline(topic.size(), payload.size())) {
    // Either goes into the extras: as a Message would.
    Message message{.topic = std::string(topic), .payload = Payload::copy_of(payload)};
    message.published_at = published_at;
    return make_message_block(std::move(message));
  }
  auto* block = new (take_pooled_block<MessageBlock>()) MessageBlock;  // arrays written below, as far as used
  block->published_at = published_at;
  block->topic_size = static_cast<std::uint8_t>(topic.size());
  copy_small(block->inline_bytes, topic.data(), topic.size());
  block->payload_size = static_cast<std::uint32_t>(payload.size());
  copy_small(block->inline_bytes + topic.size(), payload.data(), payload.size());
  return MessageAccess::adopt(block);
}

namespace {

// Out of line: most messages have no extras, and inlined here their destructors (strings, the
// metadata, the death record) made every free save and restore five registers.
[[gnu::noinline]] void destroy_extras(MessageExtras* extras) noexcept {
  extras->~MessageExtras();
  give_pooled_block<MessageExtras>(extras);
}

}  // namespace

void MessageAccess::destroy(MessageBlock* block) noexcept {
  // A message without extras owns no memory: the consumer that frees it reads one cache line.
  if (block->extras != nullptr) destroy_extras(block->extras);
  block->~MessageBlock();
  give_pooled_block<MessageBlock>(block);
}

}  // namespace detail

using detail::MessageAccess;
using detail::MessageBlock;

void SharedMessage::add_reference(MessageBlock* block) noexcept {
  // relaxed: a new reference is made from an existing one, which keeps the block alive meanwhile.
  block->references.fetch_add(1, std::memory_order_relaxed);
}

void SharedMessage::drop_reference(MessageBlock* block) noexcept {
  // The last holder frees without a read-modify-write: with a count of 1 no other thread holds a
  // reference that could make another. acquire: sees the other holders' releases (below) first.
  if (block->references.load(std::memory_order_acquire) == 1 ||
      // acq_rel: release publishes this holder's reads of the message before the free; acquire
      // (for the last one) sees every other holder's.
      block->references.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    MessageAccess::destroy(block);
  }
}

SharedMessage SharedMessage::of(Message message) { return detail::make_message_block(std::move(message)); }

std::string_view SharedMessage::topic() const noexcept { return block_->topic_view(); }

PayloadView SharedMessage::payload() const noexcept { return PayloadView(block_->payload_bytes()); }

Payload SharedMessage::share_payload() const {
  if (block_->payload_size == MessageBlock::payload_in_extras) return block_->extras->payload;
  return Payload::copy_of(block_->payload_bytes());
}

std::optional<std::string_view> SharedMessage::content_type() const noexcept {
  if (block_->extras == nullptr || !block_->extras->content_type) return std::nullopt;
  return std::string_view(*block_->extras->content_type);
}

const Metadata& SharedMessage::metadata() const noexcept {
  static const Metadata none;
  return block_->extras != nullptr ? block_->extras->metadata : none;
}

std::optional<std::string_view> SharedMessage::find_metadata(std::string_view key) const noexcept {
  return detail::metadata_value(metadata(), key);
}

std::optional<std::string_view> SharedMessage::reply_to() const noexcept {
  if (block_->extras == nullptr || !block_->extras->reply_to) return std::nullopt;
  return std::string_view(*block_->extras->reply_to);
}

std::optional<Duration> SharedMessage::time_to_live() const noexcept {
  return block_->extras != nullptr ? block_->extras->time_to_live : std::nullopt;
}

TimePoint SharedMessage::published_at() const noexcept { return block_->published_at; }

const DeathRecord* SharedMessage::death() const noexcept {
  return block_->extras != nullptr ? block_->extras->death.get() : nullptr;
}

std::size_t SharedMessage::size_bytes() const noexcept {
  const std::size_t payload_size = block_->payload_bytes().size();
  if (block_->extras == nullptr) return payload_size;
  return detail::counted_bytes(payload_size, block_->extras->content_type, block_->extras->metadata);
}

Message SharedMessage::to_message() const {
  Message message{.topic = std::string(topic()), .payload = share_payload()};
  message.published_at = block_->published_at;
  if (const detail::MessageExtras* extras = block_->extras; extras != nullptr) {
    message.content_type = extras->content_type;
    message.metadata = extras->metadata;
    message.reply_to = extras->reply_to;
    message.time_to_live = extras->time_to_live;
    message.death = extras->death;
  }
  return message;
}

}  // namespace wasmq
