#pragma once
/// One connection to a NATS server and what the client tells about it: connected, reconnecting
/// or closed, how many times it was lost, and the client's asynchronous errors.

#include "nats_handles.hpp"

#include <wasmq/backends/nats.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include "host_names.hpp"

namespace wasmq::backends::nats_detail {

class NatsConnection {
 public:
  /// Connects as `options` say. Errors: `connection` (unreachable, refused credentials).
  static std::expected<std::unique_ptr<NatsConnection>, types::Error> Open(const NatsOptions& options);
  ~NatsConnection();
  NatsConnection(const NatsConnection&) = delete;
  NatsConnection& operator=(const NatsConnection&) = delete;

  [[nodiscard]] natsConnection* get() const noexcept { return connection_.get(); }
  [[nodiscard]] NatsStatus Status() const;
  [[nodiscard]] std::uint64_t Reconnects() const;
  [[nodiscard]] std::uint64_t AsyncErrors() const noexcept { return async_errors_.load(std::memory_order_relaxed); }
  /// Closes the connection (idempotent): blocked calls return, subscriptions end.
  void Close();

  /// The lock and condition that status changes notify, shared with waits for replies: a wait
  /// holds `mutex()` and re-checks on every notification, so a lost connection ends it at once.
  [[nodiscard]] std::mutex& mutex() const noexcept { return mutex_; }
  [[nodiscard]] std::condition_variable& changed() const noexcept { return changed_; }
  /// The status, and the times the connection was lost (a wait that began in another epoch lost
  /// its replies), for a caller that holds mutex().
  [[nodiscard]] NatsStatus StatusLocked() const noexcept { return status_; }
  [[nodiscard]] std::uint64_t DisconnectsLocked() const noexcept { return disconnects_; }
  /// Waits, holding `lock` on mutex(), until `done()` or the deadline.
  bool WaitUntil(std::unique_lock<std::mutex>& lock, const std::function<bool()>& done,
                 std::chrono::steady_clock::time_point deadline) const;

 private:
  NatsConnection() = default;
  static void OnDisconnected(natsConnection* connection, void* closure);
  static void OnReconnected(natsConnection* connection, void* closure);
  static void OnClosed(natsConnection* connection, void* closure);
  static void OnError(natsConnection* connection, natsSubscription* subscription, natsStatus error, void* closure);
  void Set(NatsStatus status);

  NatsPtr<natsConnection> connection_;
  std::uint64_t id_ = 0;  // the closure the client's callbacks carry (see connection registry)
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  NatsStatus status_ = NatsStatus::kConnected;  // guarded by mutex_
  std::uint64_t disconnects_ = 0;               // guarded by mutex_
  std::uint64_t reconnects_ = 0;                // guarded by mutex_
  // relaxed: a statistic, read for reports only.
  std::atomic<std::uint64_t> async_errors_{0};
};

}  // namespace wasmq::backends::nats_detail
