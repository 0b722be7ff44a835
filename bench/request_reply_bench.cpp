// Scenario 4: request-reply round trips — latency percentiles (from every round trip, not a mean)
// and round trips per second. The facade's Request against a responder guest, beside a raw
// condition-variable ping-pong between two threads and ZeroMQ REQ/REP over inproc.

#include "common.hpp"
#include "zmq_socket.hpp"

#include <wasi/messaging/request_reply.hpp>
#include <wasmq/broker.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/thread_pool_runtime.hpp>

#include <condition_variable>
#include <mutex>

namespace wasmq::bench {
namespace {

namespace host = wasmq::host;
namespace types = wasi::messaging::types;

class EchoGuest final : public wasi::messaging::incoming_handler::Guest {
 public:
  std::expected<void, types::Error> Handle(types::Message&& request) override {
    return wasi::messaging::request_reply::Reply(request, types::Message(request.DataView()));
  }
};

void BM_RequestReply_Facade(benchmark::State& state) {
  const std::vector<std::uint8_t> payload = payload_of(16);
  ThreadPoolRuntime runtime(1);
  Broker broker(runtime);
  auto registry = std::make_shared<host::ConnectionRegistry>();
  registry->AddBroker("bench", broker);
  auto guest = std::make_shared<const host::GuestContext>(host::GuestContext{"bench", {}, registry});
  auto responder = host::SubscribeGuest(guest, "inproc", std::make_shared<EchoGuest>(), {.topic = "echo"});
  host::ScopedGuest as_guest(guest);
  auto client = types::Client::Connect("inproc");
  if (!responder || !client) state.SkipWithError("could not wire the facade");
  const types::Message request(payload);
  std::vector<std::int64_t> samples;
  samples.reserve(1 << 20);
  ThreadPlacement placement;  // after every thread exists: see placement.hpp
  for (auto _ : state) {
    const std::int64_t start = now_ns();
    auto replies = wasi::messaging::request_reply::Request(*client, "echo", request, std::nullopt);
    samples.push_back(now_ns() - start);
    if (!replies) state.SkipWithError("request failed");
  }
  state.SetItemsProcessed(state.iterations());
  report_latency(state, samples);
}
BENCHMARK(BM_RequestReply_Facade)->UseRealTime();

void BM_RequestReply_CondVarPingPong(benchmark::State& state) {
  std::mutex mutex;
  std::condition_variable changed;
  std::int64_t ping = 0;  // guarded by mutex
  std::int64_t pong = 0;
  bool stopping = false;
  std::thread responder([&] {
    std::unique_lock lock(mutex);
    while (true) {
      changed.wait(lock, [&] { return stopping || ping > pong; });
      if (stopping) return;
      pong = ping;
      changed.notify_all();
    }
  });
  std::vector<std::int64_t> samples;
  samples.reserve(1 << 20);
  ThreadPlacement placement;  // after every thread exists: see placement.hpp
  for (auto _ : state) {
    const std::int64_t start = now_ns();
    std::unique_lock lock(mutex);
    ++ping;
    changed.notify_all();
    changed.wait(lock, [&] { return pong == ping; });
    lock.unlock();
    samples.push_back(now_ns() - start);
  }
  {
    std::lock_guard lock(mutex);
    stopping = true;
  }
  changed.notify_all();
  responder.join();
  state.SetItemsProcessed(state.iterations());
  report_latency(state, samples);
}
BENCHMARK(BM_RequestReply_CondVarPingPong)->UseRealTime();

void BM_RequestReply_ZmqReqRep(benchmark::State& state) {
  const std::vector<std::uint8_t> payload = payload_of(16);
  ZmqContext context;
  ZmqSocket rep(context, ZMQ_REP);
  rep.bind("inproc://rr");
  std::thread responder([&] {
    std::uint8_t buffer[64];
    while (true) {
      const int size = zmq_recv(rep.get(), buffer, sizeof buffer, 0);
      if (size <= 0) {
        rep.send(nullptr, 0);
        return;
      }
      rep.send(buffer, static_cast<std::size_t>(size));
    }
  });
  ZmqSocket req(context, ZMQ_REQ);
  req.connect("inproc://rr");
  std::vector<std::int64_t> samples;
  samples.reserve(1 << 20);
  ThreadPlacement placement;  // after every thread exists: see placement.hpp
  for (auto _ : state) {
    const std::int64_t start = now_ns();
    req.send(payload.data(), payload.size());
    req.receive();
    samples.push_back(now_ns() - start);
  }
  req.send(nullptr, 0);
  req.receive();
  responder.join();
  state.SetItemsProcessed(state.iterations());
  report_latency(state, samples);
}
BENCHMARK(BM_RequestReply_ZmqReqRep)->UseRealTime();

}  // namespace
}  // namespace wasmq::bench
