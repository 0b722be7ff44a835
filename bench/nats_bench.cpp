// The NATS baseline: the same scenarios through a nats-server on loopback (started once, on a
// free port), with the raw NATS C client and with the facade on the NATS backend. What a user
// pays for leaving the process: a syscall and a hop each way, and the server in between.

#include "common.hpp"

#include <wasi/messaging/producer.hpp>
#include <wasi/messaging/request_reply.hpp>
#include <wasmq/backends/nats.hpp>
#include <wasmq/testing/nats_server.hpp>

#include <nats/nats.h>

#include <memory>
#include <string>

namespace wasmq::bench {
namespace {

namespace host = wasmq::host;
namespace types = wasi::messaging::types;
using Bytes = std::vector<std::uint8_t>;

/// The run's one server; empty URL (and the reason) when it could not start.
const std::string& server_url(std::string* why = nullptr) {
  static std::string reason;
  static auto server = wasmq::testkit::NatsServer::start();
  static const std::string url = server ? (*server)->url() : (reason = server.error(), std::string());
  if (why != nullptr) *why = reason;
  return url;
}

bool skip_without_server(benchmark::State& state) {
  std::string why;
  if (!server_url(&why).empty()) return false;
  state.SkipWithError(("no nats-server: " + why).c_str());
  return true;
}

/// A raw client connection, destroyed with its holder. `send_asap`: writes each publish at once
/// (what the client's documentation advises for a connection that sends replies).
struct Connection {
  natsConnection* connection = nullptr;
  explicit Connection(bool send_asap = false) {
    natsOptions* options = nullptr;
    (void)natsOptions_Create(&options);
    (void)natsOptions_SetURL(options, server_url().c_str());
    (void)natsOptions_SetSendAsap(options, send_asap);
    (void)natsConnection_Connect(&connection, options);
    natsOptions_Destroy(options);
  }
  ~Connection() { natsConnection_Destroy(connection); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
};

/// Waits for `counter` to reach `target`, or fails the run after 10 s (core NATS drops messages
/// for a subscriber that falls too far behind: a benchmark must not hang on that).
bool wait_or_fail(benchmark::State& state, const std::atomic<std::int64_t>& counter, std::int64_t target) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (counter.load(std::memory_order_acquire) < target) {
    if (std::chrono::steady_clock::now() > deadline) {
      state.SkipWithError("messages were lost (slow consumer) or the server stalled");
      return false;
    }
    std::this_thread::yield();
  }
  return true;
}

void count_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  natsMsg_Destroy(msg);
  static_cast<std::atomic<std::int64_t>*>(closure)->fetch_add(1, std::memory_order_release);
}

/// Raw client: publish on one connection, a subscription on another counts.
void run_core(benchmark::State& state, int subscribers) {
  if (skip_without_server(state)) return;
  const auto size = static_cast<std::size_t>(state.range(0));
  const Bytes payload = payload_of(size);
  const std::int64_t batch = batch_for(size);
  Connection publisher;
  Connection subscriber;
  std::atomic<std::int64_t> received{0};
  std::vector<natsSubscription*> subscriptions(static_cast<std::size_t>(subscribers), nullptr);
  for (auto& subscription : subscriptions) {
    (void)natsConnection_Subscribe(&subscription, subscriber.connection, "bench.core", count_message, &received);
  }
  (void)natsConnection_Flush(subscriber.connection);  // the interest is on the server before the first publish
  std::int64_t sent = 0;
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) {
      (void)natsConnection_Publish(publisher.connection, "bench.core", payload.data(), static_cast<int>(size));
    }
    (void)natsConnection_Flush(publisher.connection);
    sent += batch;
    if (!wait_or_fail(state, received, sent * subscribers)) break;
  }
  throughput.finish(sent * subscribers, size);
  for (auto* subscription : subscriptions) natsSubscription_Destroy(subscription);
}

void BM_P2P_NatsCore(benchmark::State& state) { run_core(state, 1); }
BENCHMARK(BM_P2P_NatsCore)->Apply(payload_sizes)->UseRealTime();

void BM_FanOut_NatsCore(benchmark::State& state) { run_core(state, static_cast<int>(state.range(1))); }
BENCHMARK(BM_FanOut_NatsCore)->Args({16, 1})->Args({16, 4})->Args({16, 16})->UseRealTime();

class CountingGuest final : public wasi::messaging::incoming_handler::Guest {
 public:
  explicit CountingGuest(std::atomic<std::int64_t>& received) : received_(received) {}
  std::expected<void, types::Error> Handle(types::Message&&) override {
    received_.fetch_add(1, std::memory_order_release);
    return {};
  }

 private:
  std::atomic<std::int64_t>& received_;
};

class EchoGuest final : public wasi::messaging::incoming_handler::Guest {
 public:
  std::expected<void, types::Error> Handle(types::Message&& request) override {
    return wasi::messaging::request_reply::Reply(request, types::Message(request.DataView()));
  }
};

/// A host with "bench" on a NATS backend, the guest context to act as, and a subscription.
struct NatsHost {
  std::shared_ptr<wasmq::backends::NatsBackend> backend;
  std::shared_ptr<const host::GuestContext> guest;
  explicit NatsHost(wasmq::backends::NatsOptions options) {
    options.url = server_url();
    auto made = wasmq::backends::MakeNatsBackend(std::move(options));
    if (!made) return;
    backend = *made;
    auto registry = std::make_shared<host::ConnectionRegistry>();
    registry->Add("bench", backend);
    guest = std::make_shared<const host::GuestContext>(host::GuestContext{"bench", {}, registry});
  }
};

/// The facade on NATS: producer::Send → the NATS backend → server → a guest's Handle. `durable`:
/// through a JetStream work queue (each send waits for the stream's acknowledgement, each
/// delivery is acked).
void run_facade(benchmark::State& state, bool durable, bool send_asap = false) {
  if (skip_without_server(state)) return;
  const auto size = static_cast<std::size_t>(state.range(0));
  const Bytes payload = payload_of(size);
  const std::int64_t batch = durable ? 256 : batch_for(size);
  static int run = 0;
  const std::string topic = "bench.facade." + std::to_string(++run);  // a fresh stream per run
  wasmq::backends::NatsOptions options{.send_asap = send_asap};
  if (durable) options.durable.push_back({.name = topic});
  NatsHost nats(options);
  if (!nats.backend) {
    state.SkipWithError("could not connect the NATS backend");
    return;
  }
  std::atomic<std::int64_t> received{0};
  auto subscription = host::SubscribeGuest(nats.guest, "bench", std::make_shared<CountingGuest>(received),
                                           {.topic = topic, .queue = durable});
  host::ScopedGuest as_guest(nats.guest);
  auto client = types::Client::Connect("bench");
  if (!subscription || !client) {
    state.SkipWithError("could not wire the facade");
    return;
  }
  std::int64_t sent = 0;
  Throughput throughput(state);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < batch; ++i) {
      if (!wasi::messaging::producer::Send(*client, topic, types::Message(payload))) state.SkipWithError("send failed");
    }
    sent += batch;
    if (!wait_or_fail(state, received, sent)) break;
  }
  throughput.finish(sent, size);
}

void BM_P2P_FacadeOnNats(benchmark::State& state) { run_facade(state, false); }
BENCHMARK(BM_P2P_FacadeOnNats)->Apply(payload_sizes)->UseRealTime();

void BM_P2P_FacadeOnNatsAsap(benchmark::State& state) { run_facade(state, false, true); }
BENCHMARK(BM_P2P_FacadeOnNatsAsap)->Arg(16)->UseRealTime();

void BM_P2P_FacadeOnNatsDurable(benchmark::State& state) { run_facade(state, true); }
BENCHMARK(BM_P2P_FacadeOnNatsDurable)->Arg(16)->UseRealTime();

void echo_reply(natsConnection* connection, natsSubscription*, natsMsg* msg, void*) {
  (void)natsConnection_Publish(connection, natsMsg_GetReply(msg), natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
  natsMsg_Destroy(msg);
}

void BM_RequestReply_NatsCore(benchmark::State& state) {
  if (skip_without_server(state)) return;
  const Bytes payload = payload_of(16);
  Connection requester;
  Connection responder(/*send_asap=*/true);
  natsSubscription* subscription = nullptr;
  (void)natsConnection_Subscribe(&subscription, responder.connection, "bench.echo", echo_reply, nullptr);
  (void)natsConnection_Flush(responder.connection);
  std::vector<std::int64_t> samples;
  samples.reserve(1 << 20);
  for (auto _ : state) {
    const std::int64_t start = now_ns();
    natsMsg* reply = nullptr;
    const natsStatus status =
        natsConnection_Request(&reply, requester.connection, "bench.echo", payload.data(), 16, 5000);
    samples.push_back(now_ns() - start);
    natsMsg_Destroy(reply);
    if (status != NATS_OK) state.SkipWithError("request failed");
  }
  state.SetItemsProcessed(state.iterations());
  report_latency(state, samples);
  natsSubscription_Destroy(subscription);
}
BENCHMARK(BM_RequestReply_NatsCore)->UseRealTime();

void run_request_reply_facade(benchmark::State& state, bool send_asap) {
  if (skip_without_server(state)) return;
  const Bytes payload = payload_of(16);
  NatsHost nats({.send_asap = send_asap});
  if (!nats.backend) {
    state.SkipWithError("could not connect the NATS backend");
    return;
  }
  auto responder = host::SubscribeGuest(nats.guest, "bench", std::make_shared<EchoGuest>(), {.topic = "bench.echo2"});
  host::ScopedGuest as_guest(nats.guest);
  auto client = types::Client::Connect("bench");
  if (!responder || !client) {
    state.SkipWithError("could not wire the facade");
    return;
  }
  const types::Message request(payload);
  std::vector<std::int64_t> samples;
  samples.reserve(1 << 20);
  for (auto _ : state) {
    const std::int64_t start = now_ns();
    auto replies = wasi::messaging::request_reply::Request(*client, "bench.echo2", request, std::nullopt);
    samples.push_back(now_ns() - start);
    if (!replies) state.SkipWithError("request failed");
  }
  state.SetItemsProcessed(state.iterations());
  report_latency(state, samples);
}

void BM_RequestReply_FacadeOnNats(benchmark::State& state) { run_request_reply_facade(state, false); }
BENCHMARK(BM_RequestReply_FacadeOnNats)->UseRealTime();

void BM_RequestReply_FacadeOnNatsAsap(benchmark::State& state) { run_request_reply_facade(state, true); }
BENCHMARK(BM_RequestReply_FacadeOnNatsAsap)->UseRealTime();

}  // namespace
}  // namespace wasmq::bench
