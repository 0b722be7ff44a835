#pragma once
/// The durable channels' JetStream side: their streams and shared consumers, how a subscription
/// binds to them, dead-letter messages, and the server's max-deliveries advisories.

#include "advisory.hpp"
#include "nats_handles.hpp"

#include <wasmq/backends/nats.hpp>
#include <wasmq/message.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include "host_names.hpp"

namespace wasmq::backends::nats_detail {

/// The consumer every subscriber of a durable queue shares, and its deliver group.
inline constexpr std::string_view queue_consumer = "wasmq";

/// The channel's stream name: its own, or "WASMQ_" + name with '.' as '_'.
std::string StreamName(const DurableChannel& channel);
/// A stream-safe consumer name for a topic subscription's group.
std::string ConsumerName(std::string_view group);

/// Checks `channel` (a valid name without wildcards; a dead-letter name that is not itself).
std::expected<void, types::Error> ValidateChannel(const DurableChannel& channel);

/// Creates the channel's stream, or updates it to this configuration when it exists; a queue
/// also gets its shared push consumer (queue_consumer, delivered to a deliver group).
std::expected<void, types::Error> EnsureStream(jsCtx* js, const DurableChannel& channel);

/// Creates the durable push consumer `consumer_name` of the channel's stream, delivered to a
/// deliver group of the same name (a queue's shared consumer, or a topic group's), or updates it
/// to the channel's settings when it exists.
std::expected<void, types::Error> EnsureSharedConsumer(jsCtx* js, const DurableChannel& channel,
                                                       std::string_view consumer_name);

/// Consumer settings for a subscription on `channel`, ack wait and max deliveries included.
void InitConsumerConfig(jsConsumerConfig& config, const DurableChannel& channel);

/// What the broker writes on a dead letter, for a message that died in `channel`.
struct DeathNotice {
  wasmq::DeadLetterReason reason{};
  std::string detail;
  std::string queue;
  std::uint64_t delivery_count = 0;
  std::int64_t published_at_ns = 0;  ///< the stream's timestamp, ns since the Unix epoch
};
/// The dead letter of `message` (payload shared), addressed to `dead_letter`, with
/// wasmq::dead_letter_keys metadata as the in-process broker writes it.
wasmq::Message DeadLetterOf(const wasmq::Message& message, std::string_view dead_letter, const DeathNotice& notice);

/// The subject the server publishes a stream's max-deliveries advisories on (any consumer).
std::string MaxDeliveriesAdvisorySubject(std::string_view stream);

}  // namespace wasmq::backends::nats_detail
