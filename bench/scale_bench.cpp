// Scenario 6: publish cost against the number of topics (1 → 100,000) and of wildcard
// subscriptions (1 → 10,000) — it should stay flat — and the cost of subscribe churn while that
// many exist (a routing rebuild is O(queues), once per batch of changes).

#include "common.hpp"

#include <wasmq/broker.hpp>
#include <wasmq/manual_runtime.hpp>

#include <string>

namespace wasmq::bench {
namespace {

constexpr std::int64_t batch = 1024;

/// Publishes `batch` messages per iteration to names spread over all `count` targets. Each target
/// holds one message and drops its oldest, so memory stays flat; the drop is the same work for
/// every count.
void publish_spread(benchmark::State& state, Broker& broker, std::int64_t count, const std::string& prefix,
                    const std::string& suffix, std::int64_t most_distinct = 4096) {
  const auto payload = payload_of(16);
  std::vector<std::string> names;
  const std::int64_t distinct = std::min<std::int64_t>(count, most_distinct);
  for (std::int64_t i = 0; i < distinct; ++i) {
    names.push_back(prefix + std::to_string((i * 7919) % count) + suffix);  // spread over all of them
  }
  std::size_t next = 0;
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) {
      Message message;
      message.topic = names[next];
      message.payload = Payload::copy_of(payload);
      next = next + 1 == names.size() ? 0 : next + 1;
      if (!broker.publish(std::move(message))) state.SkipWithError("publish failed");
    }
  }
  throughput.finish(state.iterations() * batch, 16);
}

void BM_Scale_Topics(benchmark::State& state) {
  const std::int64_t topics = state.range(0);
  ManualRuntime runtime;
  Broker broker(runtime);
  for (std::int64_t i = 0; i < topics; ++i) {
    (void)broker.declare_queue("t." + std::to_string(i), {.max_length = 1, .overflow = OverflowPolicy::drop_oldest});
  }
  publish_spread(state, broker, topics, "t.", "");
}
BENCHMARK(BM_Scale_Topics)->RangeMultiplier(10)->Range(1, 100000);

/// The same, publishing to 16 of the topics only: what the lookup costs once the queues it
/// reaches are in cache (the spread variant above also measures cache misses on cold queues).
void BM_Scale_TopicsHot(benchmark::State& state) {
  const std::int64_t topics = state.range(0);
  ManualRuntime runtime;
  Broker broker(runtime);
  for (std::int64_t i = 0; i < topics; ++i) {
    (void)broker.declare_queue("t." + std::to_string(i), {.max_length = 1, .overflow = OverflowPolicy::drop_oldest});
  }
  publish_spread(state, broker, topics, "t.", "", 16);
}
BENCHMARK(BM_Scale_TopicsHot)->RangeMultiplier(10)->Range(1, 100000);

void BM_Scale_WildcardSubscriptions(benchmark::State& state) {
  const std::int64_t subscriptions = state.range(0);
  ManualRuntime runtime;
  Broker broker(runtime);
  std::vector<Receiver> receivers;
  for (std::int64_t i = 0; i < subscriptions; ++i) {
    receivers.push_back(
        *broker.subscribe_receiver("w." + std::to_string(i) + ".*",
                                   {.queue = QueueOptions{.max_length = 1, .overflow = OverflowPolicy::drop_oldest}}));
  }
  publish_spread(state, broker, subscriptions, "w.", ".x");
}
BENCHMARK(BM_Scale_WildcardSubscriptions)->RangeMultiplier(10)->Range(1, 10000);

/// One subscribe and one unsubscribe, each followed by a publish (which rebuilds the routing).
void BM_Scale_SubscribeChurn(benchmark::State& state) {
  const std::int64_t topics = state.range(0);
  ManualRuntime runtime;
  Broker broker(runtime);
  for (std::int64_t i = 0; i < topics; ++i) (void)broker.declare_queue("t." + std::to_string(i));
  for (auto _ : state) {
    auto receiver = broker.subscribe_receiver("churn.*");
    (void)broker.publish({.topic = "churn.a", .payload = Payload::copy_of("x")});
    receiver->close();
    (void)broker.publish({.topic = "churn.a", .payload = Payload::copy_of("x")});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Scale_SubscribeChurn)->RangeMultiplier(10)->Range(1, 100000);

}  // namespace
}  // namespace wasmq::bench
