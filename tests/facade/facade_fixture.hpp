#pragma once
// A host with one embedded broker ("inproc", "inproc://main") and one guest made current.

#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/producer.hpp>
#include <wasi/messaging/request_reply.hpp>
#include <wasi/messaging/types.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/wasmq.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wasi::messaging::testing_support {

namespace host = ::wasmq::host;  // the host layer, by its short name

inline std::vector<std::uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }
inline std::string text(const types::Message& message) {
  auto data = message.DataView();
  return {data.begin(), data.end()};
}

/// A guest whose Handle is a function, for tests.
class FunctionGuest final : public incoming_handler::Guest {
 public:
  using Function = std::function<std::expected<void, types::Error>(types::Message&&)>;
  explicit FunctionGuest(Function function) : function_(std::move(function)) {}
  std::expected<void, types::Error> Handle(types::Message&& message) override { return function_(std::move(message)); }

 private:
  Function function_;
};

/// A guest that answers every request `replies` times with "re:<data>#<n>".
inline std::shared_ptr<FunctionGuest> responder(int replies) {
  return std::make_shared<FunctionGuest>([replies](types::Message&& request) -> std::expected<void, types::Error> {
    for (int n = 1; n <= replies; ++n) {
      auto reply =
          request_reply::Reply(request, types::Message(bytes("re:" + text(request) + "#" + std::to_string(n))));
      if (!reply) return reply;
    }
    return {};
  });
}

class FacadeTest : public ::testing::Test {
 protected:
  FacadeTest() : broker(runtime) {
    auto built = std::make_shared<host::ConnectionRegistry>();
    built->AddBroker("main", broker);
    registry = built;
    guest = std::make_shared<host::GuestContext>(host::GuestContext{"test-guest", {}, registry});
  }

  /// Makes a guest with these permissions current for the scope of the returned object.
  host::ScopedGuest as_guest(host::Permissions permissions) {
    guest = std::make_shared<host::GuestContext>(host::GuestContext{"limited-guest", std::move(permissions), registry});
    return host::ScopedGuest(guest);
  }

  host::GuestSubscription subscribe(std::shared_ptr<incoming_handler::Guest> handler, host::Subscription subscription,
                                    std::shared_ptr<const host::GuestContext> context = nullptr) {
    auto subscribed = host::SubscribeGuest(context ? context : guest, "inproc", std::move(handler), subscription);
    EXPECT_TRUE(subscribed.has_value()) << (subscribed ? "" : subscribed.error().Message());
    return subscribed ? std::move(*subscribed) : host::GuestSubscription();
  }

  types::Client connect(std::string_view name = "inproc") {
    auto client = types::Client::Connect(name);
    EXPECT_TRUE(client.has_value()) << (client ? "" : client.error().Message());
    return std::move(*client);
  }

  wasmq::ManualRuntime runtime;
  wasmq::Broker broker;
  std::shared_ptr<const host::ConnectionRegistry> registry;
  std::shared_ptr<const host::GuestContext> guest;
};

}  // namespace wasi::messaging::testing_support
