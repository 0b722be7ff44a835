// A guest built by a consumer of the wasmq package with wasmq_add_wasm_guest: sends each
// message's data to "echo.<topic>".
#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/producer.hpp>

#include <optional>
#include <string>

class Echo final : public wasi::messaging::incoming_handler::Guest {
 public:
  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&& message) override {
    namespace wm = wasi::messaging;
    auto client = wm::types::Client::Connect("inproc");
    if (!client) return std::unexpected(client.error());
    return wm::producer::Send(*client, "echo." + message.Topic().value_or(""), wm::types::Message(message.Data()));
  }
};

WASI_MESSAGING_EXPORT_GUEST(Echo)
