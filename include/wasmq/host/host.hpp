#pragma once
/// The host side of the facade: which backends connection names resolve to, and which guest is
/// calling (its identity and permissions). A WebAssembly host keeps one GuestContext per guest
/// instance and makes it current while the guest runs; native tests do the same with ScopedGuest.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/types.hpp>
#include <wasmq/broker.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq::host {

// The WIT mirror's interfaces, by their short names (the host layer speaks them throughout).
namespace types = ::wasi::messaging::types;
namespace incoming_handler = ::wasi::messaging::incoming_handler;

struct GuestContext;

/// What one Handle result does to its delivery.
struct Settlement {
  enum class Action : std::uint8_t { kAccept, kRelease, kReject };
  Action action = Action::kAccept;
  wasmq::Duration delay{};  ///< kRelease: before the message is offered again
  std::string reason{};     ///< kReject: the error's text, recorded on the dead letter
};

/// "accept", "release" or "reject".
std::string_view ToString(Settlement::Action action) noexcept;

/// How a guest's Handle result settles its delivery (see incoming_handler::Guest).
struct OutcomePolicy {
  /// Delay before a message released after `timeout`, `connection` or `other` is offered again.
  wasmq::Duration retry_delay = std::chrono::seconds(1);
  /// Reject (dead-letter) on `other` instead of releasing.
  bool reject_other = false;

  /// ok → accept; `timeout`, `connection` → release after retry_delay; `permission-denied` →
  /// reject; `other` → release after retry_delay, or reject when reject_other.
  [[nodiscard]] Settlement Decide(const std::expected<void, types::Error>& result) const;
};

/// What a guest is subscribed to, from host configuration.
struct Subscription {
  /// A topic pattern (wildcards allowed), or a declared queue's name when `queue` is true.
  std::string topic{};
  /// Guests in one group on one pattern share its messages (ignored for queues).
  std::string group{};
  bool queue = false;
  OutcomePolicy outcome{};
  wasmq::ConsumerOptions consumer{};
};

/// A delivery a backend handed over unsettled (Backend::SubscribePull): the host settles it
/// later, once. Destroyed unsettled, it is released for redelivery at once.
class HeldDelivery {
 public:
  virtual ~HeldDelivery() = default;
  /// Settles the delivery as `settlement` says; a second call does nothing.
  virtual void Settle(const Settlement& settlement) = 0;
};

/// One delivery taken from a pull subscription: the message as a guest sees it, and its lock.
class HeldMessage {
 public:
  HeldMessage(types::Message message_in, std::unique_ptr<HeldDelivery> delivery_in)
      : message(std::move(message_in)), delivery(std::move(delivery_in)) {}

  types::Message message;
  std::unique_ptr<HeldDelivery> delivery;
};

/// A subscription whose deliveries the host takes when it is ready for them, instead of being
/// called with each. Destroying it ends the subscription; what it handed over and is still held
/// stays settleable where the backend allows (a broker receiver's deliveries are released).
class PullSubscription {
 public:
  virtual ~PullSubscription() = default;
  /// Up to `max` deliveries: waits up to `wait` for the first, then takes only what is already
  /// waiting. Empty when nothing came in time. Errors: `connection`.
  [[nodiscard]] virtual std::expected<std::vector<HeldMessage>, types::Error> Take(std::size_t max,
                                                                                   std::chrono::milliseconds wait) = 0;
};

/// Where a client's operations go. The embedded broker is one backend; a NATS server is another.
class Backend : public std::enable_shared_from_this<Backend> {
 public:
  /// Handles one delivered message; its result settles the delivery by the OutcomePolicy.
  using DeliveryHandler = std::function<std::expected<void, types::Error>(types::Message&&)>;
  /// Keeps a subscription alive; destroying it ends the subscription.
  using SubscriptionHandle = std::shared_ptr<void>;

  virtual ~Backend() = default;
  /// Publishes `message` (topic already set and validated, permissions already checked).
  [[nodiscard]] virtual std::expected<void, types::Error> Publish(wasmq::Message&& message) = 0;
  /// Publishes a message that is only `payload` on `topic`, as Publish() does. The default builds
  /// a Message and calls Publish(); a backend with a cheaper path for bare bytes overrides it (the
  /// embedded broker's publish(topic, bytes)).
  [[nodiscard]] virtual std::expected<void, types::Error> PublishBytes(std::string_view topic,
                                                                       std::span<const std::uint8_t> payload);
  /// Publishes a guest's `message` to `topic`: through PublishBytes() when it is only a payload
  /// small enough to be copied (Payload::inline_capacity), else through Publish(ToBrokerMessage()).
  /// What producer::Send and a reply call.
  [[nodiscard]] std::expected<void, types::Error> PublishGuestMessage(std::string_view topic, types::Message&& message);
  /// Sends a request and collects replies as request_reply::Request describes.
  [[nodiscard]] virtual std::expected<std::vector<types::Message>, types::Error> Request(
      wasmq::Message&& request, std::optional<std::chrono::milliseconds> timeout, std::uint32_t expected_replies) = 0;
  /// Subscribes `handler` as `subscription` says (permissions already checked).
  [[nodiscard]] virtual std::expected<SubscriptionHandle, types::Error> Subscribe(const Subscription& subscription,
                                                                                  DeliveryHandler handler) = 0;
  /// Subscribes as `subscription` says (permissions already checked), for a host that takes
  /// deliveries in batches and settles each when its guest says so (wasi:messaging R2). Its
  /// `outcome` is not used: the host settles. The default refuses with `other`.
  [[nodiscard]] virtual std::expected<std::unique_ptr<PullSubscription>, types::Error> SubscribePull(
      const Subscription& subscription);

  /// Turns a facade message into a broker message for `topic`, taking its buffers (no data copy).
  static wasmq::Message ToBrokerMessage(std::string_view topic, types::Message&& message);
  /// The same for a borrowed message: the data buffer is shared, metadata copied.
  static wasmq::Message CopyToBrokerMessage(std::string_view topic, const types::Message& message);
  /// A delivered message as the guest sees it: topic and reply address set, data shared, and,
  /// for a request (a message with a reply address), `origin` remembered so that Reply needs no
  /// client. Other messages do not hold `origin`: nothing of theirs goes back through it.
  static types::Message Delivered(const wasmq::SharedMessage& message, const std::shared_ptr<Backend>& origin);
  /// The same for a message that was not published (a test's, a tool's).
  static types::Message Delivered(const wasmq::Message& message, const std::shared_ptr<Backend>& origin);
  /// The same for a message the backend owns alone (one it decoded itself): its buffers move.
  static types::Message Delivered(wasmq::Message&& message, const std::shared_ptr<Backend>& origin);
  /// Where Reply sends to, and through which backend; empty when the message is not a request.
  static std::optional<std::pair<std::string, std::shared_ptr<Backend>>> ReplyRoute(const types::Message& message);
  /// A delivered message whose Reply goes through `origin` instead: for a backend that wraps
  /// another (recording, fault injection) and must see the replies too.
  static types::Message Redirect(types::Message&& delivered, std::shared_ptr<Backend> origin);
  /// A second copy of a delivered message (data shared, the rest copied, same reply route).
  static types::Message CopyDelivered(const types::Message& delivered);
};

/// Topic patterns (NATS wildcards `*` and `>`) a guest may publish to and subscribe to.
struct Permissions {
  std::vector<std::string> publish{">"};
  std::vector<std::string> subscribe{">"};

  [[nodiscard]] bool MayPublish(std::string_view topic) const noexcept;
  /// True when one subscribe pattern covers `topic` (itself a name or a pattern).
  [[nodiscard]] bool MaySubscribe(std::string_view topic) const noexcept;
  /// Nothing allowed.
  static Permissions None() { return Permissions{{}, {}}; }
};

/// Maps connection names to backends. Thread-safe.
class ConnectionRegistry {
 public:
  /// Registers `broker` as "inproc://<name>"; the first broker registered also answers "inproc".
  void AddBroker(std::string_view name, wasmq::Broker& broker);
  /// Registers any backend under an exact connection name.
  void Add(std::string_view connection_name, std::shared_ptr<Backend> backend);
  /// The backend for `connection_name`. Errors: `connection` naming the known names.
  [[nodiscard]] std::expected<std::shared_ptr<Backend>, types::Error> Resolve(std::string_view connection_name) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Backend>, std::less<>> backends_;
};

/// What one guest may make the host hold. Everything a guest can grow has a limit here; going
/// past one is a WIT error where the function has one, a trap of the guest's instance otherwise.
struct GuestLimits {
  /// Live resources (clients, messages, request options) in one guest instance's table.
  std::uint32_t max_resources = 10'000;
  /// Bytes of one message resource: data, content type, and every metadata key and value.
  std::size_t max_message_bytes = std::size_t{1024} * 1024;
  /// Metadata entries on one message resource.
  std::size_t max_metadata_entries = 256;
  /// Messages one send may carry (revision R2's `send` takes a list).
  std::uint32_t max_messages_per_send = 1'000;
  /// Replies one request collects; later ones are dropped. Bounds a request with a timeout and
  /// no expected count, which otherwise takes every reply that arrives in time.
  std::uint32_t max_replies = 1'000;
  /// Linear memory of one WebAssembly instance: memory.grow past it fails (wasmq::wasm runtimes).
  std::size_t max_memory_bytes = std::size_t{64} * 1024 * 1024;
  /// Elements of one WebAssembly instance's tables, all together (each holds 8 to 24 bytes of the
  /// host's): a module declaring more is refused, and table.grow past it fails. The interpreter
  /// applies this; a wasm2c guest has the limit it was metered with at build time
  /// (wasmq-wasm-meter --max-table-elements, by default this default).
  std::uint64_t max_table_elements = 100'000;
  /// Steps one delivery to a metered WebAssembly guest may take (loop iterations and calls): a
  /// guest that loops forever traps when they are used up (wasmq::wasm runtimes).
  std::uint32_t max_steps = 10'000'000;
};

/// One guest as the host sees it: its name, what it may do, where its names resolve, and how
/// much it may make the host hold.
struct GuestContext {
  std::string identity{};
  Permissions permissions{};
  std::shared_ptr<const ConnectionRegistry> registry{};
  GuestLimits limits{};
};

/// Makes `context` the current guest on this thread for its lifetime (restoring the previous
/// one after). Types::Client::Connect resolves names through the current guest.
class ScopedGuest {
 public:
  explicit ScopedGuest(std::shared_ptr<const GuestContext> context);
  ~ScopedGuest();
  ScopedGuest(const ScopedGuest&) = delete;
  ScopedGuest& operator=(const ScopedGuest&) = delete;

 private:
  std::shared_ptr<const GuestContext> context_;
  std::shared_ptr<const GuestContext> previous_;  // the thread's current guest before this one
};

/// The current guest on this thread, or null.
[[nodiscard]] std::shared_ptr<const GuestContext> CurrentGuest() noexcept;

/// A guest's subscription; closing or destroying it ends the deliveries. Move-only.
class [[nodiscard]] GuestSubscription {
 public:
  GuestSubscription() = default;
  explicit GuestSubscription(Backend::SubscriptionHandle handle) noexcept : handle_(std::move(handle)) {}
  void Close() noexcept { handle_.reset(); }
  [[nodiscard]] bool Active() const noexcept { return handle_ != nullptr; }

 private:
  Backend::SubscriptionHandle handle_;
};

/// Subscribes `guest` as `subscription` says, through `connection_name` of `context`'s registry.
/// Each delivery reaches guest->Handle with `context` current (so the guest can connect and send),
/// and is settled by the outcome policy. Errors: `permission-denied` when the guest may not
/// subscribe to the topic (a pattern must be covered by one of its subscribe patterns),
/// `connection` for an unknown name, `other` for an invalid topic or an undeclared queue.
[[nodiscard]] std::expected<GuestSubscription, types::Error> SubscribeGuest(
    std::shared_ptr<const GuestContext> context, std::string_view connection_name,
    std::shared_ptr<incoming_handler::Guest> guest, const Subscription& subscription);

/// Whether the guest of `context` may publish to `topic`: a valid name (else `other`), not under
/// `_INBOX`, and covered by its publish patterns (else `permission-denied`; `action` names what
/// was refused, e.g. "publish to").
[[nodiscard]] std::expected<void, types::Error> CheckPublish(const GuestContext& context, std::string_view topic,
                                                             std::string_view action);

/// What a connected client holds: its backend, the guest that connected it, and whether it is open.
struct ClientState {
  std::shared_ptr<Backend> backend{};
  std::shared_ptr<const GuestContext> guest{};
  std::string connection_name{};
  /// acq_rel exchange in Disconnect, acquire loads elsewhere: a client may be shared by a guest's
  /// threads, and exactly one Disconnect succeeds.
  std::atomic<bool> connected{true};
  /// Unique per client for the life of the process (never reused, unlike an address): the key of
  /// a thread's cached publish permission (see ForPublishing), which holds only while `guest`,
  /// and so its permissions, stays the one the client was made with.
  const std::uint64_t serial = NextSerial();

  /// The state of `client`, or null for a moved-from client.
  static const ClientState* Of(const types::Client& client) noexcept { return client.state_.get(); }
  /// The state of `client` if it may publish to `topic` now: it is connected (else `connection`),
  /// `topic` is a valid name (else `other`), and its guest may publish there (else
  /// `permission-denied`; `action` names what was refused, e.g. "publish to").
  [[nodiscard]] static std::expected<const ClientState*, types::Error> ForPublishing(const types::Client& client,
                                                                                     std::string_view topic,
                                                                                     std::string_view action);
  static types::Client MakeClient(std::shared_ptr<ClientState> state) { return types::Client(std::move(state)); }

 private:
  static std::uint64_t NextSerial() noexcept;
};

}  // namespace wasmq::host

WASMQ_PUBLIC_END
