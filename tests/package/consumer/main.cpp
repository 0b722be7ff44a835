// A consumer of the wasmq package: the broker directly, then the same through the WASI facade.
// Built through find_package, add_subdirectory and pkg-config (tests/package).
#include <wasi/messaging/producer.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/wasmq.hpp>

#include <cstdio>
#include <memory>

int main() {
  wasmq::ManualRuntime runtime;
  wasmq::Broker broker(runtime);
  if (!broker.declare_queue("package.test")) return 1;
  if (!broker.publish({.topic = "package.test", .payload = wasmq::Payload::copy_of("hello")})) return 2;
  auto receiver = broker.open_receiver("package.test");
  auto delivery = receiver->receive(wasmq::Duration::zero());
  if (!delivery || delivery->message().payload().as_string() != "hello" || !delivery->accept()) return 3;

  namespace wm = wasi::messaging;
  auto registry = std::make_shared<wasmq::host::ConnectionRegistry>();
  registry->AddBroker("main", broker);
  wasmq::host::ScopedGuest guest(
      std::make_shared<wasmq::host::GuestContext>(wasmq::host::GuestContext{"consumer", {}, registry}));
  auto client = wm::types::Client::Connect("inproc");
  const std::uint8_t data[] = {'h', 'i'};
  if (!client || !wm::producer::Send(*client, "package.test", wm::types::Message(data))) return 4;
  if (receiver->receive(wasmq::Duration::zero())->message().payload().as_string() != "hi") return 5;
  static_assert(WASMQ_VERSION_MAJOR >= 0 && WASMQ_VERSION_MINOR >= 0 && WASMQ_VERSION_PATCH >= 0);
  std::printf("wasmq %s package consumer: ok\n", WASMQ_VERSION_STRING);
  return 0;
}
