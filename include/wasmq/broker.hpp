#pragma once
/// The broker: named queues, topic subscriptions, and the message lifecycle between them.

#include <wasmq/consumer.hpp>
#include <wasmq/detail/visibility.hpp>
#include <wasmq/error.hpp>
#include <wasmq/message.hpp>
#include <wasmq/options.hpp>
#include <wasmq/runtime.hpp>
#include <wasmq/stats.hpp>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

namespace detail {
class BrokerCore;
}

/// A queue or subscription that refused a publish the others took.
struct Refusal {
  std::string queue{};  ///< its name (QueueStats::name): what publish_to() takes to retry it alone
  Error error{};        ///< queue_full, timeout (block policy) or payload_too_large (its max_bytes)
};

/// What a successful publish did. A publish that every matching target refused is an error
/// instead, so a receipt always means at least one took it, or none matched.
struct PublishReceipt {
  std::size_t routed = 0;          ///< queues and subscriptions that took the message (0: unrouted)
  std::vector<Refusal> refused{};  ///< bounded targets that refused it while others took it

  /// True when no target refused it.
  [[nodiscard]] bool complete() const noexcept { return refused.empty(); }
};

/// What Broker::drain left behind.
struct DrainReport {
  /// Every queue with a consumer emptied, and every delivery was settled, before the timeout.
  /// (Messages in queues nobody consumes, such as a dead-letter queue, do not hold a drain.)
  bool finished = false;
  std::uint64_t waiting = 0;             ///< messages still waiting (available or delayed), in any queue
  std::uint64_t in_flight = 0;           ///< deliveries still unsettled
  std::vector<QueueStats> unfinished{};  ///< the queues that still hold messages, as they were at the end
};

/// Writes one line per queue: "<name>: <depth> waiting, <in_flight> in flight, ...".
std::ostream& operator<<(std::ostream& out, const DrainReport& report);

/// An in-process broker.
///
/// A *queue* is declared by name and receives what is published to exactly that name; its
/// consumers compete (each message goes to one). A *subscription* receives what is published to
/// any name its pattern matches; every subscription gets every message, and the members of a
/// subscription group compete for the group's copy. Both share one lifecycle: available →
/// acquired (delivered, locked) → accepted | released | rejected (dead-lettered).
///
/// ```
/// wasmq::ThreadPoolRuntime runtime(2);
/// wasmq::Broker broker(runtime);
/// if (auto declared = broker.declare_queue("orders", {.max_deliveries = 3, .dead_letter = "orders.dead"}); !declared)
///   std::cerr << declared.error() << '\n';
/// auto consumer = broker.consume("orders", {}, [](wasmq::Delivery& d) { (void)d.accept(); });
/// auto receipt = broker.publish({.topic = "orders", .payload = wasmq::Payload::copy_of("42")});
/// ```
/// All members are thread-safe. `runtime` must outlive the broker.
class Broker {
 public:
  explicit Broker(Runtime& runtime, BrokerOptions options = {});
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  /// Declares a queue receiving what is published to `name`. Declaring again with equal options
  /// is a no-op. Errors: invalid_name, wildcard_in_name, invalid_argument, already_exists, closed.
  [[nodiscard]] Result<void> declare_queue(std::string_view name, const QueueOptions& options = {});

  /// Routes `message` to every queue and subscription that receives its topic; the payload is
  /// shared, not copied. When some bounded targets refuse it and others take it, the receipt
  /// names the refusers (PublishReceipt::refused; retry them alone with publish_to). Errors:
  /// invalid_name, wildcard_in_name, payload_too_large, closed (also while draining, except from
  /// a handler); queue_full, timeout or payload_too_large when every target refused it.
  /// Takes `message` by reference, not by value: a message is a few hundred bytes, and a by-value
  /// parameter moved it once more on every publish. The `const&` overload copies it.
  [[nodiscard]] Result<PublishReceipt> publish(Message&& message);
  [[nodiscard]] Result<PublishReceipt> publish(const Message& message);
  /// Publishes a message that is only `payload` on `topic` (no content type, metadata, reply
  /// address or time to live): the same routing, errors and receipt as publish(Message) with
  /// those two fields, but the bytes are copied once, straight into the broker's message, with no
  /// Message built and destroyed around them — the cheapest publish.
  /// `broker.publish("orders", "42")`, or any contiguous bytes: `broker.publish("frames", bytes)`.
  [[nodiscard]] Result<PublishReceipt> publish(std::string_view topic, std::span<const std::uint8_t> payload);
  [[nodiscard]] Result<PublishReceipt> publish(std::string_view topic, std::string_view payload);
  /// Offers `message` to one queue or subscription, by its name (QueueStats::name), without
  /// routing: the retry for a Refusal. Errors as for publish, and no_such_queue.
  [[nodiscard]] Result<void> publish_to(std::string_view queue, Message&& message);
  [[nodiscard]] Result<void> publish_to(std::string_view queue, const Message& message);

  /// Attaches a push consumer to a declared queue. Errors: no_such_queue, invalid_argument,
  /// too_many_consumers, closed.
  [[nodiscard]] Result<Consumer> consume(std::string_view queue, ConsumerOptions options, Handler handler);
  /// Subscribes a push consumer to every name `pattern` matches. Errors: invalid_pattern,
  /// invalid_name, invalid_argument, too_many_consumers, closed; already_exists when joining a
  /// group whose queue has other options than `options.queue` (give the same, or none).
  [[nodiscard]] Result<Consumer> subscribe(std::string_view pattern, const SubscribeOptions& options, Handler handler);
  /// Opens a pull receiver on a declared queue. Errors as for consume.
  [[nodiscard]] Result<Receiver> open_receiver(std::string_view queue, ConsumerOptions options = {});
  /// Opens a pull receiver on a new subscription to `pattern`. Errors as for subscribe.
  [[nodiscard]] Result<Receiver> subscribe_receiver(std::string_view pattern, const SubscribeOptions& options = {});

  /// The runtime this broker runs on.
  [[nodiscard]] Runtime& runtime() const noexcept;

  /// Counters of every queue, subscription and consumer.
  [[nodiscard]] BrokerStats stats() const;
  /// Counters of one queue or subscription by name. Errors: no_such_queue.
  [[nodiscard]] Result<QueueStats> queue_stats(std::string_view name) const;

  /// Graceful stop, first half: refuses publishes from now on (Errc::closed), except those made
  /// from inside a push handler (finishing work may publish onward), and waits up to `timeout`
  /// (runtime time) until every queue with a consumer is empty and every delivery is settled.
  /// Returns what is left either way; consumers keep running (shutdown() closes them). On a runtime
  /// without threads of its own (ManualRuntime) it does not wait: run the runtime, then ask again.
  DrainReport drain(Duration timeout);
  /// Closes every consumer and refuses further calls with Errc::closed. Idempotent; the
  /// destructor calls it.
  void shutdown();

 private:
  std::shared_ptr<detail::BrokerCore> core_;
};

}  // namespace wasmq

WASMQ_PUBLIC_END
