#pragma once
/// Captured traffic: everything that happened to every message in a test, in order.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/observer.hpp>
#include <wasmq/runtime.hpp>
#include <wasmq/shared_message.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq::testkit {

/// What happened. The broker's own events (published … dropped, see wasmq::EventKind) plus what
/// the harness sees at the facade: sends, failed sends, and injected duplicates.
enum class TrafficKind : std::uint8_t {
  sent,         ///< a guest or the test sent it (publish, request or reply); queue is empty
  send_failed,  ///< a send returned an error (`detail` says which), or a fault made it fail
  published,    ///< it entered `queue`
  refused,      ///< `queue` refused it (full)
  delivered,    ///< handed to a consumer of `queue`; delivery_count counts this delivery
  duplicated,   ///< a fault handed the same delivery to the guest a second time
  accepted,
  released,
  lock_expired,
  handler_failed,
  rejected,
  dead_lettered,  ///< left `queue` for its dead-letter name; `reason` says why
  dropped,        ///< left `queue` with nowhere to go; `reason` says why
};

/// "sent", "send_failed", "published", …
std::string_view to_string(TrafficKind kind) noexcept;

/// One captured event.
struct TrafficEvent {
  std::uint64_t sequence = 0;  ///< 1, 2, 3 … in capture order
  TrafficKind kind{};
  TimePoint time{};
  std::string queue{};      ///< the queue or subscription; empty for sends
  SharedMessage message{};  ///< never null; shares the payload
  std::uint32_t delivery_count = 0;
  std::optional<DeadLetterReason> reason{};
  std::string producer{};        ///< who sent the message: a guest's identity, "test", "broker", …
  std::uint64_t message_id = 0;  ///< one per message sent, shared by all its events
  std::string detail{};          ///< the error of a failed send, the fault injected, …
  std::uint64_t consumer = 0;    ///< delivered: the consumer's id (ConsumerStats::id)

  [[nodiscard]] std::string_view topic() const noexcept { return message.topic(); }
  /// The payload as text.
  [[nodiscard]] std::string text() const { return std::string(message.payload().as_string()); }
  [[nodiscard]] std::optional<std::string_view> metadata(std::string_view key) const noexcept {
    return message.find_metadata(key);
  }
};

/// One line of the timeline: "#3 +1.000s delivered#2 orders 'order-1' (from guest 'shop', id 1)",
/// times relative to `origin`; without an origin, no time.
std::string describe(const TrafficEvent& event, std::optional<TimePoint> origin = std::nullopt);
/// GoogleTest prints captured events with this.
void PrintTo(const TrafficEvent& event, std::ostream* out);

/// Records traffic: install it as the broker's observer (Harness does). Thread-safe; with a
/// ManualRuntime the events are in the exact order they happened.
class Traffic final : public Observer {
 public:
  explicit Traffic(TimePoint origin = TimePoint{});
  ~Traffic() override;
  Traffic(const Traffic&) = delete;
  Traffic& operator=(const Traffic&) = delete;

  void on_event(const Event& event) noexcept override;

  /// Records a send by `producer` (before it is published) and returns its message id. While
  /// `SendScope` lives on this thread, what the broker publishes is attributed to that send.
  std::uint64_t record_send(const SharedMessage& message, std::string_view producer, TimePoint time);
  /// Records that a send failed; `message_id` 0 when it was not recorded as sent (a fault
  /// stopped it first).
  void record_send_failed(const SharedMessage& message, std::string_view producer, std::uint64_t message_id,
                          std::string detail, TimePoint time);
  /// Records that a fault handed `delivery` (a `delivered` event) to the guest a second time.
  void record_duplicate(const TrafficEvent& delivery, TimePoint time);

  /// The last `delivered` event this traffic captured on this thread: a push consumer's handler
  /// runs on the thread that took its delivery, so inside a guest's Handle this is its delivery.
  [[nodiscard]] std::optional<TrafficEvent> current_delivery() const;
  /// Whether an event of `kind` for `message` was captured after sequence number `after`.
  [[nodiscard]] bool happened_after(TrafficKind kind, const SharedMessage& message, std::uint64_t after) const;

  /// Attributes the broker events this thread causes to one send (nests).
  class SendScope {
   public:
    SendScope(std::uint64_t message_id, std::string producer);
    ~SendScope();
    SendScope(const SendScope&) = delete;
    SendScope& operator=(const SendScope&) = delete;

   private:
    const SendScope* outer_;
    std::uint64_t message_id_;
    std::string producer_;
    friend class Traffic;
  };

  /// Every event so far, in order (a copy: safe while the broker runs).
  [[nodiscard]] std::vector<TrafficEvent> events() const;
  /// The events `keep` selects, in order.
  [[nodiscard]] std::vector<TrafficEvent> select(const std::function<bool(const TrafficEvent&)>& keep) const;
  /// Events of every kind (sent, published, delivered, accepted, …) of messages whose topic
  /// `pattern` matches (NATS wildcards allowed). For what was sent alone, see sent_to().
  [[nodiscard]] std::vector<TrafficEvent> on_topic(std::string_view pattern) const;
  /// `sent` events of messages whose topic `pattern` matches: what guests and the test sent there.
  [[nodiscard]] std::vector<TrafficEvent> sent_to(std::string_view pattern) const;
  /// Events of one kind.
  [[nodiscard]] std::vector<TrafficEvent> of_kind(TrafficKind kind) const;
  /// Events in one queue or subscription.
  [[nodiscard]] std::vector<TrafficEvent> in_queue(std::string_view queue) const;
  /// `dead_lettered` events.
  [[nodiscard]] std::vector<TrafficEvent> dead_letters() const { return of_kind(TrafficKind::dead_lettered); }
  /// How many events of `kind` so far.
  [[nodiscard]] std::size_t count(TrafficKind kind) const;
  [[nodiscard]] std::size_t size() const;

  /// Every event, one line each, times relative to the origin (see describe()).
  [[nodiscard]] std::string timeline() const;
  /// Forgets everything captured so far (message ids keep counting).
  void clear();

 private:
  struct Identity {
    std::uint64_t message_id = 0;
    std::string producer{};
  };
  /// The identity of `message`, creating one on first sight. Call with mutex_ held.
  Identity identify(const SharedMessage& message);
  void append(TrafficEvent&& event);  // mutex_ held

  const TimePoint origin_;
  mutable std::mutex mutex_;
  std::vector<TrafficEvent> events_;
  // Keyed by the message itself: holding it keeps its address from being reused by another.
  std::unordered_map<SharedMessage, Identity> identities_;
  std::uint64_t next_message_id_ = 1;
  std::uint64_t next_sequence_ = 1;
  std::array<std::size_t, 13> counts_{};
};

}  // namespace wasmq::testkit

WASMQ_PUBLIC_END
