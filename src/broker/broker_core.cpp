#include "detail/broker_core.hpp"

#include "detail/message_block.hpp"
#include "detail/plain_name.hpp"

#include "detail/consumer_core.hpp"
#include "detail/queue_core.hpp"

#include <wasmq/name.hpp>

#include <array>
#include <optional>
#include <vector>

namespace wasmq::detail {

namespace {

std::atomic<std::uint64_t> next_broker_id{1};

// Each publishing thread keeps the last routing snapshots it used, so that a publish costs one
// acquire load of the broker's version instead of a shared_ptr copy (an atomic read-modify-write
// on a counter every publisher shares). A stale entry keeps its snapshot alive until this thread
// replaces it; snapshots hold queues, which hold no reference back to a broker that may be gone.
struct RouteCacheEntry {
  std::uint64_t broker_id = 0;
  std::uint64_t version = 0;
  std::shared_ptr<const RoutingTable> table;
  RoutingTable::LastExact last;  // owned by `table`: replaced with it
};
// Whether this thread's route_cache exists: trivially destructible, so it can still be read while
// the thread (or the process, for the main thread) runs its exit handlers — a broker destroyed by
// a static destructor must not touch a cache that is already gone.
enum class CacheState : std::uint8_t { unused, alive, gone };
thread_local CacheState route_cache_state = CacheState::unused;
struct RouteCache;
// The cache once it exists, else null: the hot path reads it through this pointer, which needs
// no initialisation, where naming route_cache (which has a constructor) calls the thread-local
// guard on every publish.
thread_local RouteCache* live_route_cache = nullptr;
struct RouteCache {
  std::array<RouteCacheEntry, 4> entries;
  std::size_t next_victim = 0;
  RouteCache() noexcept {
    route_cache_state = CacheState::alive;
    live_route_cache = this;
  }
  ~RouteCache() {
    route_cache_state = CacheState::gone;
    live_route_cache = nullptr;
  }
  RouteCache(const RouteCache&) = delete;
  RouteCache& operator=(const RouteCache&) = delete;
};
thread_local RouteCache route_cache;
// True while this thread routes a message through a snapshot held in route_cache. A publish
// made meanwhile on the same thread (an observer or an inline handler publishing) must not
// replace a cache entry: the outer routing would be left iterating a freed snapshot. It takes
// its own reference instead.
thread_local bool routing_from_cache = false;

std::string subscription_name(std::string_view pattern, const SubscribeOptions& options, std::uint64_t id) {
  // A space cannot appear in a declared name, so these never collide with declared queues.
  if (!options.group.empty()) return std::string(pattern) + " [group " + options.group + "]";
  return std::string(pattern) + " [subscriber " + std::to_string(id) + "]";
}

Result<void> validate_options(const QueueOptions& options, std::string_view name) {
  if (options.lock_duration <= Duration::zero()) {
    return make_error(Errc::invalid_argument, "lock_duration of '" + std::string(name) + "' must be positive");
  }
  if (!options.dead_letter.empty()) {
    if (auto valid = validate_name(options.dead_letter); !valid) {
      return make_error(valid.error().code, "dead_letter of '" + std::string(name) + "': " + valid.error().message());
    }
    if (options.dead_letter == name) {
      return make_error(Errc::invalid_argument,
                        "queue '" + std::string(name) + "' cannot be its own dead-letter target");
    }
  }
  for (Duration delay : options.redelivery_backoff) {
    if (delay < Duration::zero()) return make_error(Errc::invalid_argument, "redelivery_backoff has a negative delay");
  }
  return {};
}

Result<void> validate_consumer(const ConsumerOptions& options) {
  if (options.max_in_flight == 0 || options.max_in_flight > InFlightTable::max_capacity) {
    return make_error(Errc::invalid_argument, "max_in_flight must be between 1 and " +
                                                  std::to_string(InFlightTable::max_capacity) + ", not " +
                                                  std::to_string(options.max_in_flight));
  }
  if (options.batch_size == 0) return make_error(Errc::invalid_argument, "batch_size must be at least 1");
  return {};
}

}  // namespace

BrokerCore::BrokerCore(Runtime& runtime, BrokerOptions options)
    : runtime_(runtime),
      options_(std::move(options)),
      id_(next_broker_id.fetch_add(1, std::memory_order_relaxed)),
      routes_(std::make_shared<const RoutingTable>()) {}

BrokerCore::~BrokerCore() = default;

Result<void> BrokerCore::check_open() const {
  if (closed_.load(std::memory_order_acquire)) return make_error(Errc::closed, "the broker is shut down");
  return {};
}

// --- routing snapshot --------------------------------------------------------------------------

void BrokerCore::set_routes_locked(std::shared_ptr<const RoutingTable> table) {
  // Under registry_mutex_, so that changes apply one after another. The version is bumped after
  // the snapshot is stored: a publisher that sees the new version (acquire) loads this snapshot
  // or a newer one. release on both: see routes() and current_routes().
  routes_.store(std::move(table), std::memory_order_release);
  version_.fetch_add(1, std::memory_order_release);
}

void BrokerCore::add_route_locked(const std::shared_ptr<QueueCore>& queue) {
  set_routes_locked(routes_.load(std::memory_order_relaxed)->with(queue));  // relaxed: we are its writer
}

void BrokerCore::remove_route_locked(const QueueCore& queue) {
  set_routes_locked(routes_.load(std::memory_order_relaxed)->without(queue));  // relaxed: we are its writer
}

std::shared_ptr<const RoutingTable> BrokerCore::current_routes() const {
  return routes_.load(std::memory_order_acquire);  // acquire: pairs with set_routes_locked()
}

// Inline: every publish asks, and nearly always finds its snapshot; loading a new one is out of line.
[[gnu::always_inline]] inline BrokerCore::CachedRoutes BrokerCore::routes() {
  // acquire: pairs with set_routes_locked(); a version we see makes its snapshot visible.
  const std::uint64_t version = version_.load(std::memory_order_acquire);
  if (RouteCache* const cache = live_route_cache) [[likely]] {
    for (RouteCacheEntry& entry : cache->entries) {
      if (entry.broker_id == id_ && entry.version == version) return {entry.table.get(), &entry.last};
    }
  }
  return load_routes(version);  // makes the cache on this thread's first publish
}

BrokerCore::CachedRoutes BrokerCore::load_routes(std::uint64_t version) {
  // The snapshot loaded after the version is that version's or a newer one; a newer one is
  // cached under the older version number and replaced at the next publish.
  std::shared_ptr<const RoutingTable> table = current_routes();
  const std::uint64_t built_for = version;
  RouteCacheEntry* slot = nullptr;
  for (RouteCacheEntry& entry : route_cache.entries) {
    if (entry.broker_id == id_) slot = &entry;  // replace this broker's older snapshot first
  }
  if (slot == nullptr) {
    slot = &route_cache.entries[route_cache.next_victim];
    route_cache.next_victim = (route_cache.next_victim + 1) % route_cache.entries.size();
  }
  *slot = RouteCacheEntry{id_, built_for, std::move(table), {}};
  return {slot->table.get(), &slot->last};
}

// --- declaring and publishing ------------------------------------------------------------------

Result<std::shared_ptr<QueueCore>> BrokerCore::declare_locked(std::string_view name, const QueueOptions& options) {
  if (auto found = queues_.find(name); found != queues_.end()) {
    if (found->second->options() != options) {
      return make_error(Errc::already_exists,
                        "queue '" + std::string(name) + "' already exists with different options");
    }
    return found->second;
  }
  auto queue = std::make_shared<QueueCore>(shared_from_this(), std::string(name), std::string(name), options, false);
  queues_.emplace(std::string(name), queue);
  add_route_locked(queue);
  return queue;
}

Result<void> BrokerCore::declare_queue(std::string_view name, const QueueOptions& options) {
  if (auto valid = validate_name(name); !valid) return std::unexpected(valid.error());
  if (auto valid = validate_options(options, name); !valid) return valid;
  std::lock_guard lock(registry_mutex_);
  if (auto open = check_open(); !open) return open;
  if (auto queue = declare_locked(name, options); !queue) return std::unexpected(queue.error());
  return {};
}

namespace {

// A refusal after the first, while another queue took the message: named in the receipt. Out of
// line and cold, so that route() keeps the small frame of the path that takes the message.
[[gnu::cold, gnu::noinline]] void add_refusal(PublishReceipt& receipt, const QueueCore& queue, Offered why,
                                              std::size_t bytes) {
  receipt.refused.push_back({queue.name(), queue.refusal_error(why, bytes)});
}

}  // namespace

BrokerCore::Refused BrokerCore::route(SharedMessage& message, std::size_t bytes, const RoutingTable& table,
                                      PublishReceipt& receipt, RoutingTable::LastExact* last, bool is_last) {
  // The first refusal is kept as a queue and a reason, not an error: when nothing took the
  // message it becomes the error; when something did, the receipt names it.
  Refused first;
  auto offer = [&](QueueCore& queue, SharedMessage&& offered) {
    const Offered why = queue.offer(std::move(offered), bytes);
    if (why == Offered::taken) {
      ++receipt.routed;
    } else if (first.queue == nullptr) {
      first = {&queue, why};
    } else {
      add_refusal(receipt, queue, why, bytes);
    }
  };
  // Each match is offered when the next one is found, and the last one after the walk, with this
  // thread's reference instead of a copy: the publisher then does not write the message's
  // reference count again after a consumer may have it (a cache line both sides would write per
  // message). The walk reads the topic only while `message` still holds it.
  QueueCore* previous = nullptr;
  table.for_each_match(
      MessageAccess::block(message)->topic_view(),  // inline: the accessor is out of line
      [&](QueueCore& queue) {
        if (previous != nullptr) offer(*previous, SharedMessage(message));
        previous = &queue;
      },
      last, is_last);
  if (previous != nullptr) offer(*previous, std::move(message));
  // Refused by every target: nothing took it, so it is an error (and a retry duplicates nothing).
  // Refused by some: the receipt names them, the first one first; publish_to() retries them alone.
  if (first.queue == nullptr || receipt.routed == 0) return first;
  receipt.refused.insert(receipt.refused.begin(),
                         Refusal{first.queue->name(), first.queue->refusal_error(first.why, bytes)});
  return {};
}

// The current snapshot for the length of one publish: this thread's cached one, unless the thread
// is already routing through it (a publish from inside a publish), then a reference of its own.
// Taken before the topic is checked, so that a topic this thread routed last through the same
// snapshot — a name the table binds, so valid — skips the check and the routing's own comparison.
class BrokerCore::PublishRoutes {
 public:
  [[gnu::always_inline]] explicit PublishRoutes(BrokerCore& broker) {
    if (!routing_from_cache && route_cache_state != CacheState::gone) [[likely]] {
      routing_from_cache = true;
      const CachedRoutes cached = broker.routes();
      table_ = cached.table;
      last_ = cached.last;
    } else {
      held_ = broker.current_routes();
      table_ = held_.get();
    }
  }
  ~PublishRoutes() {
    if (last_ != nullptr) routing_from_cache = false;  // it was this publish's to clear
  }
  PublishRoutes(const PublishRoutes&) = delete;
  PublishRoutes& operator=(const PublishRoutes&) = delete;

  /// Whether `topic` is the bound name this thread last routed through this snapshot.
  [[nodiscard]] bool is_last(std::string_view topic) const noexcept { return last_ != nullptr && last_->is(topic); }
  [[nodiscard]] const RoutingTable& table() const noexcept { return *table_; }
  [[nodiscard]] RoutingTable::LastExact* last() const noexcept { return last_; }

 private:
  const RoutingTable* table_ = nullptr;
  RoutingTable::LastExact* last_ = nullptr;  // set exactly when the snapshot is the cache's
  std::shared_ptr<const RoutingTable> held_;
};

// Inlined into the publishes: it is the first half of the hot path. A reason, not a Result: a
// Result<size_t> holds an Error, and making one clears its 96 bytes on every publish.
[[gnu::always_inline]] inline BrokerCore::Admission BrokerCore::admit(std::string_view topic, std::size_t bytes,
                                                                      std::size_t entries, bool known_name) const {
  if (closed_.load(std::memory_order_acquire)) return Admission::closed;  // acquire: pairs with shutdown()
  // seq_cst: pairs with drain(), which sets the flag before it first counts what is left.
  if (draining_.load(std::memory_order_seq_cst) && !ConsumerCore::on_handler_thread()) return Admission::draining;
  if (!known_name && !plain_name(topic) && !validate_name(topic)) return Admission::invalid_name;
  if (entries > options_.max_metadata_entries) return Admission::too_many_entries;
  if (bytes > options_.max_message_bytes) return Admission::too_large;
  return Admission::admitted;
}

Error BrokerCore::admission_error(Admission refused, std::string_view topic, std::size_t bytes,
                                  std::size_t entries) const {
  switch (refused) {
    case Admission::closed: return check_open().error();  // closed stays closed
    case Admission::draining:
      return {Errc::closed, "the broker is draining: it takes publishes from its handlers only"};
    case Admission::invalid_name: return validate_name(topic).error();
    case Admission::too_many_entries:
      return {Errc::payload_too_large, "message has " + std::to_string(entries) +
                                           " metadata entries; the broker's max_metadata_entries is " +
                                           std::to_string(options_.max_metadata_entries)};
    case Admission::too_large:
    case Admission::admitted:  // not a refusal; never asked
      break;
  }
  return {Errc::payload_too_large, "message of " + std::to_string(bytes) +
                                       " bytes (payload, content type and metadata) exceeds the "
                                       "broker's max_message_bytes of " +
                                       std::to_string(options_.max_message_bytes)};
}

// Inlined into both publishes: the second half of the hot path.
[[gnu::always_inline]] inline Result<PublishReceipt> BrokerCore::publish_admitted(SharedMessage& message,
                                                                                  std::size_t bytes,
                                                                                  PublishRoutes& routes, bool is_last) {
  PublishReceipt receipt;
  Refused refused = route(message, bytes, routes.table(), receipt, routes.last(), is_last);
  if (refused.queue == nullptr && receipt.routed == 0 && options_.undeclared == UndeclaredNames::queue) {
    std::shared_ptr<const RoutingTable> table;
    {
      std::lock_guard lock(registry_mutex_);
      if (auto queue = declare_locked(message.topic(), options_.default_queue); !queue) {
        return std::unexpected(std::move(queue.error()));
      }
      table = routes_.load(std::memory_order_relaxed);  // relaxed: under the mutex, its only writer
    }
    refused = route(message, bytes, *table, receipt);
  }
  // Every target refused it.
  if (refused.queue != nullptr) return std::unexpected(refused.queue->refusal_error(refused.why, bytes));
  PublisherCounts& counts = this_threads_counts();
  add_as_only_writer(counts.published);
  if (receipt.routed == 0) add_as_only_writer(counts.unrouted);
  return receipt;
}

[[gnu::always_inline]] inline BrokerCore::Admission BrokerCore::admit_and_stamp(Message& message, std::size_t bytes,
                                                                                bool known_name) const {
  const Admission admission = admit(message.topic, bytes, message.metadata.size(), known_name);
  if (admission == Admission::admitted) {
    message.published_at = runtime_.now();
    message.death.reset();  // only the broker writes death records
  }
  return admission;
}

Result<PublishReceipt> BrokerCore::publish(Message&& message) {
  const std::size_t bytes = message.size_bytes();
  PublishRoutes routes(*this);
  const bool is_last = routes.is_last(message.topic);
  if (const Admission refused = admit_and_stamp(message, bytes, is_last); refused != Admission::admitted) [[unlikely]] {
    return std::unexpected(admission_error(refused, message.topic, bytes, message.metadata.size()));
  }
  auto shared = make_message_block(std::move(message));
  return publish_admitted(shared, bytes, routes, is_last);
}

Result<PublishReceipt> BrokerCore::publish(std::string_view topic, std::span<const std::uint8_t> payload) {
  PublishRoutes routes(*this);
  const bool is_last = routes.is_last(topic);
  if (const Admission refused = admit(topic, payload.size(), 0, is_last); refused != Admission::admitted) [[unlikely]] {
    return std::unexpected(admission_error(refused, topic, payload.size(), 0));
  }
  auto shared = make_message_block(topic, payload, runtime_.now());
  return publish_admitted(shared, payload.size(), routes, is_last);
}

Result<void> BrokerCore::publish_to(std::string_view queue_name, Message&& message) {
  const std::size_t bytes = message.size_bytes();
  if (const Admission refused = admit_and_stamp(message, bytes, false); refused != Admission::admitted) {
    return std::unexpected(admission_error(refused, message.topic, bytes, message.metadata.size()));
  }
  std::shared_ptr<QueueCore> queue;
  {
    std::lock_guard lock(registry_mutex_);
    auto found = queues_.find(queue_name);
    if (found == queues_.end()) {
      return make_error(Errc::no_such_queue, "no queue or subscription named '" + std::string(queue_name) + "'");
    }
    queue = found->second;
  }
  if (const Offered why = queue->offer(make_message_block(std::move(message)), bytes); why != Offered::taken) {
    return std::unexpected(queue->refusal_error(why, bytes));
  }
  add_as_only_writer(this_threads_counts().published);
  return {};
}

bool BrokerCore::publish_dead_letter(Message&& letter) {
  if (closed_.load(std::memory_order_acquire)) return false;
  letter.published_at = runtime_.now();
  auto shared = make_message_block(std::move(letter));
  // A dead letter may be produced while this thread is inside routes()' caller (drop_oldest during
  // a publish), so it takes its own reference to the snapshot instead of the thread's cache; and
  // no lock, unless the dead-letter name must be declared first.
  std::shared_ptr<const RoutingTable> table = current_routes();
  if (options_.undeclared == UndeclaredNames::queue && !table->has_exact(shared.topic())) {
    std::lock_guard lock(registry_mutex_);
    if (!queues_.contains(shared.topic())) (void)declare_locked(shared.topic(), options_.default_queue);
    table = routes_.load(std::memory_order_relaxed);  // relaxed: under the mutex, its only writer
  }
  PublishReceipt receipt;
  return route(shared, shared.size_bytes(), *table, receipt).queue == nullptr && receipt.routed > 0;
}

// --- consumers ---------------------------------------------------------------------------------

Result<std::shared_ptr<ConsumerCore>> BrokerCore::attach_locked(const std::shared_ptr<QueueCore>& queue,
                                                                ConsumerOptions options, Handler handler) {
  const std::uint64_t id = next_consumer_id_++;
  const bool push = static_cast<bool>(handler);
  auto consumer = std::make_shared<ConsumerCore>(shared_from_this(), queue, options, std::move(handler), id);
  std::uint32_t slot = 0;
  if (push) {
    auto attached = queue->attach(consumer);
    if (!attached) return std::unexpected(attached.error());
    slot = *attached;
  } else {
    queue->attach_receiver();
  }
  consumers_.emplace(id, consumer);
  if (push) consumer->start(slot);
  return consumer;
}

Result<std::shared_ptr<ConsumerCore>> BrokerCore::open(std::string_view queue_name, ConsumerOptions options,
                                                       Handler handler) {
  if (auto valid = validate_consumer(options); !valid) return std::unexpected(valid.error());
  if (auto valid = validate_name(queue_name); !valid) return std::unexpected(valid.error());
  std::lock_guard lock(registry_mutex_);
  if (auto open = check_open(); !open) return std::unexpected(open.error());
  std::shared_ptr<QueueCore> queue;
  if (auto found = queues_.find(queue_name); found != queues_.end() && !found->second->auto_delete()) {
    queue = found->second;
  } else if (options_.undeclared == UndeclaredNames::queue) {
    auto declared = declare_locked(queue_name, options_.default_queue);
    if (!declared) return std::unexpected(declared.error());
    queue = *declared;
  } else {
    return make_error(Errc::no_such_queue,
                      "no queue named '" + std::string(queue_name) + "' (declare it first, or subscribe to a topic)");
  }
  return attach_locked(queue, options, std::move(handler));
}

Result<std::shared_ptr<ConsumerCore>> BrokerCore::open_subscription(std::string_view pattern,
                                                                    const SubscribeOptions& options, Handler handler) {
  if (auto valid = validate_pattern(pattern); !valid) return std::unexpected(valid.error());
  if (!options.group.empty()) {
    if (auto valid = validate_name(options.group); !valid) {
      return make_error(valid.error().code, "group name: " + valid.error().message());
    }
  }
  if (auto valid = validate_consumer(options.consumer); !valid) return std::unexpected(valid.error());
  const QueueOptions& queue_options = options.queue ? *options.queue : options_.default_subscription;
  std::lock_guard lock(registry_mutex_);
  if (auto open = check_open(); !open) return std::unexpected(open.error());
  if (auto valid = validate_options(queue_options, pattern); !valid) return std::unexpected(valid.error());
  const std::string name = subscription_name(pattern, options, next_consumer_id_);
  std::shared_ptr<QueueCore> queue;
  if (auto found = queues_.find(name); found != queues_.end()) {
    // Joining an existing group: the group's queue is the first member's. A member that names
    // other queue options would silently not get them, so it is refused (as declare_queue is).
    queue = found->second;
    if (options.queue && !(*options.queue == queue->options())) {
      return make_error(Errc::already_exists, "group '" + options.group + "' on '" + std::string(pattern) +
                                                  "' already has a queue with other options (give the same "
                                                  "options, or none, to join it)");
    }
  } else {
    queue = std::make_shared<QueueCore>(shared_from_this(), name, std::string(pattern), queue_options, true);
    queues_.emplace(name, queue);
    add_route_locked(queue);
  }
  auto consumer = attach_locked(queue, options.consumer, std::move(handler));
  if (!consumer && queue->consumer_count() == 0) {
    queues_.erase(name);
    remove_route_locked(*queue);
  }
  return consumer;
}

void BrokerCore::on_consumer_left(std::uint64_t consumer_id, const std::shared_ptr<QueueCore>& queue) {
  bool remove = false;
  {
    std::lock_guard lock(registry_mutex_);
    consumers_.erase(consumer_id);
    // Counted again under the lock: a consumer that joined the group after the leaver detached
    // keeps the subscription; one that joins after this removal gets a new one.
    if (queue->auto_delete() && queue->consumer_count() == 0) {
      if (auto found = queues_.find(queue->name()); found != queues_.end() && found->second == queue) {
        queues_.erase(found);
        remove_route_locked(*queue);
        remove = true;
      }
    }
  }
  // After the routing change: a publisher still on the old snapshot may enqueue, and close()
  // guarantees such a message is dropped as `removed` rather than stranded.
  if (remove) queue->close();
}

void BrokerCore::report_handler_error(const HandlerError& error) noexcept {
  wasmq::report_handler_error(options_.on_handler_error, error);
}

// --- observing, draining and shutting down -----------------------------------------------------

DrainReport BrokerCore::left_over() const {
  DrainReport report;
  bool consumed_left = false;
  for (QueueStats& queue : stats().queues) {
    const std::uint64_t waiting = queue.depth + queue.delayed;
    // A message a consumer has taken from the queue and not yet installed as a delivery is in
    // none of waiting and in flight: the accounting identity (published = ended + waiting + in
    // flight) comes up short while it is in a consumer's hand. stats() reads `published` before
    // the rest, so a publish during this look makes the right side larger, not smaller; only a
    // message both published and taken between those reads (onward from a handler) can still be
    // missed by one look, and the handler's own delivery is in flight meanwhile.
    const std::uint64_t ended = queue.accepted + queue.dead_lettered_total() + queue.dropped_total();
    const bool in_hand = queue.published > ended + waiting + queue.in_flight;
    if (waiting + queue.in_flight == 0 && !in_hand) continue;
    report.waiting += waiting;
    report.in_flight += queue.in_flight;
    if (queue.consumers > 0 || queue.in_flight > 0 || in_hand) consumed_left = true;
    report.unfinished.push_back(std::move(queue));
  }
  report.finished = !consumed_left;
  return report;
}

DrainReport BrokerCore::drain(Duration timeout) {
  // seq_cst: pairs with admit(): a publish that passed the check before this store is
  // counted below or by a later round (its offer is done before it returns).
  draining_.store(true, std::memory_order_seq_cst);
  if (closed_.load(std::memory_order_acquire)) return left_over();
  const TimePoint deadline = runtime_.now() + timeout;
  // Polled: nothing on the message path pays for a drain nobody may ever call. The first looks are
  // quick; later ones back off to a few milliseconds. wait_until() lets a caller on one of the
  // runtime's own threads run handlers meanwhile instead of blocking one.
  Duration pause = std::chrono::microseconds(50);
  for (;;) {
    DrainReport report = left_over();
    if (report.finished || !runtime_.runs_in_parallel()) return report;
    const TimePoint now = runtime_.now();
    if (now >= deadline) return report;
    (void)runtime_.wait_until([] { return false; }, std::min(deadline, now + pause));
    pause = std::min<Duration>(pause * 2, std::chrono::milliseconds(5));
  }
}

BrokerStats BrokerCore::stats() const {
  BrokerStats stats;
  std::vector<std::shared_ptr<QueueCore>> queues;
  std::vector<std::shared_ptr<ConsumerCore>> consumers;
  {
    std::lock_guard lock(registry_mutex_);
    for (const auto& [name, queue] : queues_) queues.push_back(queue);
    for (const auto& [id, weak] : consumers_) {
      if (auto consumer = weak.lock()) consumers.push_back(std::move(consumer));
    }
  }
  publishers_.for_each([&](const PublisherCounts& counts) {
    stats.published += counts.published.load(std::memory_order_relaxed);  // relaxed: statistics
    stats.unrouted += counts.unrouted.load(std::memory_order_relaxed);
  });
  for (const auto& queue : queues) stats.queues.push_back(queue->stats());
  for (const auto& consumer : consumers) stats.consumers.push_back(consumer->stats());
  return stats;
}

Result<QueueStats> BrokerCore::queue_stats(std::string_view name) const {
  std::shared_ptr<QueueCore> queue;
  {
    std::lock_guard lock(registry_mutex_);
    auto found = queues_.find(name);
    if (found == queues_.end()) return make_error(Errc::no_such_queue, "no queue named '" + std::string(name) + "'");
    queue = found->second;
  }
  return queue->stats();
}

void BrokerCore::shutdown() {
  if (closed_.exchange(true, std::memory_order_acq_rel)) return;
  std::vector<std::shared_ptr<ConsumerCore>> consumers;
  {
    std::lock_guard lock(registry_mutex_);
    for (const auto& [id, weak] : consumers_) {
      if (auto consumer = weak.lock()) consumers.push_back(std::move(consumer));
    }
  }
  for (const auto& consumer : consumers) consumer->close();
  std::lock_guard lock(registry_mutex_);
  for (const auto& [name, queue] : queues_) queue->close();
  queues_.clear();
  consumers_.clear();
  set_routes_locked(std::make_shared<const RoutingTable>());
  // This thread's cached snapshot of this broker goes now, so that a later publish to another
  // broker does not pay for tearing down these queues when it evicts the entry. (Other threads'
  // entries go when they are evicted.) Not from inside a routing on this thread, which reads it,
  // nor once the cache is gone (a broker destroyed by a static destructor).
  if (!routing_from_cache && route_cache_state == CacheState::alive) {
    for (RouteCacheEntry& entry : route_cache.entries) {
      if (entry.broker_id == id_) entry = RouteCacheEntry{};
    }
  }
}

}  // namespace wasmq::detail
