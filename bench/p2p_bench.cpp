// Scenario 1: point-to-point, one producer → one consumer, each message handled and accepted.
// The broker core and the WASI facade, beside the queues a user could pick instead. Every
// variant copies the payload into a fresh buffer per message (what a publish does) and hands it
// to another thread.

#include "common.hpp"
#include "mutex_queue.hpp"
#include "zmq_socket.hpp"

#include <wasi/messaging/producer.hpp>
#include <wasmq/broker.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/thread_pool_runtime.hpp>

#include <concurrentqueue/blockingconcurrentqueue.h>
#include <concurrentqueue/concurrentqueue.h>
#include <boost/lockfree/queue.hpp>
#include <boost/lockfree/spsc_queue.hpp>

namespace wasmq::bench {
namespace {

using Bytes = std::vector<std::uint8_t>;

// `publish` sends one message of `payload` to "p2p".
template <typename Publish>
void p2p_broker(benchmark::State& state, Publish publish) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Bytes payload = payload_of(size);
  const std::int64_t batch = batch_for(size);
  ThreadPoolRuntime runtime(1);
  Broker broker(runtime);
  (void)broker.declare_queue("p2p");
  std::atomic<std::int64_t> received{0};
  auto consumer = broker.consume("p2p", {}, [&received](Delivery& delivery) {
    (void)delivery.accept();
    received.fetch_add(1, std::memory_order_release);
  });
  std::int64_t sent = 0;
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) {
      if (!publish(broker, payload)) state.SkipWithError("publish failed");
    }
    sent += batch;
    wait_for(received, sent);
  }
  throughput.finish(sent, size);
}

// The bytes and a topic, as the baselines send bytes: publish(topic, bytes).
void BM_P2P_Broker(benchmark::State& state) {
  p2p_broker(state, [](Broker& broker, const Bytes& payload) { return broker.publish("p2p", payload).has_value(); });
}
BENCHMARK(BM_P2P_Broker)->Apply(payload_sizes)->UseRealTime();

// The same through the general form: a Message built per publish, publish(Message&&).
void BM_P2P_BrokerMessage(benchmark::State& state) {
  p2p_broker(state, [](Broker& broker, const Bytes& payload) {
    Message message;
    message.topic = "p2p";
    message.payload = Payload::copy_of(payload);
    return broker.publish(std::move(message)).has_value();
  });
}
BENCHMARK(BM_P2P_BrokerMessage)->Arg(16)->UseRealTime();

/// A guest that counts and accepts what it is given.
class CountingGuest final : public wasi::messaging::incoming_handler::Guest {
 public:
  explicit CountingGuest(std::atomic<std::int64_t>& received) : received_(received) {}
  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&&) override {
    received_.fetch_add(1, std::memory_order_release);
    return {};
  }

 private:
  std::atomic<std::int64_t>& received_;
};

void BM_P2P_Facade(benchmark::State& state) {
  namespace host = wasmq::host;
  namespace types = wasi::messaging::types;
  const auto size = static_cast<std::size_t>(state.range(0));
  const Bytes payload = payload_of(size);
  const std::int64_t batch = batch_for(size);
  ThreadPoolRuntime runtime(1);
  Broker broker(runtime);
  (void)broker.declare_queue("p2p");
  auto registry = std::make_shared<host::ConnectionRegistry>();
  registry->AddBroker("bench", broker);
  auto guest = std::make_shared<const host::GuestContext>(host::GuestContext{"bench", {}, registry});
  std::atomic<std::int64_t> received{0};
  auto subscription =
      host::SubscribeGuest(guest, "inproc", std::make_shared<CountingGuest>(received), {.topic = "p2p", .queue = true});
  host::ScopedGuest as_guest(guest);
  auto client = types::Client::Connect("inproc");
  if (!subscription || !client) state.SkipWithError("could not wire the facade");
  std::int64_t sent = 0;
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) {
      if (!wasi::messaging::producer::Send(*client, "p2p", types::Message(payload))) state.SkipWithError("send failed");
    }
    sent += batch;
    wait_for(received, sent);
  }
  throughput.finish(sent, size);
}
BENCHMARK(BM_P2P_Facade)->Apply(payload_sizes)->UseRealTime();

/// Runs a baseline: `send(bytes)` on this thread, `receive_one()` on a consumer thread (it returns
/// false for the stop message sent by `stop()`).
template <typename Send, typename Receive, typename Stop>
void run_baseline(benchmark::State& state, Send send, Receive receive_one, Stop stop) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Bytes payload = payload_of(size);
  const std::int64_t batch = batch_for(size);
  std::atomic<std::int64_t> received{0};
  std::thread consumer([&] {
    while (receive_one()) received.fetch_add(1, std::memory_order_release);
  });
  std::int64_t sent = 0;
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) send(payload);
    sent += batch;
    wait_for(received, sent);
  }
  throughput.finish(sent, size);
  stop();
  consumer.join();
}

void BM_P2P_Moodycamel(benchmark::State& state) {
  moodycamel::ConcurrentQueue<Bytes> queue;
  moodycamel::ProducerToken producer(queue);
  std::atomic<bool> stopping{false};
  run_baseline(
      state, [&](const Bytes& payload) { queue.enqueue(producer, Bytes(payload)); },
      [&] {
        static thread_local moodycamel::ConsumerToken consumer(queue);
        Bytes bytes;
        while (!queue.try_dequeue(consumer, bytes)) {
          if (stopping.load(std::memory_order_acquire)) return false;
          std::this_thread::yield();
        }
        return true;
      },
      [&] { stopping.store(true, std::memory_order_release); });
}
BENCHMARK(BM_P2P_Moodycamel)->Apply(payload_sizes)->UseRealTime();

void BM_P2P_MoodycamelBlocking(benchmark::State& state) {
  moodycamel::BlockingConcurrentQueue<Bytes> queue;
  moodycamel::ProducerToken producer(queue);
  run_baseline(
      state, [&](const Bytes& payload) { queue.enqueue(producer, Bytes(payload)); },
      [&] {
        Bytes bytes;
        queue.wait_dequeue(bytes);
        return !bytes.empty();
      },
      [&] { queue.enqueue(Bytes{}); });
}
BENCHMARK(BM_P2P_MoodycamelBlocking)->Apply(payload_sizes)->UseRealTime();

void BM_P2P_BoostLockfreeQueue(benchmark::State& state) {
  boost::lockfree::queue<Bytes*> queue(65536);
  run_baseline(
      state,
      [&](const Bytes& payload) {
        auto* bytes = new Bytes(payload);
        while (!queue.push(bytes)) std::this_thread::yield();
      },
      [&] {
        Bytes* bytes = nullptr;
        while (!queue.pop(bytes)) std::this_thread::yield();
        const bool more = !bytes->empty();
        delete bytes;
        return more;
      },
      [&] { queue.push(new Bytes{}); });
}
BENCHMARK(BM_P2P_BoostLockfreeQueue)->Apply(payload_sizes)->UseRealTime();

void BM_P2P_BoostSpscQueue(benchmark::State& state) {
  boost::lockfree::spsc_queue<Bytes*, boost::lockfree::capacity<65536>> queue;
  run_baseline(
      state,
      [&](const Bytes& payload) {
        auto* bytes = new Bytes(payload);
        while (!queue.push(bytes)) std::this_thread::yield();
      },
      [&] {
        Bytes* bytes = nullptr;
        while (!queue.pop(bytes)) std::this_thread::yield();
        const bool more = !bytes->empty();
        delete bytes;
        return more;
      },
      [&] {
        while (!queue.push(new Bytes{})) std::this_thread::yield();
      });
}
BENCHMARK(BM_P2P_BoostSpscQueue)->Apply(payload_sizes)->UseRealTime();

void BM_P2P_MutexQueue(benchmark::State& state) {
  MutexQueue<Bytes> queue;
  run_baseline(
      state, [&](const Bytes& payload) { queue.push(Bytes(payload)); }, [&] { return !queue.pop().empty(); },
      [&] { queue.push(Bytes{}); });
}
BENCHMARK(BM_P2P_MutexQueue)->Apply(payload_sizes)->UseRealTime();

void BM_P2P_ZmqPushPull(benchmark::State& state) {
  ZmqContext context;
  ZmqSocket push(context, ZMQ_PUSH);
  ZmqSocket pull(context, ZMQ_PULL);
  pull.bind("inproc://p2p");
  push.connect("inproc://p2p");
  run_baseline(
      state, [&](const Bytes& payload) { push.send(payload.data(), payload.size()); },
      [&] { return pull.receive() != 0; }, [&] { push.send(nullptr, 0); });
}
BENCHMARK(BM_P2P_ZmqPushPull)->Apply(payload_sizes)->UseRealTime();

}  // namespace
}  // namespace wasmq::bench
