// A C++ guest built with wasm32-wasi-clang19.cmake: counts what it is given, and says so.
#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/producer.hpp>

#include <string>

class Counter final : public wasi::messaging::incoming_handler::Guest {
 public:
  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&&) override {
    auto client = wasi::messaging::types::Client::Connect("inproc");
    if (!client) return std::unexpected(client.error());
    const std::string text = std::to_string(++count_);
    return wasi::messaging::producer::Send(
        *client, "counted",
        wasi::messaging::types::Message(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())));
  }

 private:
  long count_ = 0;
};

WASI_MESSAGING_EXPORT_GUEST(Counter)
