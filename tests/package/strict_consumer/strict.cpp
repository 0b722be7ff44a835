// Every options struct the docs fill in with designated initializers, each with fields left to
// their defaults: clean under -Wall -Wextra -Werror (g++ 12's -Wmissing-field-initializers,
// clang 19's -Wmissing-designated-field-initializers). And `using namespace wasmq;` beside
// GoogleTest: the testing kit's namespace (wasmq::testkit) does not shadow ::testing.
#include <wasmq/backends/nats.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/testing/testing.hpp>
#include <wasmq/wasmq.hpp>

#include <gmock/gmock.h>

#include <iostream>
#include <memory>
#include <sstream>

using namespace wasmq;
using namespace std::chrono_literals;

int main() {
  ManualRuntime runtime;
  Broker broker(runtime, {.max_message_bytes = 4096, .on_handler_error = [](const HandlerError& error) {
                            std::cerr << "handler failed: " << error.what << '\n';
                          }});
  if (auto declared = broker.declare_queue("orders", {.max_deliveries = 3, .dead_letter = "orders.dead"}); !declared) {
    std::cerr << declared.error() << '\n';
    return 1;
  }
  auto consumer = broker.consume("orders", {.max_in_flight = 16, .batch_size = 1},
                                 [](Delivery& delivery) { (void)delivery.accept(); });
  auto subscription = broker.subscribe("orders.>", {.group = "audit", .queue = QueueOptions{.max_length = 100}},
                                       [](Delivery& delivery) { (void)delivery.accept(); });
  auto receipt = broker.publish({.topic = "orders", .payload = Payload::copy_of("42")});
  if (!consumer || !subscription || !receipt) return 2;
  runtime.run_until_idle();
  std::ostringstream stats;
  stats << broker.stats();
  if (stats.str().find("queue orders published=1") == std::string::npos) return 3;
  const DrainReport drained = broker.drain(1s);
  if (!drained.finished) return 4;

  // Host-side structs.
  const backends::NatsOptions nats{.url = "nats://127.0.0.1:4222",
                                   .durable = {{.name = "orders", .max_deliveries = 5}}};
  const testkit::HarnessOptions harness_options{.print_timeline_on_failure = false};
  testkit::Harness harness(harness_options);
  (void)nats;

  // gtest's namespace, unqualified, next to `using namespace wasmq`.
  testing::Matcher<int> positive = testing::Gt(0);
  if (!positive.Matches(1)) return 5;
  std::cout << "strict consumer: ok\n";
  return 0;
}
