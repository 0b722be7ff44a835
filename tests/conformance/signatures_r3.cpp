// Pins the C++ shape of every item of revision R3 (wit/r3/, seed 000), as signatures.cpp does the current
// revision's; checked by wit_conformance with the namespace r3.

#include <wasi/messaging/r3/incoming_handler.hpp>
#include <wasi/messaging/r3/producer.hpp>
#include <wasi/messaging/r3/types.hpp>

#include "pins.hpp"

namespace wasi::messaging::conformance {

// clang-format off
PIN_CASE(r3::types::Error, Connection, std::string());
PIN_CASE(r3::types::Error, Other, std::string());
PIN_CASE(r3::types::Error, Timeout);
PIN_CONSTRUCTOR(r3::types::Message, std::string_view, std::span<const std::uint8_t>);
PIN_FUNCTION(r3::producer::Send, std::expected<void, r3::types::Error>(r3::types::Client&&, r3::types::Message&&));
PIN_FUNCTION(r3::types::Client::Connect, std::expected<r3::types::Client, r3::types::Error>(std::string_view));
PIN_METHOD(r3::incoming_handler::Guest, Handle, std::expected<void, r3::types::Error>(r3::types::Message&&));
PIN_METHOD(r3::types::Message, AddMetadata, void(std::string_view, std::string_view));
PIN_METHOD(r3::types::Message, ContentType, std::optional<std::string>());
PIN_METHOD(r3::types::Message, Data, std::vector<std::uint8_t>());
PIN_METHOD(r3::types::Message, Metadata, std::optional<std::vector<std::tuple<std::string, std::string>>>());
PIN_METHOD(r3::types::Message, SetContentType, void(std::string_view));
PIN_METHOD(r3::types::Message, SetData, void(std::span<const std::uint8_t>));
PIN_METHOD(r3::types::Message, SetTopic, void(std::string_view));
PIN_METHOD(r3::types::Message, Topic, std::string());
PIN_RESOURCE(r3::types::Client);
PIN_RESOURCE(r3::types::Message);
// clang-format on

}  // namespace wasi::messaging::conformance
