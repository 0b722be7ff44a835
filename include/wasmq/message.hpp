#pragma once
/// A message as published and as delivered.

#include <wasmq/dead_letter_keys.hpp>
#include <wasmq/detail/visibility.hpp>
#include <wasmq/payload.hpp>
#include <wasmq/runtime.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

/// Ordered key/value pairs (headers). Keys are unique; order is insertion order.
using Metadata = std::vector<std::pair<std::string, std::string>>;

/// Why a message left a queue without being accepted.
enum class DeadLetterReason : std::uint8_t {
  rejected,        ///< a consumer rejected it
  max_deliveries,  ///< its delivery count reached the queue's max_deliveries
  expired,         ///< its time to live ran out before it was delivered
  overflow,        ///< a full queue with policy drop_oldest pushed it out
  removed,         ///< its subscription was removed (last consumer closed) while it waited
};
inline constexpr std::size_t dead_letter_reason_count = 5;

/// "rejected", "max_deliveries", "expired", "overflow" or "removed".
std::string_view to_string(DeadLetterReason reason) noexcept;
/// Writes to_string(reason).
std::ostream& operator<<(std::ostream& out, DeadLetterReason reason);

/// What the broker records on a dead-lettered message; also written to its metadata under the
/// `wasmq-dl-*` keys so that guests that see only metadata can read it.
struct DeathRecord {
  DeadLetterReason reason{};
  std::string detail{};          ///< the reject reason, or a sentence from the broker
  std::string original_topic{};  ///< the name it was published to
  std::string queue{};           ///< the queue or subscription it died in
  std::uint32_t delivery_count = 0;
  TimePoint published_at{};  ///< when it was first published
  TimePoint dead_lettered_at{};
};

/// A message. Build one, hand it to `Broker::publish`; once published it is immutable and
/// shared by every queue it was routed to. The broker fills the fields marked "set by broker".
struct Message {
  std::string topic{};  ///< the name it is published to
  Payload payload{};
  std::optional<std::string> content_type{};
  Metadata metadata{};
  std::optional<std::string> reply_to{};   ///< where replies go (request-reply)
  std::optional<Duration> time_to_live{};  ///< undelivered after this long → expired

  TimePoint published_at{};  ///< set by broker
  /// Set by broker on dead letters. Shared, not inline: most messages never die, and a queued
  /// message is 120 bytes smaller for it.
  std::shared_ptr<const DeathRecord> death{};

  /// The value of `key`, if present.
  [[nodiscard]] std::optional<std::string_view> find_metadata(std::string_view key) const noexcept;
  /// Sets `key` to `value`, overwriting an existing value in place.
  void set_metadata(std::string_view key, std::string_view value);
  /// What counts against BrokerOptions::max_message_bytes and QueueOptions::max_bytes: the
  /// payload, the content type, and every metadata key and value.
  [[nodiscard]] std::size_t size_bytes() const noexcept;
};

}  // namespace wasmq

WASMQ_PUBLIC_END
