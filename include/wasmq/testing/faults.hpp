#pragma once
/// Fault injection: make the next send fail, a lock expire, a delivery arrive twice, a consumer
/// close mid-delivery — once, on a topic, or at random from a seed.

#include <wasi/messaging/types.hpp>
#include <wasmq/detail/visibility.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq::testkit {

/// What a fault does. Each is applied by the harness's connection (every guest client and every
/// guest subscription of a Harness goes through it) and shows in the traffic.
enum class FaultKind : std::uint8_t {
  fail_send,           ///< the send returns the fault's error and publishes nothing
  expire_lock,         ///< the guest handles the delivery, then its lock expires before it settles:
                       ///< the outcome is lost and the message is delivered again
  duplicate_delivery,  ///< the guest's Handle runs twice on the same delivery
  close_consumer,      ///< the guest's subscription closes while the delivery is in flight: the
                       ///< message goes back to the queue (to a competing consumer, if any)
};

/// "fail_send", "expire_lock", "duplicate_delivery" or "close_consumer".
std::string_view to_string(FaultKind kind) noexcept;

/// Probabilities (0 … 1) of each fault per send or delivery, for seeded random faults.
struct RandomFaultRates {
  double fail_send = 0;
  double expire_lock = 0;
  double duplicate_delivery = 0;
  double close_consumer = 0;
};

/// Faults waiting to be injected. Thread-safe.
class Faults {
 public:
  /// The next send (publish, request or reply) to a topic `pattern` matches fails with `error`.
  void fail_next_send(
      std::string pattern = ">",
      wasi::messaging::types::Error error = wasi::messaging::types::Error::Connection("injected fault: send failed"));
  /// The next delivery of a message whose topic `pattern` matches outlives its lock.
  void expire_next_lock(std::string pattern = ">");
  /// The next delivery of a matching message reaches the guest's Handle twice.
  void duplicate_next_delivery(std::string pattern = ">");
  /// The subscription receiving the next matching delivery closes while it is in flight.
  void close_consumer_during_next_delivery(std::string pattern = ">");

  /// From now on, every send and delivery suffers each fault with its rate, drawn from a
  /// generator seeded with `seed` (so a failing seed replays). One-shot faults still go first.
  void randomize(std::uint64_t seed, RandomFaultRates rates);
  /// Forgets every pending one-shot fault and stops random faults.
  void clear();

  /// Faults injected so far.
  [[nodiscard]] std::size_t injected() const;

  /// For the harness: the fault, if any, for a send to `topic` (consumed when one-shot).
  std::optional<wasi::messaging::types::Error> take_send_fault(std::string_view topic);
  /// For the harness: the fault, if any, for a delivery on `topic` (consumed when one-shot).
  std::optional<FaultKind> take_delivery_fault(std::string_view topic);

 private:
  struct Pending {
    FaultKind kind{};
    std::string pattern{};
    std::optional<wasi::messaging::types::Error> error{};
  };

  mutable std::mutex mutex_;
  std::deque<Pending> pending_;
  std::optional<RandomFaultRates> rates_;
  std::mt19937_64 random_;
  std::size_t injected_ = 0;
};

}  // namespace wasmq::testkit

WASMQ_PUBLIC_END
