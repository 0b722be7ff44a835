#pragma once
/// Checks a captured history for what a message broker must not do, and counts what it may do.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/message.hpp>
#include <wasmq/testing/traffic.hpp>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <span>
#include <string>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq::testkit {

/// What a history shows, per message and queue (a message published to three subscriptions is
/// three messages here).
struct HistoryReport {
  std::size_t sent = 0;            ///< sends recorded (guests and the test through the harness)
  std::size_t failed_sends = 0;    ///< sends that returned an error (injected or real)
  std::size_t unrouted_sends = 0;  ///< successful sends that no queue took (nobody subscribed)
  std::size_t published = 0;       ///< messages that entered a queue
  std::size_t accepted = 0;
  std::size_t dead_lettered = 0;
  std::size_t dropped = 0;
  /// Messages a queue delivered more than once (redeliveries and injected duplicates): allowed
  /// by at-least-once delivery, but the guest must be idempotent.
  std::size_t duplicated = 0;

  /// Never allowed: messages that entered a queue and were neither accepted, dead-lettered nor
  /// dropped. (After the harness is idle these are stuck; call check_history when it is.)
  std::vector<std::string> lost{};
  /// Never allowed: messages accepted more than once, or delivered after they were accepted.
  std::vector<std::string> delivered_after_accept{};
  /// Never allowed: first deliveries to one consumer out of their producer's send order.
  std::vector<std::string> out_of_order{};

  /// Messages by the number of deliveries they took (accepted, dead-lettered or still held).
  std::map<std::uint32_t, std::size_t> delivery_counts{};
  /// Dead letters (and drops) by reason.
  std::map<DeadLetterReason, std::size_t> dead_letters_by_reason{};

  /// Nothing lost, nothing delivered after acceptance, nothing out of order.
  [[nodiscard]] bool ok() const noexcept {
    return lost.empty() && delivered_after_accept.empty() && out_of_order.empty();
  }
  /// A readable summary: the counts, then each violation.
  [[nodiscard]] std::string summary() const;
};

std::ostream& operator<<(std::ostream& out, const HistoryReport& report);

/// Checks `events` (from Traffic::events(), in capture order). The order check compares the
/// first deliveries to each consumer with the order of the messages' sends per producer: what
/// the broker promises. Across competing consumers there is no such order: each takes a batch
/// of the queue at once (up to ConsumerOptions::batch_size), and handles it while the others
/// handle theirs. The one exception: a batch a closing consumer had taken and not delivered goes
/// back ahead of the queue, and a competing consumer that already holds later messages handles
/// those first.
HistoryReport check_history(std::span<const TrafficEvent> events);

}  // namespace wasmq::testkit

WASMQ_PUBLIC_END
