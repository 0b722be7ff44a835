#pragma once
// One conformance suite, two backends: a host whose connection name "shop" resolves to the
// embedded broker (on two runtime threads) or to a NATS server that the suite starts on a free
// loopback port with JetStream. Each test declares its durable queues; both backends get them.

#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/producer.hpp>
#include <wasi/messaging/request_reply.hpp>
#include <wasi/messaging/types.hpp>
#include <wasmq/backends/inproc.hpp>
#include <wasmq/broker.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/testing/text.hpp>
#include <wasmq/thread_pool_runtime.hpp>
#ifdef WASMQ_WITH_NATS
#include <wasmq/backends/nats.hpp>
#include <wasmq/testing/nats_server.hpp>
#endif

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace wasmq::backend_tests {

namespace host = wasmq::host;
namespace types = wasi::messaging::types;
using namespace std::chrono_literals;

enum class BackendKind { kInproc, kNats };
inline std::string BackendName(const ::testing::TestParamInfo<BackendKind>& info) {
  return info.param == BackendKind::kInproc ? "inproc" : "nats";
}

using wasmq::testkit::message_of;
using wasmq::testkit::text_of;

/// The value of `key` in `metadata`, or "(missing)".
inline std::string MetadataOf(const types::Metadata& metadata, std::string_view key) {
  for (const auto& [name, value] : metadata) {
    if (name == key) return value;
  }
  return "(missing)";
}

/// What a guest saw of one message.
struct Seen {
  std::string topic;
  std::string text;
  std::optional<std::string> content_type;
  types::Metadata metadata;
};

/// Messages handled by several guests together, to wait for a total.
class Tally {
 public:
  void Add() {
    {
      std::lock_guard lock(mutex_);
      ++count_;
    }
    changed_.notify_all();
  }
  bool WaitFor(std::size_t count, std::chrono::milliseconds within = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, within, [&] { return count_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t count_ = 0;
};

/// A guest that records what it handles and answers with `respond` (ok by default).
class Collector final : public wasi::messaging::incoming_handler::Guest {
 public:
  using Respond = std::function<std::expected<void, types::Error>(types::Message&, std::size_t call)>;
  explicit Collector(Respond respond = {}, std::shared_ptr<Tally> tally = nullptr)
      : respond_(std::move(respond)), tally_(std::move(tally)) {}

  std::expected<void, types::Error> Handle(types::Message&& message) override {
    std::size_t call = 0;
    {
      std::lock_guard lock(mutex_);
      seen_.push_back({message.Topic().value_or(""), text_of(message), message.ContentType(),
                       message.Metadata().value_or(types::Metadata{})});
      call = seen_.size();
    }
    // Counted once the response is done (returned or thrown): a test that waited for N has its
    // N responses.
    struct Done {
      Collector& self;
      ~Done() {
        {
          std::lock_guard lock(self.mutex_);
          ++self.handled_;
        }
        self.changed_.notify_all();
        if (self.tally_) self.tally_->Add();
      }
    } done{*this};
    return respond_ ? respond_(message, call) : std::expected<void, types::Error>{};
  }

  /// Waits until at least `count` messages were handled (10 s at most); true when they were.
  bool WaitFor(std::size_t count, std::chrono::milliseconds within = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, within, [&] { return handled_ >= count; });
  }
  std::vector<backend_tests::Seen> All() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  std::vector<std::string> Texts() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> texts;
    for (const auto& seen : seen_) texts.push_back(seen.text);
    return texts;
  }
  std::size_t Count() const {
    std::lock_guard lock(mutex_);
    return seen_.size();
  }

 private:
  Respond respond_;
  std::shared_ptr<Tally> tally_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<backend_tests::Seen> seen_;
  std::size_t handled_ = 0;
};

/// A durable queue as a test declares it: a declared broker queue, or a JetStream channel.
struct DurableQueue {
  std::string name{};
  std::uint32_t max_deliveries = 10;
  std::chrono::milliseconds lock_duration = 30s;
  std::string dead_letter{};
};

#ifdef WASMQ_WITH_NATS
/// The suite's one NATS server, started on first use and stopped when the process exits.
inline wasmq::testkit::NatsServer* SharedNatsServer(std::string& error) {
  static auto server = wasmq::testkit::NatsServer::start();
  if (!server) {
    error = server.error();
    return nullptr;
  }
  return server->get();
}
#endif

class BackendTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  ~BackendTest() override {
    subscriptions_.clear();
    if (broker_) broker_->shutdown();
  }

  /// Connects "shop" to the backend under test, with `durable` queues. Call once, first.
  void Open(std::vector<DurableQueue> durable = {}) {
    auto registry = std::make_shared<host::ConnectionRegistry>();
    if (GetParam() == BackendKind::kInproc) {
      broker_ = std::make_unique<wasmq::Broker>(runtime_);
      for (const auto& queue : durable) {
        ASSERT_TRUE(broker_->declare_queue(queue.name, {.lock_duration = queue.lock_duration,
                                                        .max_deliveries = queue.max_deliveries,
                                                        .dead_letter = queue.dead_letter}));
      }
      registry->Add("shop", wasmq::backends::MakeInprocBackend(*broker_));
    } else {
#ifdef WASMQ_WITH_NATS
      std::string error;
      auto* server = SharedNatsServer(error);
      ASSERT_NE(server, nullptr) << error;
      wasmq::backends::NatsOptions options{.url = server->url()};
      for (const auto& queue : durable) {
        options.durable.push_back({.name = queue.name,
                                   .queue = true,
                                   .lock_duration = queue.lock_duration,
                                   .max_deliveries = queue.max_deliveries,
                                   .dead_letter = queue.dead_letter});
      }
      auto backend = wasmq::backends::MakeNatsBackend(std::move(options));
      ASSERT_TRUE(backend) << backend.error().Message();
      nats_ = *backend;
      registry->Add("shop", nats_);
#else
      GTEST_FAIL() << "built without WASMQ_WITH_NATS";
#endif
    }
    registry_ = registry;
  }

  /// A name of this test's own: tests share one server, so streams and subjects must not meet.
  std::string Name(std::string_view suffix) const {
    static std::atomic<int> next{0};
    if (prefix_.empty()) prefix_ = "t" + std::to_string(next.fetch_add(1, std::memory_order_relaxed));
    return prefix_ + "." + std::string(suffix);
  }

  std::shared_ptr<const host::GuestContext> Guest(std::string identity, host::Permissions permissions = {}) const {
    return std::make_shared<const host::GuestContext>(
        host::GuestContext{std::move(identity), std::move(permissions), registry_});
  }

  /// Subscribes `guest` through "shop" with a guest context allowed everything.
  void Subscribe(std::shared_ptr<wasi::messaging::incoming_handler::Guest> guest, host::Subscription subscription) {
    auto subscribed = host::SubscribeGuest(Guest("subscriber"), "shop", std::move(guest), subscription);
    ASSERT_TRUE(subscribed) << subscribed.error().Message();
    subscriptions_.push_back(std::move(*subscribed));
  }

  /// Sends as a guest allowed everything.
  std::expected<void, types::Error> Send(std::string_view topic, types::Message message) {
    host::ScopedGuest as(Guest("sender"));
    auto client = types::Client::Connect("shop");
    if (!client) return std::unexpected(client.error());
    return wasi::messaging::producer::Send(*client, topic, std::move(message));
  }
  void SendOk(std::string_view topic, std::string_view text) {
    auto sent = Send(topic, message_of(text));
    ASSERT_TRUE(sent) << sent.error().Message();
  }

  std::expected<std::vector<types::Message>, types::Error> Request(
      std::string_view topic, std::string_view text, std::optional<std::uint32_t> timeout_ms = std::nullopt,
      std::optional<std::uint32_t> expected = std::nullopt) {
    host::ScopedGuest as(Guest("requester"));
    auto client = types::Client::Connect("shop");
    if (!client) return std::unexpected(client.error());
    std::optional<wasi::messaging::request_reply::RequestOptions> options;
    if (timeout_ms || expected) {
      options.emplace();
      if (timeout_ms) options->SetTimeoutMs(*timeout_ms);
      if (expected) options->SetExpectedReplies(*expected);
    }
    return wasi::messaging::request_reply::Request(*client, topic, message_of(text), std::move(options));
  }

  [[nodiscard]] bool IsNats() const { return GetParam() == BackendKind::kNats; }

 private:
  wasmq::ThreadPoolRuntime runtime_{2};
  std::unique_ptr<wasmq::Broker> broker_;
#ifdef WASMQ_WITH_NATS
  std::shared_ptr<wasmq::backends::NatsBackend> nats_;
#endif
  std::shared_ptr<const host::ConnectionRegistry> registry_;
  std::vector<host::GuestSubscription> subscriptions_;
  mutable std::string prefix_;
};

/// A guest that answers each request `replies` times with "re:<text>#<n>".
inline std::shared_ptr<Collector> Responder(int replies) {
  return std::make_shared<Collector>(
      [replies](types::Message& request, std::size_t) -> std::expected<void, types::Error> {
        for (int n = 1; n <= replies; ++n) {
          auto reply = wasi::messaging::request_reply::Reply(
              request, message_of("re:" + text_of(request) + "#" + std::to_string(n)));
          if (!reply) return reply;
        }
        return {};
      });
}

}  // namespace wasmq::backend_tests
