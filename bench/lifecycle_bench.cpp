// Scenario 5: the cost of a nack/redelivery cycle and of dead-lettering, measured on one thread
// (a ManualRuntime and a pull receiver), so the figures are CPU cost without thread hand-offs.

#include "common.hpp"

#include <wasmq/broker.hpp>
#include <wasmq/manual_runtime.hpp>

namespace wasmq::bench {
namespace {

constexpr std::int64_t batch = 1024;

Message message_of(const std::vector<std::uint8_t>& payload, const char* topic) {
  Message message;
  message.topic = topic;
  message.payload = Payload::copy_of(payload);
  return message;
}

/// publish → receive → accept of `batch` messages per iteration, each published by
/// `publish(broker, payload)`.
template <class Publish>
void lifecycle_accept(benchmark::State& state, Publish publish) {
  const auto payload = payload_of(16);
  ManualRuntime runtime;
  Broker broker(runtime);
  (void)broker.declare_queue("jobs");
  auto receiver = broker.open_receiver("jobs", {.max_in_flight = 65536});
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) publish(broker, payload);
    for (std::int64_t i = 0; i < batch; ++i) (void)receiver->receive(wasmq::Duration::zero())->accept();
  }
  throughput.finish(state.iterations() * batch, 16);
}

/// publish → receive → accept: the baseline the others add to. Publishes bytes on a topic,
/// publish(topic, bytes), as do the rows below.
void BM_Lifecycle_Accept(benchmark::State& state) {
  lifecycle_accept(state, [](Broker& broker, const auto& payload) { (void)broker.publish("jobs", payload); });
}
BENCHMARK(BM_Lifecycle_Accept);

/// The same with a Message built per publish: publish(Message&&).
void BM_Lifecycle_AcceptMessage(benchmark::State& state) {
  lifecycle_accept(state,
                   [](Broker& broker, const auto& payload) { (void)broker.publish(message_of(payload, "jobs")); });
}
BENCHMARK(BM_Lifecycle_AcceptMessage);

/// publish → receive → release → receive again → accept.
void BM_Lifecycle_ReleaseThenAccept(benchmark::State& state) {
  const auto payload = payload_of(16);
  ManualRuntime runtime;
  Broker broker(runtime);
  (void)broker.declare_queue("jobs", {.max_deliveries = 0});
  auto receiver = broker.open_receiver("jobs", {.max_in_flight = 65536});
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) (void)broker.publish("jobs", payload);
    for (std::int64_t i = 0; i < batch; ++i) (void)receiver->receive(wasmq::Duration::zero())->release();
    for (std::int64_t i = 0; i < batch; ++i) (void)receiver->receive(wasmq::Duration::zero())->accept();
  }
  throughput.finish(state.iterations() * batch, 16);
}
BENCHMARK(BM_Lifecycle_ReleaseThenAccept);

/// publish → receive → reject → dead letter published to the DLQ → received there → accepted.
void BM_Lifecycle_RejectToDeadLetter(benchmark::State& state) {
  const auto payload = payload_of(16);
  ManualRuntime runtime;
  Broker broker(runtime);
  (void)broker.declare_queue("jobs.dead");
  (void)broker.declare_queue("jobs", {.dead_letter = "jobs.dead"});
  auto receiver = broker.open_receiver("jobs", {.max_in_flight = 65536});
  auto dead = broker.open_receiver("jobs.dead", {.max_in_flight = 65536});
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) (void)broker.publish("jobs", payload);
    for (std::int64_t i = 0; i < batch; ++i) (void)receiver->receive(wasmq::Duration::zero())->reject("bench");
    for (std::int64_t i = 0; i < batch; ++i) (void)dead->receive(wasmq::Duration::zero())->accept();
  }
  throughput.finish(state.iterations() * batch, 16);
}
BENCHMARK(BM_Lifecycle_RejectToDeadLetter);

}  // namespace
}  // namespace wasmq::bench
