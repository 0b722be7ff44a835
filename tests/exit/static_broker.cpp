// A broker with static storage duration, published to from the main thread: it is destroyed by
// the process's exit handlers, after the main thread's thread-local routing cache is gone. Its
// shutdown must not touch that cache (under ASan, a use after free; found by the guest_instance
// fuzz target, whose host broker is static). Exits 0 when the exit is clean.

#include <wasmq/broker.hpp>
#include <wasmq/manual_runtime.hpp>

namespace {

struct Host {
  wasmq::ManualRuntime runtime;
  wasmq::Broker broker{runtime};
};

Host& host() {
  static Host instance;
  return instance;
}

}  // namespace

int main() {
  Host& h = host();
  if (!h.broker.declare_queue("q")) return 1;
  // Fills this thread's route cache with the broker's snapshot.
  if (!h.broker.publish({.topic = "q", .payload = wasmq::Payload::copy_of("x")})) return 1;
  return 0;
}
