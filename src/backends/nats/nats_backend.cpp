#include "jetstream.hpp"
#include "nats_connection.hpp"
#include "nats_message.hpp"
#include "nats_subscription.hpp"

#include <wasmq/backends/nats.hpp>
#include <wasmq/host/reply_inbox.hpp>
#include <wasmq/name.hpp>

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include "host_names.hpp"

namespace wasmq::backends {

std::string_view ToString(NatsStatus status) noexcept {
  switch (status) {
    case NatsStatus::kConnected: return "connected";
    case NatsStatus::kReconnecting: return "reconnecting";
    case NatsStatus::kClosed: return "closed";
  }
  return "unknown";
}

namespace {

using namespace nats_detail;

/// Queue group of guest subscriptions on a queue that is not durable (core NATS).
constexpr const char* kCoreQueueGroup = "wasmq.queue";
/// How long a request or reply waits for the server to confirm its flush before going on.
constexpr std::int64_t kFlushTimeoutMs = 1000;
/// Queue group of every host's dead-letter republisher: one host republishes each advisory.
constexpr const char* kRepublisherGroup = "wasmq.dead-letters";

/// relaxed everywhere: statistics, read for reports only.
struct Counters {
  std::atomic<std::uint64_t> published{0};
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> released{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> dead_lettered{0};
  std::atomic<std::uint64_t> dropped{0};

  static void Add(std::atomic<std::uint64_t>& counter) { counter.fetch_add(1, std::memory_order_relaxed); }
};

class NatsBackendImpl;

/// A guest subscription's deliveries: hands each to the guest and settles it by the result.
class GuestDeliveries final : public SubscriptionClosure {
 public:
  GuestDeliveries(std::weak_ptr<NatsBackendImpl> backend, Backend::DeliveryHandler handler, OutcomePolicy policy,
                  std::optional<DurableChannel> durable)
      : backend_(std::move(backend)), handler_(std::move(handler)), policy_(policy), durable_(std::move(durable)) {}
  void OnMessage(NatsPtr<natsMsg> msg) override;

 private:
  std::weak_ptr<NatsBackendImpl> backend_;
  Backend::DeliveryHandler handler_;
  OutcomePolicy policy_;
  std::optional<DurableChannel> durable_;
};

/// A delivery taken from a pull subscription, held until the host settles it. Dropped unsettled,
/// it is released at once (a durable channel offers it again; core NATS has nothing to release).
class HeldNatsDelivery final : public host::HeldDelivery {
 public:
  HeldNatsDelivery(std::weak_ptr<NatsBackendImpl> backend, NatsPtr<natsMsg> msg,
                   std::shared_ptr<const std::optional<DurableChannel>> durable)
      : backend_(std::move(backend)), msg_(std::move(msg)), durable_(std::move(durable)) {}
  ~HeldNatsDelivery() override { Settle({Settlement::Action::kRelease, {}, {}}); }
  HeldNatsDelivery(const HeldNatsDelivery&) = delete;
  HeldNatsDelivery& operator=(const HeldNatsDelivery&) = delete;
  void Settle(const Settlement& settlement) override;

 private:
  std::weak_ptr<NatsBackendImpl> backend_;
  NatsPtr<natsMsg> msg_;  // null once settled
  std::shared_ptr<const std::optional<DurableChannel>> durable_;
};

/// A synchronous subscription: Take waits for the first message and then takes what the client
/// has already received.
class NatsPullSubscription final : public host::PullSubscription {
 public:
  NatsPullSubscription(std::weak_ptr<NatsBackendImpl> backend, NatsPtr<natsSubscription> subscription,
                       std::shared_ptr<const std::optional<DurableChannel>> durable)
      : backend_(std::move(backend)), subscription_(std::move(subscription)), durable_(std::move(durable)) {}
  ~NatsPullSubscription() override { (void)natsSubscription_Unsubscribe(subscription_.get()); }
  NatsPullSubscription(const NatsPullSubscription&) = delete;
  NatsPullSubscription& operator=(const NatsPullSubscription&) = delete;
  std::expected<std::vector<host::HeldMessage>, types::Error> Take(std::size_t max,
                                                                   std::chrono::milliseconds wait) override;

 private:
  std::weak_ptr<NatsBackendImpl> backend_;
  NatsPtr<natsSubscription> subscription_;
  std::shared_ptr<const std::optional<DurableChannel>> durable_;
};

/// The backend's one reply inbox: replies to `_INBOX.<connection nuid>.<token>` go to the request
/// waiting under that token (128 random bits, reply_inbox.hpp).
class ReplyInbox final : public SubscriptionClosure {
 public:
  explicit ReplyInbox(std::weak_ptr<NatsBackendImpl> backend) : backend_(std::move(backend)) {}
  void OnMessage(NatsPtr<natsMsg> msg) override;

 private:
  std::weak_ptr<NatsBackendImpl> backend_;
};

/// A durable channel's max-deliveries advisories: each is a stored message to dead-letter.
class DeadLetterRepublisher final : public SubscriptionClosure {
 public:
  DeadLetterRepublisher(std::weak_ptr<NatsBackendImpl> backend, DurableChannel channel)
      : backend_(std::move(backend)), channel_(std::move(channel)) {}
  void OnMessage(NatsPtr<natsMsg> msg) override;

 private:
  std::weak_ptr<NatsBackendImpl> backend_;
  DurableChannel channel_;
};

class NatsBackendImpl final : public NatsBackend {
 public:
  static std::expected<std::shared_ptr<NatsBackendImpl>, types::Error> Connect(NatsOptions options) {
    for (const auto& channel : options.durable) {
      if (auto valid = ValidateChannel(channel); !valid) return std::unexpected(valid.error());
    }
    auto connection = NatsConnection::Open(options);
    if (!connection) return std::unexpected(connection.error());
    auto self = std::make_shared<NatsBackendImpl>(std::move(options), std::move(*connection));
    if (auto ready = self->SetUpDurableChannels(); !ready) return std::unexpected(ready.error());
    return self;
  }

  NatsBackendImpl(NatsOptions options, std::unique_ptr<NatsConnection> connection)
      : options_(std::move(options)), connection_(std::move(connection)) {
    for (const auto& channel : options_.durable) durable_.emplace(channel.name, channel);
  }

  ~NatsBackendImpl() override {
    // Our own subscriptions first (their closures hold only weak references), then the connection.
    inbox_.reset();
    republishers_.clear();
    js_.reset();
    connection_.reset();
  }

  // --- Backend -----------------------------------------------------------------------------------

  std::expected<void, types::Error> Publish(wasmq::Message&& message) override {
    auto published = PublishMessage(message);
    if (published) Counters::Add(counters_.published);
    return published;
  }

  std::expected<std::vector<types::Message>, types::Error> Request(wasmq::Message&& request,
                                                                   std::optional<std::chrono::milliseconds> timeout,
                                                                   std::uint32_t expected_replies) override {
    if (auto connected = RequireConnected("send a request"); !connected) return std::unexpected(connected.error());
    if (auto open = OpenInbox(); !open) return std::unexpected(open.error());
    const std::string token = NewReplyToken();
    const std::string address = inbox_prefix_ + "." + token;
    auto waiting = std::make_shared<WaitingRequest>();
    waiting->expected = expected_replies;
    std::uint64_t epoch = 0;
    {
      std::lock_guard lock(connection_->mutex());
      waiting_.emplace(token, waiting);
      epoch = connection_->DisconnectsLocked();
    }
    const auto forget = [&] {
      std::lock_guard lock(connection_->mutex());
      waiting_.erase(token);
    };

    const std::string topic = request.topic;
    std::expected<void, types::Error> sent;
    if (durable_.contains(topic)) {
      request.reply_to = address;  // travels as a header: JetStream keeps the reply subject
      sent = PublishMessage(request);
    } else {
      request.reply_to.reset();
      sent = PublishCore(request, address);
    }
    if (!sent) {
      forget();
      return std::unexpected(sent.error());
    }
    Counters::Add(counters_.published);

    const auto deadline =
        timeout ? std::chrono::steady_clock::now() + *timeout : std::chrono::steady_clock::time_point::max();
    std::unique_lock lock(connection_->mutex());
    const auto interrupted = [&] {
      return connection_->StatusLocked() == NatsStatus::kClosed || connection_->DisconnectsLocked() != epoch;
    };
    connection_->WaitUntil(
        lock, [&] { return waiting->received.size() >= expected_replies || waiting->no_responders || interrupted(); },
        deadline);
    waiting_.erase(token);  // later replies find nobody waiting and are dropped
    if (!waiting->received.empty()) return std::move(waiting->received);
    if (waiting->no_responders) {
      return std::unexpected(types::Error::Other("no responders: nothing receives '" + topic + "'"));
    }
    if (interrupted()) {
      return std::unexpected(
          types::Error::Connection("the connection to " + options_.url + " was lost while waiting for replies"));
    }
    return std::unexpected(types::Error::Timeout());
  }

  std::expected<SubscriptionHandle, types::Error> Subscribe(const Subscription& subscription,
                                                            DeliveryHandler handler) override {
    std::optional<DurableChannel> durable;
    if (auto found = durable_.find(subscription.topic); found != durable_.end()) durable = found->second;
    const std::string subject = subscription.topic;
    auto closure = std::make_unique<GuestDeliveries>(Weak(), std::move(handler), subscription.outcome, durable);
    std::expected<StartedSubscription, types::Error> started;
    if (!durable) {
      const char* group = subscription.queue           ? kCoreQueueGroup
                          : subscription.group.empty() ? nullptr
                                                       : subscription.group.c_str();
      started = StartSubscription(
          std::move(closure),
          [&](natsSubscription** sub, natsMsgHandler deliver, void* closure_ptr) {
            if (group == nullptr)
              return natsConnection_Subscribe(sub, connection_->get(), subject.c_str(), deliver, closure_ptr);
            return natsConnection_QueueSubscribe(sub, connection_->get(), subject.c_str(), group, deliver, closure_ptr);
          },
          "subscribing to " + subject);
    } else {
      started = SubscribeDurable(*durable, subscription, std::move(closure));
    }
    if (!started) return std::unexpected(started.error());
    return std::make_shared<ActiveSubscription>(std::move(*started), shared_from_this());
  }

  std::expected<std::unique_ptr<host::PullSubscription>, types::Error> SubscribePull(
      const Subscription& subscription) override {
    std::optional<DurableChannel> durable;
    if (auto found = durable_.find(subscription.topic); found != durable_.end()) durable = found->second;
    const std::string subject = subscription.topic;
    natsSubscription* raw = nullptr;
    natsStatus status = NATS_OK;
    if (!durable) {
      const char* group = subscription.queue           ? kCoreQueueGroup
                          : subscription.group.empty() ? nullptr
                                                       : subscription.group.c_str();
      status = group == nullptr ? natsConnection_SubscribeSync(&raw, connection_->get(), subject.c_str())
                                : natsConnection_QueueSubscribeSync(&raw, connection_->get(), subject.c_str(), group);
    } else {
      auto code = static_cast<jsErrCode>(0);
      auto made = WithDurableOptions(*durable, subscription, [&](jsSubOptions& options) {
        return js_SubscribeSync(&raw, js_.get(), durable->name.c_str(), nullptr, &options, &code);
      });
      if (!made) return std::unexpected(made.error());
      status = *made;
    }
    NatsPtr<natsSubscription> subscription_handle(raw);
    if (status != NATS_OK) return std::unexpected(ErrorOf(status, "subscribing to " + subject));
    return std::make_unique<NatsPullSubscription>(
        Weak(), std::move(subscription_handle),
        std::make_shared<const std::optional<DurableChannel>>(std::move(durable)));
  }

  // --- NatsBackend -------------------------------------------------------------------------------

  [[nodiscard]] NatsStatus Status() const override { return connection_->Status(); }

  bool WaitForStatus(NatsStatus status, std::chrono::steady_clock::time_point deadline) const override {
    std::unique_lock lock(connection_->mutex());
    return connection_->WaitUntil(lock, [&] { return connection_->StatusLocked() == status; }, deadline);
  }

  [[nodiscard]] NatsBackendStats Stats() const override {
    const auto read = [](const std::atomic<std::uint64_t>& counter) { return counter.load(std::memory_order_relaxed); };
    NatsBackendStats stats;
    stats.published = read(counters_.published);
    stats.delivered = read(counters_.delivered);
    stats.accepted = read(counters_.accepted);
    stats.released = read(counters_.released);
    stats.rejected = read(counters_.rejected);
    stats.dead_lettered = read(counters_.dead_lettered);
    stats.dropped = read(counters_.dropped);
    stats.reconnects = connection_->Reconnects();
    stats.async_errors = connection_->AsyncErrors();
    return stats;
  }

  void Close() override { connection_->Close(); }

  // --- called by the subscriptions' closures --------------------------------------------------------

  void CountDelivered() { Counters::Add(counters_.delivered); }
  /// A guest's handler threw: tell the options' hook, if any.
  void ReportHandlerError(std::string_view subject, const std::exception_ptr& exception) noexcept {
    report_handler_error(options_.on_handler_error, {.queue = subject, .exception = exception});
  }

  /// Settles one delivery by the guest's result. `durable`: the channel it came through, if any.
  void Settle(natsMsg* msg, const Settlement& settlement, const std::optional<DurableChannel>& durable) {
    switch (settlement.action) {
      case Settlement::Action::kAccept:
        Counters::Add(counters_.accepted);
        if (durable) (void)natsMsg_Ack(msg, nullptr);
        return;
      case Settlement::Action::kRelease:
        Counters::Add(counters_.released);
        if (durable) {
          (void)natsMsg_NakWithDelay(
              msg, std::chrono::duration_cast<std::chrono::milliseconds>(settlement.delay).count(), nullptr);
        } else {
          Counters::Add(counters_.dropped);  // core NATS has no redelivery
        }
        return;
      case Settlement::Action::kReject:
        Counters::Add(counters_.rejected);
        if (!durable) {
          Counters::Add(counters_.dropped);
          return;
        }
        if (durable->dead_letter.empty()) {
          Counters::Add(counters_.dropped);
          (void)natsMsg_Term(msg, nullptr);
          return;
        }
        DeathNotice notice{wasmq::DeadLetterReason::rejected, settlement.reason, durable->name, 1, 0};
        jsMsgMetaData* raw_meta = nullptr;
        if (natsMsg_GetMetaData(&raw_meta, msg) == NATS_OK) {
          NatsPtr<jsMsgMetaData> meta(raw_meta);
          notice.delivery_count = meta->NumDelivered;
          notice.published_at_ns = meta->Timestamp;
        }
        // Decoded again here, off the common path: the guest took the first copy.
        if (PublishMessage(DeadLetterOf(FromNatsMessage(msg, true), durable->dead_letter, notice))) {
          Counters::Add(counters_.dead_lettered);
          (void)natsMsg_Term(msg, nullptr);
        } else {
          // The dead letter did not go out: keep the message rather than lose it.
          (void)natsMsg_NakWithDelay(msg, 1000, nullptr);
        }
        return;
    }
  }

  void OnReply(std::string_view subject, natsMsg* msg) {
    if (!subject.starts_with(inbox_prefix_) || subject.size() <= inbox_prefix_.size() + 1) return;
    const std::string_view token = subject.substr(inbox_prefix_.size() + 1);
    const bool no_responders = natsMsg_IsNoResponders(msg);
    std::optional<types::Message> reply;
    if (!no_responders) reply = Delivered(FromNatsMessage(msg, false), shared_from_this());
    {
      std::lock_guard lock(connection_->mutex());
      auto found = waiting_.find(token);
      if (found == waiting_.end()) return;  // its request has returned already, or the token was never made
      if (no_responders) {
        found->second->no_responders = true;
      } else if (found->second->received.size() >= found->second->expected) {
        return;  // a flood of replies holds nothing
      } else {
        found->second->received.push_back(std::move(*reply));
      }
    }
    connection_->changed().notify_all();
  }

  /// A stored message of `channel` ran out of deliveries: republish it as a dead letter, then
  /// remove it from a work-queue stream (JetStream keeps it there otherwise).
  void OnMaxDeliveries(const MaxDeliveriesAdvisory& advisory, const DurableChannel& channel) {
    natsMsg* raw = nullptr;
    auto code = static_cast<jsErrCode>(0);
    if (js_GetMsg(&raw, js_.get(), advisory.stream.c_str(), advisory.stream_seq, nullptr, &code) != NATS_OK) {
      return;  // gone already: settled meanwhile, or republished by a host before us
    }
    NatsPtr<natsMsg> stored(raw);
    const wasmq::Message message = FromNatsMessage(stored.get(), true);
    const DeathNotice notice{wasmq::DeadLetterReason::max_deliveries,
                             "delivered " + std::to_string(advisory.deliveries) + " times (JetStream MaxDeliver " +
                                 std::to_string(channel.max_deliveries) + ")",
                             channel.name, advisory.deliveries, natsMsg_GetTime(stored.get())};
    if (!PublishMessage(DeadLetterOf(message, channel.dead_letter, notice))) return;  // stays stored; counted nowhere
    Counters::Add(counters_.dead_lettered);
    if (channel.queue) (void)js_DeleteMsg(js_.get(), advisory.stream.c_str(), advisory.stream_seq, nullptr, &code);
  }

 private:
  /// Replies collected for one request: never more than it expects, however many arrive.
  struct WaitingRequest {
    std::vector<types::Message> received;
    std::uint32_t expected = 1;
    bool no_responders = false;
  };
  struct TokenHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view token) const noexcept { return std::hash<std::string_view>{}(token); }
  };

  std::weak_ptr<NatsBackendImpl> Weak() { return std::static_pointer_cast<NatsBackendImpl>(shared_from_this()); }

  std::expected<void, types::Error> RequireConnected(std::string_view what) const {
    const NatsStatus status = connection_->Status();
    if (status == NatsStatus::kConnected) return {};
    return std::unexpected(types::Error::Connection("cannot " + std::string(what) + ": the connection to " +
                                                    options_.url + " is " + std::string(ToString(status))));
  }

  std::expected<void, types::Error> SetUpDurableChannels() {
    if (options_.durable.empty()) return {};
    jsCtx* raw = nullptr;
    if (natsStatus status = natsConnection_JetStream(&raw, connection_->get(), nullptr); status != NATS_OK) {
      return std::unexpected(ErrorOf(status, "opening JetStream"));
    }
    js_.reset(raw);
    for (const auto& channel : options_.durable) {
      if (auto ready = EnsureStream(js_.get(), channel); !ready) return std::unexpected(ready.error());
      if (channel.dead_letter.empty()) continue;
      const std::string subject = MaxDeliveriesAdvisorySubject(StreamName(channel));
      auto started = StartSubscription(
          std::make_unique<DeadLetterRepublisher>(Weak(), channel),
          [&](natsSubscription** sub, natsMsgHandler deliver, void* closure) {
            return natsConnection_QueueSubscribe(sub, connection_->get(), subject.c_str(), kRepublisherGroup, deliver,
                                                 closure);
          },
          "subscribing to " + subject);
      if (!started) return std::unexpected(started.error());
      republishers_.push_back(std::move(started->subscription));
    }
    // The advisories' interest must be on the server before the first delivery can run out.
    if (natsStatus status = natsConnection_FlushTimeout(connection_->get(), options_.publish_ack_timeout.count());
        status != NATS_OK) {
      return std::unexpected(ConnectionErrorOf(status, "setting up the dead-letter republishers"));
    }
    return {};
  }

  /// Calls `subscribe` with the JetStream options of a subscription to durable `channel`: its
  /// queue's consumer, a group's shared consumer, or an ephemeral consumer of its own.
  template <typename Subscribe>
  std::expected<natsStatus, types::Error> WithDurableOptions(const DurableChannel& channel,
                                                             const Subscription& subscription, Subscribe&& subscribe) {
    const std::string stream = StreamName(channel);
    std::string consumer;
    jsSubOptions options;
    jsSubOptions_Init(&options);
    options.Stream = stream.c_str();
    options.ManualAck = true;
    if (channel.queue) {
      consumer = std::string(queue_consumer);
    } else if (!subscription.group.empty()) {
      if (auto ready = EnsureSharedConsumer(js_.get(), channel, ConsumerName(subscription.group)); !ready) {
        return std::unexpected(ready.error());
      }
      consumer = ConsumerName(subscription.group);
    } else {
      InitConsumerConfig(options.Config, channel);  // an ephemeral consumer of its own
    }
    if (!consumer.empty()) {
      options.Consumer = consumer.c_str();
      options.Queue = consumer.c_str();
    }
    return subscribe(options);
  }

  std::expected<StartedSubscription, types::Error> SubscribeDurable(const DurableChannel& channel,
                                                                    const Subscription& subscription,
                                                                    std::unique_ptr<GuestDeliveries> closure) {
    std::expected<StartedSubscription, types::Error> started;
    auto made = WithDurableOptions(channel, subscription, [&](jsSubOptions& options) {
      auto code = static_cast<jsErrCode>(0);
      started = StartSubscription(
          std::move(closure),
          [&](natsSubscription** sub, natsMsgHandler deliver, void* closure_ptr) {
            return js_Subscribe(sub, js_.get(), channel.name.c_str(), deliver, closure_ptr, nullptr, &options, &code);
          },
          "subscribing to durable channel " + channel.name);
      return NATS_OK;
    });
    if (!made) return std::unexpected(made.error());
    return started;
  }

  std::expected<void, types::Error> OpenInbox() {
    std::lock_guard lock(inbox_mutex_);
    if (inbox_) return {};
    natsInbox* raw = nullptr;
    if (natsStatus status = natsInbox_Create(&raw); status != NATS_OK) {
      return std::unexpected(ErrorOf(status, "making a reply inbox"));
    }
    inbox_prefix_ = raw;
    natsInbox_Destroy(raw);
    const std::string subject = inbox_prefix_ + ".*";
    auto started = StartSubscription(
        std::make_unique<ReplyInbox>(Weak()),
        [&](natsSubscription** sub, natsMsgHandler deliver, void* closure) {
          return natsConnection_Subscribe(sub, connection_->get(), subject.c_str(), deliver, closure);
        },
        "subscribing to the reply inbox");
    if (!started) return std::unexpected(started.error());
    inbox_ = std::move(started->subscription);
    return {};
  }

  /// Sends through JetStream when `message.topic` is a durable channel (waiting for its ack),
  /// through core NATS otherwise.
  std::expected<void, types::Error> PublishMessage(const wasmq::Message& message) {
    if (!durable_.contains(message.topic)) return PublishCore(message, {});
    auto msg = ToNatsMessage(message, {});
    if (!msg) return std::unexpected(msg.error());
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MaxWait = options_.publish_ack_timeout.count();
    jsPubAck* raw_ack = nullptr;
    auto code = static_cast<jsErrCode>(0);
    const natsStatus status = js_PublishMsg(&raw_ack, js_.get(), msg->get(), &options, &code);
    NatsPtr<jsPubAck> ack(raw_ack);
    if (status != NATS_OK) {
      return std::unexpected(ConnectionErrorOf(status, "sending to durable channel " + message.topic));
    }
    return {};
  }

  std::expected<void, types::Error> PublishCore(const wasmq::Message& message, std::string_view reply) {
    auto msg = ToNatsMessage(message, reply);
    if (!msg) return std::unexpected(msg.error());
    if (natsStatus status = natsConnection_PublishMsg(connection_->get(), msg->get()); status != NATS_OK) {
      return std::unexpected(ErrorOf(status, "sending to " + message.topic));
    }
    // A request (it has a reply subject) or a reply (to an inbox) has someone waiting for it:
    // flush now rather than when the client's flusher thread gets to it, up to a millisecond
    // later per hop. A failed flush changes nothing: the message stays buffered.
    if (!options_.send_asap && (!reply.empty() || message.topic.starts_with("_INBOX."))) {
      (void)natsConnection_FlushTimeout(connection_->get(), kFlushTimeoutMs);
    }
    return {};
  }

  NatsOptions options_;
  std::unique_ptr<NatsConnection> connection_;
  NatsPtr<jsCtx> js_;
  std::map<std::string, DurableChannel, std::less<>> durable_;
  std::vector<NatsPtr<natsSubscription>> republishers_;
  Counters counters_;

  std::mutex inbox_mutex_;
  std::string inbox_prefix_;         // set once under inbox_mutex_, before any request uses it
  NatsPtr<natsSubscription> inbox_;  // guarded by inbox_mutex_
  // guarded by connection_->mutex(); keyed by the random token of each request's reply address
  std::unordered_map<std::string, std::shared_ptr<WaitingRequest>, TokenHash, std::equal_to<>> waiting_;
};

void GuestDeliveries::OnMessage(NatsPtr<natsMsg> msg) {
  auto backend = backend_.lock();
  if (!backend) {
    if (durable_) (void)natsMsg_Nak(msg.get(), nullptr);  // the host is going away: let another take it
    return;
  }
  backend->CountDelivered();
  Settlement settlement;
  try {
    settlement =
        policy_.Decide(handler_(Backend::Delivered(FromNatsMessage(msg.get(), durable_.has_value()), backend)));
  } catch (...) {
    // A handler that throws is a failed delivery, as in the broker: offered again after a delay.
    settlement = {Settlement::Action::kRelease, policy_.retry_delay, {}};
    backend->ReportHandlerError(natsMsg_GetSubject(msg.get()), std::current_exception());
  }
  backend->Settle(msg.get(), settlement, durable_);
}

void HeldNatsDelivery::Settle(const Settlement& settlement) {
  if (!msg_) return;
  NatsPtr<natsMsg> msg = std::move(msg_);
  if (auto backend = backend_.lock()) backend->Settle(msg.get(), settlement, *durable_);
}

std::expected<std::vector<host::HeldMessage>, types::Error> NatsPullSubscription::Take(std::size_t max,
                                                                                       std::chrono::milliseconds wait) {
  std::vector<host::HeldMessage> taken;
  auto backend = backend_.lock();
  if (!backend) return std::unexpected(types::Error::Connection("the NATS backend is gone"));
  while (taken.size() < max) {
    natsMsg* raw = nullptr;
    const std::int64_t timeout_ms = taken.empty() ? wait.count() : 0;
    const natsStatus status = natsSubscription_NextMsg(&raw, subscription_.get(), timeout_ms);
    if (status == NATS_TIMEOUT) break;
    if (status != NATS_OK) {
      if (!taken.empty()) break;  // keep what was taken; the error comes back on the next Take
      return std::unexpected(ConnectionErrorOf(status, "taking messages"));
    }
    NatsPtr<natsMsg> msg(raw);
    backend->CountDelivered();
    types::Message message = Backend::Delivered(FromNatsMessage(msg.get(), durable_->has_value()), backend);
    taken.emplace_back(std::move(message), std::make_unique<HeldNatsDelivery>(backend_, std::move(msg), durable_));
  }
  return taken;
}

void ReplyInbox::OnMessage(NatsPtr<natsMsg> msg) {
  if (auto backend = backend_.lock()) backend->OnReply(natsMsg_GetSubject(msg.get()), msg.get());
}

void DeadLetterRepublisher::OnMessage(NatsPtr<natsMsg> msg) {
  auto backend = backend_.lock();
  if (!backend) return;
  const auto advisory = ParseMaxDeliveriesAdvisory(
      std::string_view(natsMsg_GetData(msg.get()), static_cast<std::size_t>(natsMsg_GetDataLength(msg.get()))));
  if (advisory) backend->OnMaxDeliveries(*advisory, channel_);
}

}  // namespace

std::expected<std::shared_ptr<NatsBackend>, types::Error> MakeNatsBackend(NatsOptions options) {
  auto backend = NatsBackendImpl::Connect(std::move(options));
  if (!backend) return std::unexpected(backend.error());
  return std::shared_ptr<NatsBackend>(std::move(*backend));
}

}  // namespace wasmq::backends
