#pragma once
/// Watching what happens to each message: the hook behind captured traffic and timelines in tests.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/runtime.hpp>
#include <wasmq/shared_message.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

/// What happened to a message in a queue.
enum class EventKind : std::uint8_t {
  published,  ///< entered the queue from a publish (delivery_count 0)
  refused,    ///< a publish the queue refused (full, block timeout); it never entered
  delivered,  ///< handed to a consumer (delivery_count counts this delivery)
  accepted,
  released,        ///< released, dropped unsettled, or taken back from a closing consumer
  lock_expired,    ///< its lock expired: a failed delivery
  handler_failed,  ///< its push handler threw: a failed delivery
  rejected,
  dead_lettered,  ///< left for the dead-letter name (`reason` says why)
  dropped,        ///< left with nowhere to go (`reason` says why)
};

/// "published", "refused", "delivered", …
std::string_view to_string(EventKind kind) noexcept;
/// Writes to_string(kind).
std::ostream& operator<<(std::ostream& out, EventKind kind);

/// One event. Valid during the call only; copy what you keep (the message is shared and cheap).
struct Event {
  EventKind kind{};
  std::string_view queue{};
  const SharedMessage& message;
  std::uint32_t delivery_count = 0;
  std::optional<DeadLetterReason> reason{};  ///< dead_lettered and dropped
  TimePoint time{};
  /// delivered: the consumer it was handed to (ConsumerStats::id); 0 for other kinds.
  std::uint64_t consumer = 0;
};

/// One line: `<kind> queue=<name> topic=<topic> delivery_count=<n>` and, when set, reason and consumer.
std::ostream& operator<<(std::ostream& out, const Event& event);

/// Receives every event of a broker (BrokerOptions::observer), synchronously, on the thread that
/// caused it — so it must be thread-safe and quick. With a ManualRuntime everything runs on the
/// test's thread and events arrive in the order they happened.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_event(const Event& event) noexcept = 0;
};

}  // namespace wasmq

WASMQ_PUBLIC_END
