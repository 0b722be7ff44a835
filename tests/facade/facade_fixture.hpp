#pragma once
// A host with one embedded broker ("inproc", "inproc://main") and one guest made current.

#include <wasi/messaging/host.hpp>
#include <wasi/messaging/producer.hpp>
#include <wasi/messaging/types.hpp>
#include <wasmq/wasmq.hpp>

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace wasi::messaging::testing_support {

inline std::vector<std::uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

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
