#pragma once
// The broker's shared state: the registry of queues (changed under a mutex, rarely) and the
// routing table publishers read (an immutable snapshot, without locks).

#include "detail/cache_line.hpp"
#include "detail/offered.hpp"
#include "detail/only_writer.hpp"
#include "detail/per_thread.hpp"
#include "detail/queue_environment.hpp"
#include "detail/routing_table.hpp"

#include <wasmq/broker.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wasmq::detail {

class ConsumerCore;
class QueueCore;

/// What one thread published through one broker, counted by that thread alone
/// (add_as_only_writer(); detail/per_thread.hpp): publishers on several cores write no shared
/// line to keep the broker's statistics.
struct alignas(cache_line) PublisherCounts {
  std::atomic<std::uint64_t> published{0};
  std::atomic<std::uint64_t> unrouted{0};
};

class BrokerCore final : public QueueEnvironment, public std::enable_shared_from_this<BrokerCore> {
 public:
  BrokerCore(Runtime& runtime, BrokerOptions options);
  ~BrokerCore();

  [[nodiscard]] Runtime& runtime() const noexcept override { return runtime_; }
  [[nodiscard]] Observer* observer() const noexcept override { return options_.observer.get(); }
  [[nodiscard]] const BrokerOptions& options() const noexcept { return options_; }

  Result<void> declare_queue(std::string_view name, const QueueOptions& options);
  Result<PublishReceipt> publish(Message&& message);
  Result<PublishReceipt> publish(std::string_view topic, std::span<const std::uint8_t> payload);
  Result<void> publish_to(std::string_view queue, Message&& message);
  /// Publishes a dead letter built by a queue; true when at least one queue took it.
  bool publish_dead_letter(Message&& letter) override;

  Result<std::shared_ptr<ConsumerCore>> open(std::string_view queue, ConsumerOptions options, Handler handler);
  Result<std::shared_ptr<ConsumerCore>> open_subscription(std::string_view pattern, const SubscribeOptions& options,
                                                          Handler handler);
  /// Called once by a closing consumer, after it detached: unregisters it and removes an auto-delete
  /// queue nobody consumes any more.
  void on_consumer_left(std::uint64_t consumer_id, const std::shared_ptr<QueueCore>& queue) override;
  void report_handler_error(const HandlerError& error) noexcept override;

  [[nodiscard]] BrokerStats stats() const;
  [[nodiscard]] Result<QueueStats> queue_stats(std::string_view name) const;
  DrainReport drain(Duration timeout);
  void shutdown();

 private:
  /// The current snapshot from this thread's cache, with what the thread remembers of its last
  /// lookup in it (valid until this thread's next routes()).
  struct CachedRoutes {
    const RoutingTable* table;
    RoutingTable::LastExact* last;
  };
  CachedRoutes routes();
  CachedRoutes load_routes(std::uint64_t version);             // routes() when this thread's cache has no entry
  std::shared_ptr<const RoutingTable> current_routes() const;  // the current snapshot, held
  // The registry changed: the next snapshot (caller holds registry_mutex_).
  void set_routes_locked(std::shared_ptr<const RoutingTable> table);
  void add_route_locked(const std::shared_ptr<QueueCore>& queue);
  void remove_route_locked(const QueueCore& queue);
  Result<std::shared_ptr<QueueCore>> declare_locked(std::string_view name, const QueueOptions& options);
  Result<std::shared_ptr<ConsumerCore>> attach_locked(const std::shared_ptr<QueueCore>& queue, ConsumerOptions options,
                                                      Handler handler);
  /// When every queue a message matched refused it: the first of them and its reason (what the
  /// publish's error is built from). Empty (no queue) when some queue took it, or none matched.
  struct Refused {
    const QueueCore* queue = nullptr;
    Offered why = Offered::taken;
  };
  /// Offers `message` to every matching queue; moves out of `message` when it reached one.
  /// `bytes` is message.size_bytes(). Fills `receipt`. `last`, `is_last`: see
  /// RoutingTable::for_each_match.
  Refused route(SharedMessage& message, std::size_t bytes, const RoutingTable& table, PublishReceipt& receipt,
                RoutingTable::LastExact* last = nullptr, bool is_last = false);
  /// The snapshot one publish routes through (broker_core.cpp).
  class PublishRoutes;
  Result<void> check_open() const;
  /// What the checks every publish passes said: admitted, or the first check it failed.
  enum class Admission : std::uint8_t { admitted, closed, draining, invalid_name, too_many_entries, too_large };
  /// The checks every publish passes (open, not draining, name, limits), on a message of `bytes`
  /// (Message::size_bytes()) with `entries` metadata entries. `known_name`: the topic is one the
  /// routing table binds, so valid, and its check is skipped.
  Admission admit(std::string_view topic, std::size_t bytes, std::size_t entries, bool known_name) const;
  /// admit() for a Message of `bytes`; when admitted, stamps its publish time and clears its death record.
  Admission admit_and_stamp(Message& message, std::size_t bytes, bool known_name) const;
  /// The error for a publish admit() refused (made only then).
  [[gnu::cold]] Error admission_error(Admission refused, std::string_view topic, std::size_t bytes,
                                      std::size_t entries) const;
  /// The second half of a publish: routes the admitted `message` (of `bytes`) through `routes`,
  /// declares its topic as a queue when nothing took it and the options say so, and counts it.
  Result<PublishReceipt> publish_admitted(SharedMessage& message, std::size_t bytes, PublishRoutes& routes,
                                          bool is_last);
  /// What is left in the queues, and whether any of it still waits for a consumer.
  DrainReport left_over() const;
  PublisherCounts& this_threads_counts() {
    return publishers_.for_this_thread([] { return std::make_unique<PublisherCounts>(); });
  }

  Runtime& runtime_;
  const BrokerOptions options_;
  const std::uint64_t id_;  // never reused: keys this broker's entries in threads' route caches

  alignas(64) std::atomic<bool> closed_{false};
  std::atomic<bool> draining_{false};  // set once by drain(): publishes come only from handlers
  // Bumped (release) under registry_mutex_ after every new snapshot; publishers compare it
  // (acquire) with their cached snapshot's version.
  std::atomic<std::uint64_t> version_{1};
  // A thread publishing through up to 8 brokers in turn finds its counts without a miss.
  PerThread<PublisherCounts, 8> publishers_;

  mutable std::mutex registry_mutex_;
  std::map<std::string, std::shared_ptr<QueueCore>, std::less<>> queues_;
  std::map<std::uint64_t, std::weak_ptr<ConsumerCore>> consumers_;
  // The current snapshot: written under registry_mutex_, read without it (a publish that misses its
  // cache, a dead letter). Never null.
  std::atomic<std::shared_ptr<const RoutingTable>> routes_;
  std::uint64_t next_consumer_id_ = 1;
};

}  // namespace wasmq::detail
