// A consumer of the wasmq package: declare, publish, receive, accept.
#include <wasmq/wasmq.hpp>

#include <cstdio>

int main() {
  wasmq::ManualRuntime runtime;
  wasmq::Broker broker(runtime);
  if (!broker.declare_queue("package.test")) return 1;
  if (!broker.publish({.topic = "package.test", .payload = wasmq::Payload::copy_of("hello")})) return 2;
  auto receiver = broker.open_receiver("package.test");
  auto delivery = receiver->try_receive();
  if (!delivery || delivery->message().payload.as_string() != "hello" || !delivery->accept()) return 3;
  std::puts("wasmq package consumer: ok");
  return 0;
}
