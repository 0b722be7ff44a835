// A guest written against the C++ guest SDK, for the wasm runtime tests: it echoes each delivery
// (data, content type and metadata) to "echo.<topic>", and adds the metadata entry
// "heap-lowerings": how many of the results the host lowered while it read the delivery went to
// the heap because they did not fit the SDK's scratch (types.hpp, abi::Scratch).
#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/producer.hpp>
#include <wasi/messaging/types.hpp>

#include <optional>
#include <string>
#include <utility>

namespace {

namespace wm = wasi::messaging;

class SdkEcho final : public wm::incoming_handler::Guest {
 public:
  std::expected<void, wm::types::Error> Handle(wm::types::Message&& message) override {
    if (!client_) {
      auto connected = wm::types::Client::Connect("inproc");
      if (!connected) return std::unexpected(connected.error());
      client_.emplace(std::move(*connected));
    }
    const std::uint32_t before = wm::types::abi::HeapLowerings();
    const std::string topic = "echo." + message.Topic().value_or("");
    const auto data = message.Data();
    const auto content_type = message.ContentType();
    const auto metadata = message.Metadata();
    const std::uint32_t heap_lowerings = wm::types::abi::HeapLowerings() - before;

    wm::types::Message echo(data);
    if (content_type) echo.SetContentType(*content_type);
    if (metadata) echo.SetMetadata(*metadata);
    echo.AddMetadata("heap-lowerings", std::to_string(heap_lowerings));
    return wm::producer::Send(*client_, topic, std::move(echo));
  }

 private:
  std::optional<wm::types::Client> client_;
};

}  // namespace

WASI_MESSAGING_EXPORT_GUEST(SdkEcho)
