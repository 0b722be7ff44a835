#include <wasmq/message.hpp>
#include <wasmq/observer.hpp>
#include <wasmq/stats.hpp>

#include "detail/message_fields.hpp"

#include <numeric>

namespace wasmq {

std::string_view to_string(DeadLetterReason reason) noexcept {
  switch (reason) {
    case DeadLetterReason::rejected: return "rejected";
    case DeadLetterReason::max_deliveries: return "max_deliveries";
    case DeadLetterReason::expired: return "expired";
    case DeadLetterReason::overflow: return "overflow";
    case DeadLetterReason::removed: return "removed";
  }
  return "unknown";
}

std::string_view to_string(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::published: return "published";
    case EventKind::refused: return "refused";
    case EventKind::delivered: return "delivered";
    case EventKind::accepted: return "accepted";
    case EventKind::released: return "released";
    case EventKind::lock_expired: return "lock_expired";
    case EventKind::handler_failed: return "handler_failed";
    case EventKind::rejected: return "rejected";
    case EventKind::dead_lettered: return "dead_lettered";
    case EventKind::dropped: return "dropped";
  }
  return "unknown";
}

std::optional<std::string_view> Message::find_metadata(std::string_view key) const noexcept {
  return detail::metadata_value(metadata, key);
}

void Message::set_metadata(std::string_view key, std::string_view value) {
  if (auto found = detail::find_entry(metadata, key); found != metadata.end()) {
    found->second.assign(value);
  } else {
    metadata.emplace_back(std::string(key), std::string(value));
  }
}

std::size_t Message::size_bytes() const noexcept {
  return detail::counted_bytes(payload.size(), content_type, metadata);
}

std::uint64_t QueueStats::dead_lettered_total() const noexcept {
  return std::accumulate(dead_lettered.begin(), dead_lettered.end(), std::uint64_t{0});
}

std::uint64_t QueueStats::dropped_total() const noexcept {
  return std::accumulate(dropped.begin(), dropped.end(), std::uint64_t{0});
}

std::uint64_t QueueStats::expired() const noexcept {
  const auto at = static_cast<std::size_t>(DeadLetterReason::expired);
  return dead_lettered[at] + dropped[at];
}

}  // namespace wasmq
