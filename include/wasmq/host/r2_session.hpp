#pragma once
/// The host side of revision R2 (wasi/messaging/r2/): one Session per guest instance keeps the
/// channels the guest configured, takes batches of what is waiting on them, hands each batch to
/// the guest's `handler`, and settles each message as the guest says.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r2/guest.hpp>
#include <wasi/messaging/r2/types.hpp>
#include <wasmq/host/host.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq::host::r2 {

namespace r2types = ::wasi::messaging::r2::types;

/// What abandon-message (or a failed handler) does to a message. The seed's three outcomes:
/// kept for retry, dead-lettered, or deleted.
enum class AbandonAction : std::uint8_t {
  kRetry,       ///< released after retry_delay; its channel's max deliveries then dead-letter it
  kDeadLetter,  ///< rejected at once: dead-lettered where the channel has a dead-letter name
  kDelete,      ///< accepted: it leaves the channel unprocessed
};

/// "retry", "dead-letter" or "delete".
std::string_view ToString(AbandonAction action) noexcept;

/// How the host runs one R2 guest.
struct SessionOptions {
  /// The connection name (in the guest's registry) its channels are subscribed through.
  std::string connection{"inproc"};
  /// Most messages in one handler call.
  std::size_t max_batch = 16;
  /// Most channels one configuration may name.
  std::size_t max_channels = 64;
  /// Channel names that are point-to-point queues (competing consumers); any other channel is a
  /// topic pattern, subscribed in `group` (empty: a subscription of the guest's own).
  std::vector<std::string> queue_channels{};
  std::string group{};
  AbandonAction abandon = AbandonAction::kRetry;
  /// Delay before a message abandoned under kRetry is offered again.
  wasmq::Duration retry_delay = std::chrono::seconds(1);
  wasmq::ConsumerOptions consumer{};
};

/// One R2 guest's channels and the deliveries it holds. Thread-safe; DeliverWaiting calls are
/// serialised (a guest instance handles one batch at a time), and a configuration change from
/// another thread waits while DeliverWaiting waits for messages. Destroying it ends the guest's
/// subscriptions and releases what it holds.
class Session {
 public:
  Session(std::shared_ptr<const GuestContext> context, std::shared_ptr<::wasi::messaging::r2::guest::Guest> guest,
          SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Takes up to max_batch messages from the guest's channels — waiting up to `wait` for the
  /// first, then only what is already there — and, if any came, calls the guest's handler with
  /// them, with this session current. Returns how many it handed over. What the guest left
  /// unsettled is completed when the handler returned ok and abandoned otherwise. Errors: the
  /// backend's (`connection`), or `other` when the handler threw (its batch is abandoned). On a
  /// broker with a ManualRuntime, pass no wait: nothing is published while the test thread waits.
  [[nodiscard]] std::expected<std::size_t, r2types::Error> DeliverWaiting(std::chrono::milliseconds wait);

  /// The channels of the guest's current configuration, in the order it named them.
  [[nodiscard]] std::vector<std::string> Channels() const;
  /// The extensions of the guest's current configuration.
  [[nodiscard]] std::vector<std::tuple<std::string, std::string>> Extensions() const;
  /// Deliveries handed to the guest and not settled yet.
  [[nodiscard]] std::size_t Held() const;
  [[nodiscard]] const std::shared_ptr<const GuestContext>& Context() const noexcept { return context_; }

  /// consumer::UpdateGuestConfiguration for this guest.
  [[nodiscard]] std::expected<void, r2types::Error> Configure(const r2types::GuestConfiguration& configuration);
  /// consumer::CompleteMessage (`complete` true) or AbandonMessage for this guest.
  [[nodiscard]] std::expected<void, r2types::Error> Settle(const r2types::Message& message, bool complete);

 private:
  struct Channel {
    std::string name{};
    std::unique_ptr<PullSubscription> subscription{};
  };
  [[nodiscard]] Settlement Abandoned() const;

  std::shared_ptr<const GuestContext> context_;
  std::shared_ptr<::wasi::messaging::r2::guest::Guest> guest_;
  SessionOptions options_;
  std::mutex delivering_;  // one batch at a time
  mutable std::mutex mutex_;
  std::vector<Channel> channels_;                                           // guarded by mutex_
  std::vector<std::tuple<std::string, std::string>> extensions_;            // guarded by mutex_
  std::map<std::string, std::unique_ptr<HeldDelivery>, std::less<>> held_;  // by delivery id; guarded by mutex_
  std::size_t next_channel_ = 0;                                            // where the next batch starts taking
};

/// Makes `session` (and its guest context) current on this thread for its lifetime: the R2
/// consumer functions act on the current session. For a native guest's code run outside a batch
/// (its start-up configuration, a test).
class ScopedSession {
 public:
  explicit ScopedSession(Session& session);
  ~ScopedSession();
  ScopedSession(const ScopedSession&) = delete;
  ScopedSession& operator=(const ScopedSession&) = delete;

 private:
  ScopedGuest guest_;
  Session* previous_;
};

/// The R2 session current on this thread, or null.
[[nodiscard]] Session* CurrentSession() noexcept;

}  // namespace wasmq::host::r2

WASMQ_PUBLIC_END
