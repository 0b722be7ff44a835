// A host built against the wasmq package: runs the consumer's guest (echo_guest.cpp) under
// wasm2c and under the interpreter, and checks that it echoed.
#include <wasmq/broker.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/manual_runtime.hpp>
#include <wasmq/wasm/interpreter.hpp>
#include <wasmq/wasm/wasm2c.hpp>

#include <cstdio>
#include <filesystem>

extern "C" const wasmq_wasm2c_module* wasmq_wasm2c_consumer_echo(void);

int main() {
  for (const bool interpreted : {false, true}) {
    wasmq::ManualRuntime runtime;
    wasmq::Broker broker(runtime);
    auto registry = std::make_shared<wasmq::host::ConnectionRegistry>();
    registry->AddBroker("inproc", broker);
    auto context = std::make_shared<const wasmq::host::GuestContext>(wasmq::host::GuestContext{"echo", {}, registry});
    auto guest = interpreted ? wasmq::wasm::LoadInterpretedGuest(context, std::filesystem::path(CONSUMER_ECHO_WASM))
                             : wasmq::wasm::MakeWasm2cGuest(context, *wasmq_wasm2c_consumer_echo());
    if (!guest) {
      std::printf("could not instantiate: %s\n", guest.error().c_str());
      return 1;
    }
    int echoed = 0;
    auto sink = broker.subscribe("echo.in", {}, [&echoed](wasmq::Delivery& delivery) {
      echoed += delivery.message().payload().as_string() == "hi" ? 1 : 0;
      (void)delivery.accept();
    });
    auto subscribed = wasmq::host::SubscribeGuest(context, "inproc", *guest, {.topic = "in"});
    if (!sink || !subscribed || !broker.publish({.topic = "in", .payload = wasmq::Payload::copy_of("hi")})) return 1;
    runtime.run_until_idle();
    if (echoed != 1) {
      std::printf("the guest did not echo (%s)\n", interpreted ? "interpreter" : "wasm2c");
      return 1;
    }
  }
  std::puts("wasm guest: echoed under wasm2c and the interpreter");
  return 0;
}
