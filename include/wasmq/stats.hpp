#pragma once
/// Counters, read as snapshots. Each value is read with a relaxed load: a snapshot taken while
/// messages move is approximate; one taken when the broker is idle is exact.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/message.hpp>

#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

using ReasonCounts = std::array<std::uint64_t, dead_letter_reason_count>;

/// One queue's counters. Conservation, exact when idle:
/// published == accepted + Σdead_lettered + Σdropped + depth + delayed + in_flight.
struct QueueStats {
  std::string name{};
  std::string binding{};        ///< the name or pattern it receives from
  std::uint64_t published = 0;  ///< messages that entered the queue from a publish
  std::uint64_t refused = 0;    ///< publishes refused (queue full, block timeout); never entered
  std::uint64_t delivered = 0;  ///< deliveries, first ones and redeliveries
  std::uint64_t redelivered = 0;
  std::uint64_t accepted = 0;
  std::uint64_t released = 0;  ///< explicit releases and handles dropped unsettled
  std::uint64_t rejected = 0;
  std::uint64_t lock_expired = 0;
  std::uint64_t handler_failures = 0;  ///< push handlers that threw
  ReasonCounts dead_lettered{};        ///< forwarded to the dead-letter name, by reason
  ReasonCounts dropped{};              ///< left without a dead-letter name to go to, by reason
  std::uint64_t depth = 0;             ///< waiting, available now
  std::uint64_t delayed = 0;           ///< waiting for a release delay or backoff to pass
  std::uint64_t in_flight = 0;         ///< delivered, not yet settled
  std::uint64_t bytes = 0;             ///< message bytes waiting (depth), as Message::size_bytes counts them
  std::uint32_t consumers = 0;

  [[nodiscard]] std::uint64_t dead_lettered_total() const noexcept;
  [[nodiscard]] std::uint64_t dropped_total() const noexcept;
  /// Messages whose time to live ran out (forwarded or dropped).
  [[nodiscard]] std::uint64_t expired() const noexcept;
};

/// One consumer's (or pull receiver's) counters.
struct ConsumerStats {
  std::uint64_t id = 0;
  std::string queue{};
  std::uint64_t delivered = 0;
  std::uint64_t accepted = 0;
  std::uint64_t released = 0;
  std::uint64_t rejected = 0;
  std::uint64_t lock_expired = 0;
  std::uint64_t handler_failures = 0;
  std::uint64_t in_flight = 0;
};

/// The whole broker.
struct BrokerStats {
  std::uint64_t published = 0;  ///< successful publish calls
  std::uint64_t unrouted = 0;   ///< published to a name nothing receives from
  std::vector<QueueStats> queues{};
  std::vector<ConsumerStats> consumers{};
};

/// One line, `queue <name> published=… depth=… in_flight=…` (every counter, dead letters by reason).
std::ostream& operator<<(std::ostream& out, const QueueStats& stats);
/// One line, `consumer <id> queue=<name> delivered=…`.
std::ostream& operator<<(std::ostream& out, const ConsumerStats& stats);
/// A `broker published=… unrouted=…` line, then a line per queue and per consumer. For a
/// scrape-able form see metrics.hpp.
std::ostream& operator<<(std::ostream& out, const BrokerStats& stats);

}  // namespace wasmq

WASMQ_PUBLIC_END
