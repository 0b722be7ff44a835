// Instructions per message through the WASI facade beside the broker core on one thread, counted
// by callgrind: scripts/instructions.sh runs this program once per path under
// `valgrind --tool=callgrind --toggle-collect=…measured_<path>…` and divides by the messages.
// Both paths publish 16 B to a queue and let a push consumer accept it, run by a ManualRuntime:
//   core:   Broker::publish of a wasmq::Message, a consumer callback that accepts;
//   facade: producer::Send of a types::Message from a guest's client, a subscribed guest (host::
//           SubscribeGuest) whose handler returns ok, which accepts.
// The difference is what the facade adds per message (client and permission checks, the
// conversions both ways, the guest's turn), the cost `BM_P2P_Facade ÷ BM_P2P_Broker` times.
#include "out_of_line.hpp"

#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/producer.hpp>
#include <wasmq/broker.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/manual_runtime.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace {

namespace types = wasi::messaging::types;
namespace host = wasmq::host;

constexpr std::int64_t round_size = 1024;
std::int64_t handled = 0;  // one thread: a plain count

class AcceptingGuest final : public wasi::messaging::incoming_handler::Guest {
 public:
  std::expected<void, types::Error> Handle(types::Message&& /*message*/) override {
    ++handled;
    return {};
  }
};

[[gnu::always_inline]] inline void facade_round(wasmq::ManualRuntime& runtime, const types::Client& client,
                                                const std::vector<std::uint8_t>& payload) {
  for (std::int64_t i = 0; i < round_size; ++i) {
    if (!wasi::messaging::producer::Send(client, "jobs", types::Message(payload))) std::abort();
  }
  runtime.run_until_idle();
}

[[gnu::always_inline]] inline void core_round(wasmq::ManualRuntime& runtime, wasmq::Broker& broker,
                                              const std::vector<std::uint8_t>& payload) {
  for (std::int64_t i = 0; i < round_size; ++i) {
    wasmq::Message message;
    message.topic = "jobs";
    message.payload = wasmq::Payload::copy_of(payload);
    if (!broker.publish(std::move(message))) std::abort();
  }
  runtime.run_until_idle();
}

// Out of line, so that callgrind counts the measured rounds alone (--toggle-collect).
WASMQ_OUT_OF_LINE void measured_facade(wasmq::ManualRuntime& runtime, const types::Client& client,
                                       const std::vector<std::uint8_t>& payload) {
  facade_round(runtime, client, payload);
}
WASMQ_OUT_OF_LINE void measured_core(wasmq::ManualRuntime& runtime, wasmq::Broker& broker,
                                     const std::vector<std::uint8_t>& payload) {
  core_round(runtime, broker, payload);
}

}  // namespace

// Usage: wasmq_facade_instructions core|facade [rounds]
int main(int argc, char** argv) {
  const bool facade = argc > 1 && std::string_view(argv[1]) == "facade";
  const std::int64_t rounds = argc > 2 ? std::atoll(argv[2]) : 100;
  const std::vector<std::uint8_t> payload(16, 7);
  wasmq::ManualRuntime runtime;
  wasmq::Broker broker(runtime);
  (void)broker.declare_queue("jobs");

  auto registry = std::make_shared<host::ConnectionRegistry>();
  registry->AddBroker("bench", broker);
  auto guest = std::make_shared<const host::GuestContext>(
      host::GuestContext{.identity = "bench", .permissions = {}, .registry = registry});
  std::optional<host::GuestSubscription> subscription;
  std::optional<wasmq::Consumer> consumer;
  if (facade) {
    auto subscribed =
        host::SubscribeGuest(guest, "inproc", std::make_shared<AcceptingGuest>(), {.topic = "jobs", .queue = true});
    if (!subscribed) return 1;
    subscription.emplace(std::move(*subscribed));
  } else {
    auto consumed = broker.consume("jobs", {}, [](wasmq::Delivery& delivery) {
      if (!delivery.accept()) std::abort();
      ++handled;
    });
    if (!consumed) return 1;
    consumer.emplace(std::move(*consumed));
  }
  // Connected as the guest; deliveries then run with no guest current, as on a runtime's thread.
  auto client = [&] {
    host::ScopedGuest as_guest(guest);
    return types::Client::Connect("inproc");
  }();
  if (!client) return 1;

  // Steady state first: pools and queue blocks are warm, as in a long-running host.
  for (int i = 0; i < 8; ++i) facade ? facade_round(runtime, *client, payload) : core_round(runtime, broker, payload);
  handled = 0;
  for (std::int64_t i = 0; i < rounds; ++i) {
    facade ? measured_facade(runtime, *client, payload) : measured_core(runtime, broker, payload);
  }
  if (handled != rounds * round_size) return 1;
  std::printf("messages %lld\n", static_cast<long long>(rounds * round_size));
  return 0;
}
