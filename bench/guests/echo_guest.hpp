#pragma once
// The guest of the round-trip benchmark, written once against the facade: compiled natively
// against wasmq, and to wasm32 against the guest SDK (echo_guest_wasm.cpp). For each message it
// reads the topic and the data and sends the data to "echo.<topic>".

#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/producer.hpp>
#include <wasi/messaging/types.hpp>

#include <optional>
#include <string>
#include <utility>

class EchoGuest final : public wasi::messaging::incoming_handler::Guest {
 public:
  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&& message) override {
    namespace wm = wasi::messaging;
    if (!client_) {
      auto connected = wm::types::Client::Connect("inproc");
      if (!connected) return std::unexpected(connected.error());
      client_.emplace(std::move(*connected));
    }
    const std::string topic = "echo." + message.Topic().value_or("");
    return wm::producer::Send(*client_, topic, wm::types::Message(message.Data()));
  }

 private:
  std::optional<wasi::messaging::types::Client> client_;
};
