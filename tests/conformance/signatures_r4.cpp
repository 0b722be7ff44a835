// Pins the C++ shape of every item of revision R4 (wit/r4/, seed 002), as signatures.cpp does the current
// revision's; checked by wit_conformance with the namespace r4.

#include <wasi/messaging/r4/incoming_handler.hpp>
#include <wasi/messaging/r4/producer.hpp>
#include <wasi/messaging/r4/types.hpp>

#include "pins.hpp"

namespace wasi::messaging::conformance {

// clang-format off
PIN_CASE(r4::types::Error, Connection, std::string());
PIN_CASE(r4::types::Error, Other, std::string());
PIN_CASE(r4::types::Error, Timeout);
PIN_CONSTRUCTOR(r4::types::Message, std::string_view, std::span<const std::uint8_t>);
PIN_FUNCTION(r4::producer::Send, std::expected<void, r4::types::Error>(r4::types::Client&&, r4::types::Message&&));
PIN_FUNCTION(r4::types::Client::Connect, std::expected<r4::types::Client, r4::types::Error>(std::string_view));
PIN_METHOD(r4::incoming_handler::Guest, Handle, std::expected<void, r4::types::Error>(r4::types::Message&&));
PIN_METHOD(r4::incoming_handler::Guest, Subscribe, std::expected<std::vector<std::string>, r4::types::Error>());
PIN_METHOD(r4::types::Message, AddMetadata, void(std::string_view, std::string_view));
PIN_METHOD(r4::types::Message, ContentType, std::optional<std::string>());
PIN_METHOD(r4::types::Message, Data, std::vector<std::uint8_t>());
PIN_METHOD(r4::types::Message, Metadata, std::optional<std::vector<std::tuple<std::string, std::string>>>());
PIN_METHOD(r4::types::Message, SetContentType, void(std::string_view));
PIN_METHOD(r4::types::Message, SetData, void(std::span<const std::uint8_t>));
PIN_METHOD(r4::types::Message, SetTopic, void(std::string_view));
PIN_METHOD(r4::types::Message, Topic, std::string());
PIN_RESOURCE(r4::types::Client);
PIN_RESOURCE(r4::types::Message);
// clang-format on

}  // namespace wasi::messaging::conformance
