// What only the NATS backend has: a server that goes away and comes back, JetStream's storage,
// and what NATS headers cannot carry. Each test runs its own nats-server.

#include "backend_fixture.hpp"

#include <wasmq/backends/nats.hpp>
#include <wasmq/testing/nats_server.hpp>

#include <gmock/gmock.h>
#include <nats/nats.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace wasmq::backend_tests {
namespace {

using ::testing::HasSubstr;

class NatsBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = wasmq::testkit::NatsServer::start();
    ASSERT_TRUE(started) << started.error();
    server = std::move(*started);
  }
  void TearDown() override { subscriptions.clear(); }

  std::shared_ptr<wasmq::backends::NatsBackend> Connect(wasmq::backends::NatsOptions options = {}) {
    options.url = server->url();
    auto backend = wasmq::backends::MakeNatsBackend(std::move(options));
    EXPECT_TRUE(backend) << backend.error().Message();
    if (!backend) return nullptr;
    auto registry = std::make_shared<host::ConnectionRegistry>();
    registry->Add("shop", *backend);
    guest = std::make_shared<const host::GuestContext>(host::GuestContext{"guest", {}, registry});
    return *backend;
  }

  std::expected<void, types::Error> Send(std::string_view topic, types::Message message) {
    host::ScopedGuest as(guest);
    auto client = types::Client::Connect("shop");
    if (!client) return std::unexpected(client.error());
    return wasi::messaging::producer::Send(*client, topic, std::move(message));
  }

  void Subscribe(std::shared_ptr<wasi::messaging::incoming_handler::Guest> handler, host::Subscription subscription) {
    auto subscribed = host::SubscribeGuest(guest, "shop", std::move(handler), subscription);
    ASSERT_TRUE(subscribed) << subscribed.error().Message();
    subscriptions.push_back(std::move(*subscribed));
  }

  std::unique_ptr<wasmq::testkit::NatsServer> server;
  std::shared_ptr<const host::GuestContext> guest;
  std::vector<host::GuestSubscription> subscriptions;
};

TEST_F(NatsBackendTest, AnUnreachableServerIsAConnectionError) {
  const std::string url = server->url();
  server->stop();
  auto backend = wasmq::backends::MakeNatsBackend({.url = url, .connect_timeout = 500ms});
  ASSERT_FALSE(backend);
  EXPECT_EQ(backend.error().GetKind(), types::Error::Kind::kConnection);
  EXPECT_THAT(backend.error().Message(), HasSubstr(url));
}

TEST_F(NatsBackendTest, SendsDuringAnOutageGoOutAfterReconnecting) {
  auto backend = Connect({.reconnect_wait = 50ms});
  ASSERT_TRUE(backend);
  auto seen = std::make_shared<Collector>();
  Subscribe(seen, {.topic = "outage.orders"});
  ASSERT_TRUE(Send("outage.orders", message_of("before")));
  ASSERT_TRUE(seen->WaitFor(1));

  server->stop();
  ASSERT_TRUE(
      backend->WaitForStatus(wasmq::backends::NatsStatus::kReconnecting, std::chrono::steady_clock::now() + 10s));
  for (const char* text : {"during-1", "during-2", "during-3"}) {
    auto sent = Send("outage.orders", message_of(text));
    ASSERT_TRUE(sent) << sent.error().Message();  // buffered by the client
  }
  ASSERT_TRUE(server->restart()) << server->log();
  ASSERT_TRUE(backend->WaitForStatus(wasmq::backends::NatsStatus::kConnected, std::chrono::steady_clock::now() + 10s));
  // The client subscribes again before it flushes what it buffered: nothing is lost.
  ASSERT_TRUE(seen->WaitFor(4));
  EXPECT_THAT(seen->Texts(), ::testing::ElementsAre("before", "during-1", "during-2", "during-3"));
  EXPECT_EQ(backend->Stats().reconnects, 1U);
}

TEST_F(NatsBackendTest, ASendThatDoesNotFitTheReconnectBufferFailsWithConnection) {
  auto backend = Connect({.reconnect_wait = 50ms, .reconnect_buffer_bytes = 4096});
  ASSERT_TRUE(backend);
  server->stop();
  ASSERT_TRUE(
      backend->WaitForStatus(wasmq::backends::NatsStatus::kReconnecting, std::chrono::steady_clock::now() + 10s));
  // The client checks the buffer before it appends: what is already in it decides.
  const std::vector<std::uint8_t> chunk(3000, 'x');
  std::expected<void, types::Error> sent;
  int accepted = 0;
  for (; accepted < 10; ++accepted) {
    sent = Send("outage.big", types::Message(chunk));
    if (!sent) break;
  }
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().GetKind(), types::Error::Kind::kConnection);
  EXPECT_LE(accepted, 2);  // 4096 bytes of buffer hold one or two 3000-byte sends, never ten
}

TEST_F(NatsBackendTest, ARequestDuringAnOutageFailsWithConnectionInsteadOfWaiting) {
  auto backend = Connect({.reconnect_wait = 50ms});
  ASSERT_TRUE(backend);
  server->stop();
  ASSERT_TRUE(
      backend->WaitForStatus(wasmq::backends::NatsStatus::kReconnecting, std::chrono::steady_clock::now() + 10s));
  host::ScopedGuest as(guest);
  auto client = types::Client::Connect("shop");
  ASSERT_TRUE(client);
  auto replies = wasi::messaging::request_reply::Request(*client, "outage.quote", message_of("?"), std::nullopt);
  ASSERT_FALSE(replies);  // no timeout was given: without the check it would wait forever
  EXPECT_EQ(replies.error().GetKind(), types::Error::Kind::kConnection);
}

TEST_F(NatsBackendTest, ARequestWaitingWhenTheConnectionDropsFailsWithConnection) {
  auto backend = Connect({.reconnect_wait = 50ms});
  ASSERT_TRUE(backend);
  auto silent = std::make_shared<Collector>();
  Subscribe(silent, {.topic = "drop.quote"});
  std::expected<std::vector<types::Message>, types::Error> replies = std::unexpected(types::Error::Other("not run"));
  std::thread requester([&] {
    host::ScopedGuest as(guest);
    auto client = types::Client::Connect("shop");
    replies = wasi::messaging::request_reply::Request(*client, "drop.quote", message_of("?"), std::nullopt);
  });
  ASSERT_TRUE(silent->WaitFor(1));  // the request is out, and nobody will answer it
  server->stop();
  requester.join();
  ASSERT_FALSE(replies);
  EXPECT_EQ(replies.error().GetKind(), types::Error::Kind::kConnection);
}

TEST_F(NatsBackendTest, WhenTheClientGivesUpSendsFailWithConnection) {
  auto backend = Connect({.max_reconnects = 1, .reconnect_wait = 20ms});
  ASSERT_TRUE(backend);
  server->stop();
  ASSERT_TRUE(backend->WaitForStatus(wasmq::backends::NatsStatus::kClosed, std::chrono::steady_clock::now() + 10s));
  auto sent = Send("closed.orders", message_of("too late"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().GetKind(), types::Error::Kind::kConnection);
}

TEST_F(NatsBackendTest, ASendToADurableChannelDuringAnOutageFailsWithConnectionAfterTheAckTimeout) {
  auto backend =
      Connect({.reconnect_wait = 50ms, .publish_ack_timeout = 200ms, .durable = {{.name = "durable.orders"}}});
  ASSERT_TRUE(backend);
  server->stop();
  ASSERT_TRUE(
      backend->WaitForStatus(wasmq::backends::NatsStatus::kReconnecting, std::chrono::steady_clock::now() + 10s));
  auto sent = Send("durable.orders", message_of("unacknowledged"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().GetKind(), types::Error::Kind::kConnection);
}

TEST_F(NatsBackendTest, ADurableQueueKeepsItsMessagesAcrossAServerRestart) {
  wasmq::backends::NatsOptions options{.reconnect_wait = 50ms, .durable = {{.name = "kept.jobs"}}};
  auto backend = Connect(options);
  ASSERT_TRUE(backend);
  for (const char* text : {"job-1", "job-2"}) ASSERT_TRUE(Send("kept.jobs", message_of(text)));
  server->stop();
  ASSERT_TRUE(server->restart()) << server->log();
  ASSERT_TRUE(backend->WaitForStatus(wasmq::backends::NatsStatus::kConnected, std::chrono::steady_clock::now() + 10s));
  auto worker = std::make_shared<Collector>();
  Subscribe(worker, {.topic = "kept.jobs", .queue = true});
  ASSERT_TRUE(worker->WaitFor(2));
  EXPECT_THAT(worker->Texts(), ::testing::ElementsAre("job-1", "job-2"));
}

TEST_F(NatsBackendTest, MetadataANatsHeaderCannotCarryIsRefused) {
  ASSERT_TRUE(Connect());
  types::Message message = message_of("x");
  message.AddMetadata("has space", "v");
  auto sent = Send("headers.bad", std::move(message));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().GetKind(), types::Error::Kind::kOther);
  EXPECT_THAT(sent.error().Message(), HasSubstr("NATS header"));

  types::Message multiline = message_of("x");
  multiline.AddMetadata("note", "line\r\nbreak");
  auto also = Send("headers.bad", std::move(multiline));
  ASSERT_FALSE(also);
  EXPECT_EQ(also.error().GetKind(), types::Error::Kind::kOther);
}

// Each of these was found by fuzz/nats_headers_fuzz.cpp arriving changed; now each is refused.
TEST_F(NatsBackendTest, MetadataThatWouldArriveChangedIsRefusedAtSendTime) {
  ASSERT_TRUE(Connect());
  const auto refused = [&](std::vector<std::pair<std::string, std::string>> metadata,
                           std::optional<std::string> content_type, std::string_view words) {
    types::Message message = message_of("x");
    for (const auto& [key, value] : metadata) message.AddMetadata(key, value);
    if (content_type) message.SetContentType(*content_type);
    auto sent = Send("headers.bad", std::move(message));
    ASSERT_FALSE(sent) << words;
    EXPECT_EQ(sent.error().GetKind(), types::Error::Kind::kOther);
    EXPECT_THAT(sent.error().Message(), HasSubstr(std::string(words)));
  };
  refused({{"k", std::string("nul\0inside", 10)}}, std::nullopt, "NUL");
  refused({{"k", " leading space"}}, std::nullopt, "white space");
  refused({{"k", "trailing tab\t"}}, std::nullopt, "white space");
  refused({}, "\vtext/plain", "white space");
  refused({{"caf\xc3\xa9", "v"}}, std::nullopt, "printable ASCII");
  refused({{"a", "1"}, {"aaa", "2"}}, std::nullopt, "begins with it");
  refused({{"x-y", "1"}, {"x", "2"}}, std::nullopt, "begins with it");
  refused({{"~~~~~", "~"}, {"~~~~~~~~~", "~"}}, std::nullopt, "begins with it");  // even with equal values
}

TEST_F(NatsBackendTest, AnEmptyContentTypeAndNonAsciiValuesArriveAsSent) {
  ASSERT_TRUE(Connect());
  auto received = std::make_shared<Collector>();
  Subscribe(received, {.topic = "headers.good"});
  types::Message message = message_of("x");
  message.SetContentType("");
  message.AddMetadata("order", "1");
  message.AddMetadata("order-id", "caf\xc3\xa9 cr\xc3\xa8me");  // "order" begins it, but no collision
  ASSERT_TRUE(Send("headers.good", std::move(message)));
  ASSERT_TRUE(received->WaitFor(1));
  const auto seen = received->All().front();
  EXPECT_EQ(seen.content_type, std::optional<std::string>(""));
  EXPECT_THAT(seen.metadata, ::testing::UnorderedElementsAre(
                                 std::tuple<std::string, std::string>{"order", "1"},
                                 std::tuple<std::string, std::string>{"order-id", "caf\xc3\xa9 cr\xc3\xa8me"}));
}

TEST_F(NatsBackendTest, APayloadOverTheServersMaximumIsRefused) {
  ASSERT_TRUE(Connect());
  const std::vector<std::uint8_t> huge(2 * 1024 * 1024, 'x');  // the server's max_payload is 1 MiB
  auto sent = Send("big.payload", types::Message(huge));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().GetKind(), types::Error::Kind::kOther);
}

TEST_F(NatsBackendTest, CoreNatsCannotRedeliverSoAReleaseIsCountedAsDropped) {
  auto backend = Connect();
  ASSERT_TRUE(backend);
  auto refusing =
      std::make_shared<Collector>([](types::Message&, std::size_t call) -> std::expected<void, types::Error> {
        if (call == 1) return std::unexpected(types::Error::Timeout());  // release: core NATS cannot
        return {};
      });
  Subscribe(refusing, {.topic = "core.only"});
  ASSERT_TRUE(Send("core.only", message_of("released")));
  ASSERT_TRUE(Send("core.only", message_of("accepted")));
  // One subscription's messages are handled one after another: once the second is handled, the
  // first was settled.
  ASSERT_TRUE(refusing->WaitFor(2));
  EXPECT_THAT(refusing->Texts(), ::testing::ElementsAre("released", "accepted"));  // never redelivered
  const auto stats = backend->Stats();
  EXPECT_EQ(stats.released, 1U);
  EXPECT_EQ(stats.dropped, 1U);
}

TEST_F(NatsBackendTest, AThrowingHandlerIsReportedToTheErrorHook) {
  // Shared with the hook: it runs on the client's thread and may still be returning when this test
  // body ends (the subscription closes later, with the fixture).
  struct Reports {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> reported;  // "<subject>: <what>"
  };
  auto reports = std::make_shared<Reports>();
  auto backend = Connect({.on_handler_error = [reports](const HandlerError& error) {
    std::lock_guard lock(reports->mutex);
    reports->reported.push_back(std::string(error.queue) + ": " + error.what);
    reports->changed.notify_all();
  }});
  ASSERT_TRUE(backend);
  auto throwing = std::make_shared<Collector>(
      [](types::Message&, std::size_t) -> std::expected<void, types::Error> { throw std::runtime_error("no disk"); });
  Subscribe(throwing, {.topic = "core.throws"});
  ASSERT_TRUE(Send("core.throws", message_of("x")));
  std::unique_lock lock(reports->mutex);  // the hook runs after the handler threw: wait for it, 10 s at most
  ASSERT_TRUE(reports->changed.wait_for(lock, 10s, [&] { return !reports->reported.empty(); }));
  EXPECT_THAT(reports->reported, ::testing::ElementsAre("core.throws: no disk"));
}

TEST_F(NatsBackendTest, ADurableTopicGivesEachSubscriptionAndEachGroupEveryMessage) {
  auto backend = Connect({.durable = {{.name = "events.audit", .queue = false, .max_deliveries = 3}}});
  ASSERT_TRUE(backend);
  auto group = std::make_shared<Tally>();
  auto alone = std::make_shared<Collector>();
  auto member_1 = std::make_shared<Collector>(Collector::Respond{}, group);
  auto member_2 = std::make_shared<Collector>(Collector::Respond{}, group);
  Subscribe(alone, {.topic = "events.audit"});
  Subscribe(member_1, {.topic = "events.audit", .group = "auditors"});
  Subscribe(member_2, {.topic = "events.audit", .group = "auditors"});
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Send("events.audit", message_of("e" + std::to_string(i))));
  ASSERT_TRUE(alone->WaitFor(10));
  ASSERT_TRUE(group->WaitFor(10));
  EXPECT_EQ(member_1->Count() + member_2->Count(), 10U);
}

/// What the server holds for a durable queue: messages stored in its stream, and its shared
/// consumer's deliveries awaiting an ack. Read through JetStream's API on a connection of its own.
struct ServerView {
  std::uint64_t stored = 0;
  std::int64_t ack_pending = 0;
  std::uint64_t redelivered = 0;
  friend std::ostream& operator<<(std::ostream& out, const ServerView& view) {
    return out << "stored " << view.stored << ", ack pending " << view.ack_pending << ", redelivered "
               << view.redelivered;
  }
};

class JetStreamProbe {
 public:
  explicit JetStreamProbe(const std::string& url) {
    if (natsConnection_ConnectTo(&connection_, url.c_str()) == NATS_OK) {
      (void)natsConnection_JetStream(&js_, connection_, nullptr);
    }
  }
  ~JetStreamProbe() {
    jsCtx_Destroy(js_);
    natsConnection_Destroy(connection_);
  }
  JetStreamProbe(const JetStreamProbe&) = delete;
  JetStreamProbe& operator=(const JetStreamProbe&) = delete;

  std::optional<ServerView> View(const std::string& stream, const std::string& consumer) const {
    jsStreamInfo* stream_info = nullptr;
    jsConsumerInfo* consumer_info = nullptr;
    jsErrCode code{};
    if (js_ == nullptr || js_GetStreamInfo(&stream_info, js_, stream.c_str(), nullptr, &code) != NATS_OK) {
      return std::nullopt;
    }
    ServerView view{.stored = stream_info->State.Msgs};
    jsStreamInfo_Destroy(stream_info);
    if (js_GetConsumerInfo(&consumer_info, js_, stream.c_str(), consumer.c_str(), nullptr, &code) != NATS_OK) {
      return std::nullopt;
    }
    view.ack_pending = consumer_info->NumAckPending;
    view.redelivered = static_cast<std::uint64_t>(consumer_info->NumRedelivered);
    jsConsumerInfo_Destroy(consumer_info);
    return view;
  }

  /// Asks the server until the queue's stream holds nothing and its consumer awaits no ack, or
  /// `within` has passed; the last view seen. Each question waits for the server's answer (two
  /// JetStream API requests), so the loop is paced by the server, not by a timer.
  ServerView WaitUntilSettled(const std::string& stream, std::chrono::milliseconds within) const {
    const auto deadline = std::chrono::steady_clock::now() + within;
    ServerView last{};
    do {
      if (auto view = View(stream, "wasmq")) last = *view;
    } while ((last.stored != 0 || last.ack_pending != 0) && std::chrono::steady_clock::now() < deadline);
    return last;
  }

 private:
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
};

// The server's view, well inside the lock duration (AckWait 5 s): a settlement that never reached
// the server would show as a stored, ack-pending message until then, and come back after.
TEST_F(NatsBackendTest, AnAcceptedDeliveryIsAcknowledgedOnTheServer) {
  ASSERT_TRUE(Connect({.durable = {{.name = "acked.jobs", .lock_duration = 5s}}}));
  auto worker = std::make_shared<Collector>();
  Subscribe(worker, {.topic = "acked.jobs", .queue = true});
  ASSERT_TRUE(Send("acked.jobs", message_of("job")));
  ASSERT_TRUE(worker->WaitFor(1));
  const ServerView view = JetStreamProbe(server->url()).WaitUntilSettled("WASMQ_acked_jobs", 3s);
  EXPECT_EQ(view.stored, 0U) << view;
  EXPECT_EQ(view.ack_pending, 0) << view;
  EXPECT_EQ(view.redelivered, 0U) << view;
  EXPECT_EQ(worker->Count(), 1U);
}

TEST_F(NatsBackendTest, ARejectedDeliveryIsDeadLetteredOnceAndTerminatedOnTheServer) {
  ASSERT_TRUE(Connect(
      {.durable = {{.name = "term.jobs", .lock_duration = 5s, .dead_letter = "term.dead"}, {.name = "term.dead"}}}));
  auto rejecting = std::make_shared<Collector>([](types::Message&, std::size_t) -> std::expected<void, types::Error> {
    return std::unexpected(types::Error::PermissionDenied("poison"));  // the outcome policy rejects
  });
  auto dead = std::make_shared<Collector>();
  Subscribe(rejecting, {.topic = "term.jobs", .queue = true});
  Subscribe(dead, {.topic = "term.dead", .queue = true});
  ASSERT_TRUE(Send("term.jobs", message_of("poison pill")));
  ASSERT_TRUE(dead->WaitFor(1));
  const ServerView view = JetStreamProbe(server->url()).WaitUntilSettled("WASMQ_term_jobs", 3s);
  EXPECT_EQ(view.stored, 0U) << view;
  EXPECT_EQ(view.ack_pending, 0) << view;
  EXPECT_EQ(rejecting->Count(), 1U) << "terminated: never delivered again";
  EXPECT_EQ(dead->Count(), 1U) << "dead-lettered once";
}

TEST(NatsBackendWithoutJetStream, ADurableChannelSaysToStartTheServerWithJetStream) {
  auto started = wasmq::testkit::NatsServer::start({.jetstream = false});
  ASSERT_TRUE(started) << started.error();
  auto backend = wasmq::backends::MakeNatsBackend({.url = (*started)->url(), .durable = {{.name = "jobs"}}});
  ASSERT_FALSE(backend);
  EXPECT_EQ(backend.error().GetKind(), types::Error::Kind::kOther);
  EXPECT_THAT(backend.error().Message(), HasSubstr("start nats-server with -js")) << backend.error();
}

TEST_F(NatsBackendTest, ABadDurableChannelDeclarationIsRefused) {
  auto backend = wasmq::backends::MakeNatsBackend({.url = server->url(), .durable = {{.name = "jobs.*"}}});
  ASSERT_FALSE(backend);
  EXPECT_EQ(backend.error().GetKind(), types::Error::Kind::kOther);
  auto own =
      wasmq::backends::MakeNatsBackend({.url = server->url(), .durable = {{.name = "jobs", .dead_letter = "jobs"}}});
  ASSERT_FALSE(own);
}

}  // namespace
}  // namespace wasmq::backend_tests
