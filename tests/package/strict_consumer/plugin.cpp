// A plugin: a shared library with wasmq linked in statically (which needs wasmq's position-
// independent code), exporting one C function.
#include <wasmq/wasmq.hpp>

extern "C" __attribute__((visibility("default"))) int wasmq_plugin_run() {
  wasmq::ManualRuntime runtime;
  wasmq::Broker broker(runtime);
  if (!broker.declare_queue("plugin.jobs")) return 1;
  if (!broker.publish({.topic = "plugin.jobs", .payload = wasmq::Payload::copy_of("x")})) return 2;
  auto receiver = broker.open_receiver("plugin.jobs");
  if (!receiver) return 3;
  auto delivery = receiver->try_receive();
  if (!delivery || !*delivery || !(*delivery)->accept()) return 4;
  return 0;
}
