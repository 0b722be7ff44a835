#pragma once
/// Knobs for the broker, its queues and its consumers. Defaults follow the established brokers.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/handler_error.hpp>
#include <wasmq/observer.hpp>
#include <wasmq/runtime.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

using namespace std::chrono_literals;

/// What a bounded queue does with a publish that does not fit.
enum class OverflowPolicy : std::uint8_t {
  reject_publish,  ///< the publish fails with Errc::queue_full (default for declared queues)
  drop_oldest,     ///< the oldest waiting message is dead-lettered as overflow (default for subscriptions)
  block,           ///< the publisher waits up to block_timeout for room, then fails with Errc::timeout
};

/// Settings of one queue (a declared point-to-point queue, or a subscription's own queue).
struct QueueOptions {
  /// How long a consumer holds a delivery before it is taken back as a failed delivery.
  Duration lock_duration = 30s;
  /// Deliveries after which a message that comes back is dead-lettered; 0 means unlimited.
  std::uint32_t max_deliveries = 10;
  /// Delay before a message is offered again after a failed delivery (lock expired, handler
  /// threw), indexed by delivery count − 1; the last entry repeats. Empty means no delay.
  std::vector<Duration> redelivery_backoff{};
  /// Most messages waiting (not counting those delivered and unsettled); 0 means unbounded.
  std::size_t max_length = 0;
  /// Most message bytes waiting (Message::size_bytes: payload, content type and metadata); 0
  /// means unbounded.
  std::size_t max_bytes = 0;
  /// Applied when max_length or max_bytes would be exceeded.
  OverflowPolicy overflow = OverflowPolicy::reject_publish;
  /// How long a publish waits for room under OverflowPolicy::block (wall-clock time).
  Duration block_timeout = 1s;
  /// Messages undelivered this long after publication expire (checked when they reach the head).
  std::optional<Duration> message_ttl{};
  /// Name that dead letters are published to; empty means dead letters are counted and dropped.
  std::string dead_letter{};

  friend bool operator==(const QueueOptions&, const QueueOptions&) = default;
};

/// Settings of one consumer (push) or receiver (pull).
struct ConsumerOptions {
  /// Most deliveries the consumer holds unsettled at once; dispatch pauses at the limit.
  std::uint32_t max_in_flight = 64;
  /// Most deliveries a push consumer handles per scheduled run before yielding its thread. A run
  /// takes them from the queue at once (up to 64 per bulk dequeue, and no more than it has free
  /// in-flight slots): larger batches cost fewer transfers of the queue's shared state between
  /// threads, and share the queue more coarsely between competing consumers (each handles its own
  /// batch; first deliveries keep publish order per consumer, not across them).
  std::uint32_t batch_size = 32;
  /// How long a push consumer that found its queue empty stays scheduled — re-queued behind the
  /// runtime's other work, never holding a thread — before it sleeps, on runtimes with threads
  /// of their own. A message published meanwhile needs no wake-up (a futex and a thread switch
  /// for the publisher). Zero: sleep at once.
  Duration idle_poll = std::chrono::microseconds(20);
};

/// What undeclared names mean to `publish` and `consume`.
enum class UndeclaredNames : std::uint8_t {
  topic,  ///< publish reaches only matching subscriptions (none: counted as unrouted); consume fails
  queue,  ///< publish and consume declare a queue with default_queue options on first use
};

/// Settings of one broker.
struct BrokerOptions {
  /// Largest message accepted by publish, counted by Message::size_bytes (payload, content type
  /// and metadata); NATS's default maximum payload, headers included, is 1 MiB too.
  std::size_t max_message_bytes = std::size_t{1024} * 1024;
  /// Most metadata entries on one published message.
  std::size_t max_metadata_entries = 256;
  UndeclaredNames undeclared = UndeclaredNames::topic;
  /// Options of queues declared implicitly (UndeclaredNames::queue).
  QueueOptions default_queue{};
  /// Told about every message event (see observer.hpp); null for none. Costs one branch when null.
  std::shared_ptr<Observer> observer{};
  /// Told when a push handler throws, with the exception and its text (see handler_error.hpp);
  /// empty for none (the failure is then only counted in handler_failures).
  HandlerErrorHook on_handler_error{};
  /// Options of subscriptions' queues unless the subscriber gives its own.
  QueueOptions default_subscription = [] {
    QueueOptions options;
    options.overflow = OverflowPolicy::drop_oldest;
    return options;
  }();
};

/// How to subscribe to a topic pattern.
struct SubscribeOptions {
  /// Members of one group on one pattern share one queue and compete for its messages; an empty
  /// group gives the subscriber a queue of its own.
  std::string group{};
  /// Options of the subscription's queue (used by the first member of a group).
  std::optional<QueueOptions> queue{};
  ConsumerOptions consumer{};
};

}  // namespace wasmq

WASMQ_PUBLIC_END
