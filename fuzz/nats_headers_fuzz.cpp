// Metadata and content type through real NATS headers: a message the NATS backend agrees to send
// arrives exactly as sent (same keys, values and content type), and one it cannot carry is
// refused at send time with a reason. Each input is one message, published to a nats-server on
// loopback (Debian's nats-server, started once on a free port) and read back by the same client.

#include "fuzz_input.hpp"
#include "nats_message.hpp"

#include <wasmq/testing/nats_server.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

using wasmq::backends::nats_detail::FromNatsMessage;
using wasmq::backends::nats_detail::NatsPtr;
using wasmq::backends::nats_detail::ToNatsMessage;

void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "nats_headers_fuzz: %s\n", what);
    std::abort();
  }
}

struct Loopback {
  std::unique_ptr<wasmq::testkit::NatsServer> server;
  natsConnection* connection = nullptr;
  natsSubscription* subscription = nullptr;

  Loopback() {
    auto started = wasmq::testkit::NatsServer::start();
    Require(started.has_value(), "nats-server did not start");
    server = std::move(*started);
    Require(natsConnection_ConnectTo(&connection, server->url().c_str()) == NATS_OK, "no connection");
    Require(natsConnection_SubscribeSync(&subscription, connection, "fuzz.headers") == NATS_OK, "no subscription");
    Require(natsConnection_Flush(connection) == NATS_OK, "no flush");
  }
};

wasmq::Metadata Sorted(wasmq::Metadata metadata) {
  std::ranges::sort(metadata);
  return metadata;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Loopback loopback;
  wasmq::fuzz::FuzzInput input(data, size);
  wasmq::Message message;
  message.topic = "fuzz.headers";
  message.payload = wasmq::Payload::copy_of(input.text(16));
  if (input.byte() % 2 == 0) message.content_type = input.text(24);
  for (int entries = input.byte() % 8; entries > 0; --entries) {
    std::string key = input.text(12);
    std::string value = input.text(24);
    message.set_metadata(key, value);  // keys stay unique, as wasmq::Metadata promises
  }

  auto encoded = ToNatsMessage(message, {});
  if (!encoded) {
    Require(!encoded.error().Message().empty(), "a refusal says why");
    return 0;
  }
  Require(natsConnection_PublishMsg(loopback.connection, encoded->get()) == NATS_OK, "publish failed");
  natsMsg* raw = nullptr;
  if (const natsStatus status = natsSubscription_NextMsg(&raw, loopback.subscription, 10'000); status != NATS_OK) {
    std::fprintf(stderr, "NextMsg: %s; connection status %d; nats-server's log:\n%s\n", natsStatus_GetText(status),
                 static_cast<int>(natsConnection_Status(loopback.connection)), loopback.server->log().c_str());
    Require(false, "the message did not come back");
  }
  NatsPtr<natsMsg> received(raw);
  const wasmq::Message decoded = FromNatsMessage(received.get(), false);
  Require(decoded.payload.as_string() == message.payload.as_string(), "payload changed");
  Require(decoded.content_type == message.content_type, "content type changed");
  if (Sorted(decoded.metadata) != Sorted(message.metadata)) {
    const auto show = [](const wasmq::Metadata& metadata) {
      for (const auto& [key, value] : metadata) {
        std::fprintf(stderr, "  [%zu]'%s' = [%zu]'%s'\n", key.size(), key.c_str(), value.size(), value.c_str());
      }
    };
    std::fputs("sent:\n", stderr);
    show(message.metadata);
    std::fputs("received:\n", stderr);
    show(decoded.metadata);
    Require(false, "metadata changed on the way");
  }
  return 0;
}
