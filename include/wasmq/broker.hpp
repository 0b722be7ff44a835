#pragma once
/// The broker: named queues, topic subscriptions, and the message lifecycle between them.

#include <wasmq/consumer.hpp>
#include <wasmq/error.hpp>
#include <wasmq/message.hpp>
#include <wasmq/options.hpp>
#include <wasmq/runtime.hpp>
#include <wasmq/stats.hpp>

#include <cstddef>
#include <memory>
#include <string_view>

namespace wasmq {

namespace detail {
class BrokerCore;
}

/// What a successful publish did.
struct PublishReceipt {
  std::size_t routed = 0;  ///< queues and subscriptions that took the message (0: unrouted)
};

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
/// broker.declare_queue("orders", {.max_deliveries = 3, .dead_letter = "orders.dead"});
/// auto consumer = broker.consume("orders", {}, [](wasmq::Delivery& d) { d.accept(); });
/// broker.publish({.topic = "orders", .payload = wasmq::Payload::copy_of("42")});
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
  Result<void> declare_queue(std::string_view name, const QueueOptions& options = {});

  /// Routes `message` to every queue and subscription that receives its topic; the payload is
  /// shared, not copied. Errors: invalid_name, wildcard_in_name, payload_too_large, closed;
  /// queue_full or timeout when a bounded target refused it (the other targets still got it).
  Result<PublishReceipt> publish(Message message);

  /// Attaches a push consumer to a declared queue. Errors: no_such_queue, invalid_argument,
  /// too_many_consumers, closed.
  Result<Consumer> consume(std::string_view queue, ConsumerOptions options, Handler handler);
  /// Subscribes a push consumer to every name `pattern` matches. Errors: invalid_pattern,
  /// invalid_name, invalid_argument, too_many_consumers, closed.
  Result<Consumer> subscribe(std::string_view pattern, const SubscribeOptions& options, Handler handler);
  /// Opens a pull receiver on a declared queue. Errors as for consume.
  Result<Receiver> open_receiver(std::string_view queue, ConsumerOptions options = {});
  /// Opens a pull receiver on a new subscription to `pattern`. Errors as for subscribe.
  Result<Receiver> subscribe_receiver(std::string_view pattern, const SubscribeOptions& options = {});

  /// The runtime this broker runs on.
  [[nodiscard]] Runtime& runtime() const noexcept;

  /// Counters of every queue, subscription and consumer.
  [[nodiscard]] BrokerStats stats() const;
  /// Counters of one queue or subscription by name. Errors: no_such_queue.
  [[nodiscard]] Result<QueueStats> queue_stats(std::string_view name) const;

  /// Closes every consumer and refuses further calls with Errc::closed. Idempotent; the
  /// destructor calls it.
  void shutdown();

 private:
  std::shared_ptr<detail::BrokerCore> core_;
};

}  // namespace wasmq
