// A guest's round trip — the broker delivers a message to the guest, the guest reads its topic
// and data and sends the data on, the broker takes the send — with the same guest source native,
// as WebAssembly under wasm2c (plain, and metered: a step budget), and under the wabt
// interpreter (always metered). One thread (a ManualRuntime), so that the figures are the
// guest's cost and not the scheduler's.

#include "guests/echo_guest.hpp"

#include <wasmq/broker.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/manual_runtime.hpp>
#include <wasmq/wasm/interpreter.hpp>
#include <wasmq/wasm/wasm2c.hpp>

#include <benchmark/benchmark.h>

extern "C" const wasmq_wasm2c_module* wasmq_wasm2c_bench_echo(void);
extern "C" const wasmq_wasm2c_module* wasmq_wasm2c_bench_echo_metered(void);

namespace wasmq::bench {
namespace {

namespace host = wasmq::host;

enum class GuestKind : std::uint8_t { kNative, kWasm2c, kWasm2cMetered, kInterpreter };

void BM_GuestRoundTrip(benchmark::State& state) {
  const auto kind = static_cast<GuestKind>(state.range(0));
  constexpr std::int64_t batch = 1'000;
  ManualRuntime runtime;
  Broker broker(runtime);
  auto registry = std::make_shared<host::ConnectionRegistry>();
  registry->AddBroker("inproc", broker);
  auto context = std::make_shared<const host::GuestContext>(
      host::GuestContext{"echo", {.publish = {"echo.>"}, .subscribe = {"in"}}, registry});

  std::shared_ptr<wasi::messaging::incoming_handler::Guest> guest;
  switch (kind) {
    case GuestKind::kNative: guest = std::make_shared<EchoGuest>(); break;
    case GuestKind::kWasm2c:
    case GuestKind::kWasm2cMetered: {
      auto made = wasm::MakeWasm2cGuest(
          context, kind == GuestKind::kWasm2c ? *wasmq_wasm2c_bench_echo() : *wasmq_wasm2c_bench_echo_metered());
      if (!made) return state.SkipWithError(made.error().c_str());
      guest = *made;
      break;
    }
    case GuestKind::kInterpreter: {
      auto made = wasm::LoadInterpretedGuest(context, std::filesystem::path(WASMQ_BENCH_ECHO_WASM));
      if (!made) return state.SkipWithError(made.error().c_str());
      guest = *made;
      break;
    }
  }
  std::int64_t echoed = 0;
  auto sink = broker.subscribe("echo.>", {}, [&echoed](Delivery& delivery) {
    ++echoed;
    (void)delivery.accept();
  });
  auto subscribed = host::SubscribeGuest(context, "inproc", guest, {.topic = "in"});
  if (!sink || !subscribed) return state.SkipWithError("could not wire the guest");

  const std::vector<std::uint8_t> payload(16, 'x');
  std::int64_t sent = 0;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) {
      Message message{.topic = "in", .payload = Payload::copy_of(payload)};
      if (!broker.publish(std::move(message))) return state.SkipWithError("publish failed");
    }
    runtime.run_until_idle();
    sent += batch;
  }
  if (echoed != sent) state.SkipWithError("lost a message");
  state.SetItemsProcessed(sent);
}
BENCHMARK(BM_GuestRoundTrip)
    ->ArgName("guest")
    ->Arg(static_cast<int>(GuestKind::kNative))
    ->Arg(static_cast<int>(GuestKind::kWasm2c))
    ->Arg(static_cast<int>(GuestKind::kWasm2cMetered))
    ->Arg(static_cast<int>(GuestKind::kInterpreter))
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace wasmq::bench
