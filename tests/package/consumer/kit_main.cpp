// A consumer of the wasmq package's testing kit: a harness, a guest, a captured send.
#include <wasmq/testing/testing.hpp>

#include <cstdio>

int main() {
  wasmq::testkit::Harness harness({.print_timeline_on_failure = false});
  auto guest = wasmq::testkit::guest_from(
      [](wasi::messaging::types::Message&&) -> std::expected<void, wasi::messaging::types::Error> { return {}; });
  auto subscription = harness.subscribe(guest, {.topic = "package.kit"});
  if (!subscription || !harness.publish("package.kit", "hello")) return 1;
  harness.run_until_idle();
  if (guest->calls() != 1 || !harness.check_history().ok()) return 2;
  std::puts("wasmq testing-kit consumer: ok");
  return 0;
}
