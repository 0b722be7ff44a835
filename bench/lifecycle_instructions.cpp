// Instructions per message for the one-thread lifecycle (publish(topic, bytes) → receive →
// accept), counted
// by callgrind: scripts/instructions.sh runs this program under
// `valgrind --tool=callgrind --toggle-collect=…measured_round…` and divides the count by the
// messages. Unlike a timing, the count is the same from run to run on any machine with the
// same compiler, so it can be compared across commits.
#include "out_of_line.hpp"

#include <wasmq/broker.hpp>
#include <wasmq/manual_runtime.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

constexpr std::int64_t round_size = 1024;

// One round: publish a batch, then receive and accept each.
[[gnu::always_inline]] inline void round(wasmq::Broker& broker, wasmq::Receiver& receiver,
                                         const std::vector<std::uint8_t>& payload) {
  for (std::int64_t i = 0; i < round_size; ++i) {
    if (!broker.publish("jobs", payload)) std::abort();
  }
  for (std::int64_t i = 0; i < round_size; ++i) {
    auto delivery = receiver.receive(wasmq::Duration::zero());
    if (!delivery || !delivery->accept()) std::abort();
  }
}

// Out of line, and separate, so that callgrind counts the measured rounds alone (--toggle-collect).
WASMQ_OUT_OF_LINE void warm_up_round(wasmq::Broker& broker, wasmq::Receiver& receiver,
                                     const std::vector<std::uint8_t>& payload) {
  round(broker, receiver, payload);
}
WASMQ_OUT_OF_LINE void measured_round(wasmq::Broker& broker, wasmq::Receiver& receiver,
                                      const std::vector<std::uint8_t>& payload) {
  round(broker, receiver, payload);
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t rounds = argc > 1 ? std::atoll(argv[1]) : 100;
  const std::vector<std::uint8_t> payload(16, 7);
  wasmq::ManualRuntime runtime;
  wasmq::Broker broker(runtime);
  (void)broker.declare_queue("jobs");
  auto receiver = broker.open_receiver("jobs", {.max_in_flight = round_size});
  if (!receiver) return 1;
  // Steady state first: pools and queue blocks are warm, as in a long-running host.
  for (int i = 0; i < 8; ++i) warm_up_round(broker, *receiver, payload);
  for (std::int64_t i = 0; i < rounds; ++i) measured_round(broker, *receiver, payload);
  const long long messages = static_cast<long long>(rounds) * round_size;
  std::printf("messages %lld\n", messages);
  return 0;
}
