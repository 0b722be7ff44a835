#pragma once
/// The facade on a NATS server: a Backend whose sends, requests, replies and guest subscriptions
/// go through the NATS C client. The host registers it under a connection name; guests do not
/// change. Core NATS carries topics, queue groups and request-reply; channels the host declares
/// durable live in JetStream, which gives them the accept / release / reject lifecycle.
/// Built when WASMQ_WITH_NATS is on (target wasmq::nats); the in-process broker never needs it.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasmq/handler_error.hpp>
#include <wasmq/host/host.hpp>

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq::backends {

/// A channel kept in JetStream: stored on the server, delivered with a lock (AckWait), settled by
/// ack, nak with delay or term, and dead-lettered after max_deliveries, as the in-process broker
/// does with a declared queue.
struct DurableChannel {
  /// The topic or queue name (no wildcards): a guest subscription on exactly this name, and every
  /// send to it, goes through JetStream.
  std::string name{};
  /// True: point-to-point (one work-queue stream, one shared consumer; subscribers compete).
  /// False: a topic (an interest stream; each subscription, or each group, gets every message).
  bool queue = true;
  /// JetStream AckWait: how long a delivery may stay unsettled before it is redelivered.
  std::chrono::milliseconds lock_duration = std::chrono::seconds(30);
  /// JetStream MaxDeliver; 0 means unlimited.
  std::uint32_t max_deliveries = 10;
  /// Where rejected messages and those out of deliveries are republished, with the metadata the
  /// in-process broker writes (wasmq::dead_letter_keys); empty: they are counted and dropped.
  std::string dead_letter{};
  /// The JetStream stream's name; empty: derived from `name` ("WASMQ_" + name, dots as '_').
  std::string stream{};
};

/// How to reach the server, and what to keep durable there.
struct NatsOptions {
  std::string url = "nats://127.0.0.1:4222";
  /// Credentials, if the server wants them: a user and password, or a token.
  std::string user{};
  std::string password{};
  std::string token{};
  /// The connection's name as the server's monitoring shows it.
  std::string connection_name = "wasmq";
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(2);
  /// Reconnection attempts after a lost connection before the client closes for good; −1: forever.
  int max_reconnects = 60;
  std::chrono::milliseconds reconnect_wait = std::chrono::milliseconds(250);
  /// Bytes of core sends buffered while reconnecting; once the buffer holds this much, further
  /// sends fail with `connection`. What it holds goes out once reconnected.
  int reconnect_buffer_bytes = 8 * 1024 * 1024;
  /// Write every send to the socket at once instead of leaving it to the client's flusher
  /// thread, which coalesces writes (and adds up to about a millisecond per hop). Requests and
  /// replies are flushed at once either way (a PING/PONG with the server after the publish);
  /// this makes plain sends immediate too, at a fifth of the throughput for streams of small
  /// sends. See benchmarks.md.
  bool send_asap = false;
  /// How long a send to a durable channel waits for JetStream's acknowledgement before it fails
  /// with `connection` (the message may or may not be stored: at-least-once, as in JetStream).
  std::chrono::milliseconds publish_ack_timeout = std::chrono::seconds(5);
  /// Told when a guest's handler throws (the delivery is released, as on the embedded broker),
  /// with the exception and its text; `queue` is the message's subject, `message` is null. Empty:
  /// only counted as released.
  HandlerErrorHook on_handler_error{};
  /// Channels kept in JetStream; their streams are created (or updated) when the backend connects.
  std::vector<DurableChannel> durable{};
};

/// The state of the backend's connection.
enum class NatsStatus : std::uint8_t { kConnected, kReconnecting, kClosed };
std::string_view ToString(NatsStatus status) noexcept;

/// What one backend has done since it connected: totals over its subscriptions.
struct NatsBackendStats {
  std::uint64_t published = 0;      ///< sends and replies accepted by the client (or JetStream)
  std::uint64_t delivered = 0;      ///< messages handed to guests
  std::uint64_t accepted = 0;       ///< … that the guest's result accepted (JetStream: acked)
  std::uint64_t released = 0;       ///< … released (JetStream: nak with delay)
  std::uint64_t rejected = 0;       ///< … rejected (JetStream: term)
  std::uint64_t dead_lettered = 0;  ///< republished to a dead-letter channel (rejected or out of deliveries)
  /// Released or rejected messages that core NATS could not keep: there is no redelivery outside
  /// JetStream, so they are counted here instead of being lost silently.
  std::uint64_t dropped = 0;
  std::uint64_t reconnects = 0;
  /// Errors the client reported asynchronously: a subscriber too slow for its pending limits
  /// (the client drops its messages: core NATS), a permission the server refused, and the like.
  std::uint64_t async_errors = 0;
};

/// A Backend on a NATS server.
class NatsBackend : public host::Backend {
 public:
  [[nodiscard]] virtual NatsStatus Status() const = 0;
  /// Waits until the connection is in `status` or `deadline` passes; true when it is.
  virtual bool WaitForStatus(NatsStatus status, std::chrono::steady_clock::time_point deadline) const = 0;
  [[nodiscard]] virtual NatsBackendStats Stats() const = 0;
  /// Closes the connection: later sends fail with `connection`, subscriptions end.
  virtual void Close() = 0;
};

/// Connects to `options.url` and sets up the durable channels' streams. Errors: `connection` when
/// the server cannot be reached or refuses the credentials, `other` for a bad channel declaration
/// or a JetStream refusal (JetStream must be enabled when channels are durable).
[[nodiscard]] std::expected<std::shared_ptr<NatsBackend>, wasi::messaging::types::Error> MakeNatsBackend(
    NatsOptions options);

}  // namespace wasmq::backends

WASMQ_PUBLIC_END
