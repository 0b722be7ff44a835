// Pins the C++ shape of every item of wit/ (compile-only). The compiler checks each pin against the
// headers; wit_conformance checks that every WIT item has exactly the pin its WIT signature maps
// to (docs/facade.md, "Mapping rules"). One pin per line, in the form the checker derives.

#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/producer.hpp>
#include <wasi/messaging/request_reply.hpp>
#include <wasi/messaging/types.hpp>

#include "pins.hpp"

namespace wasi::messaging::conformance {

// clang-format off
PIN_ALIAS(types::Metadata, std::vector<std::tuple<std::string, std::string>>);
PIN_ALIAS(types::Topic, std::string);
PIN_RESOURCE(types::Client);
PIN_FUNCTION(types::Client::Connect, std::expected<types::Client, types::Error>(std::string_view));
PIN_METHOD(types::Client, Disconnect, std::expected<void, types::Error>());
PIN_CASE(types::Error, Timeout);
PIN_CASE(types::Error, Connection, std::string());
PIN_CASE(types::Error, PermissionDenied, std::string());
PIN_CASE(types::Error, Other, std::string());
PIN_RESOURCE(types::Message);
PIN_CONSTRUCTOR(types::Message, std::span<const std::uint8_t>);
PIN_METHOD(types::Message, Topic, std::optional<types::Topic>());
PIN_METHOD(types::Message, ContentType, std::optional<std::string>());
PIN_METHOD(types::Message, SetContentType, void(std::string_view));
PIN_METHOD(types::Message, Data, std::vector<std::uint8_t>());
PIN_METHOD(types::Message, SetData, void(std::span<const std::uint8_t>));
PIN_METHOD(types::Message, Metadata, std::optional<types::Metadata>());
PIN_METHOD(types::Message, AddMetadata, void(std::string_view, std::string_view));
PIN_METHOD(types::Message, SetMetadata, void(std::span<const std::tuple<std::string, std::string>>));
PIN_METHOD(types::Message, RemoveMetadata, void(std::string_view));
PIN_FUNCTION(producer::Send, std::expected<void, types::Error>(const types::Client&, std::string_view, types::Message&&));
PIN_RESOURCE(request_reply::RequestOptions);
PIN_CONSTRUCTOR(request_reply::RequestOptions);
PIN_METHOD(request_reply::RequestOptions, SetTimeoutMs, void(std::uint32_t));
PIN_METHOD(request_reply::RequestOptions, SetExpectedReplies, void(std::uint32_t));
PIN_FUNCTION(request_reply::Request, std::expected<std::vector<types::Message>, types::Error>(const types::Client&, std::string_view, const types::Message&, std::optional<request_reply::RequestOptions>&&));
PIN_FUNCTION(request_reply::Reply, std::expected<void, types::Error>(const types::Message&, types::Message&&));
PIN_METHOD(incoming_handler::Guest, Handle, std::expected<void, types::Error>(types::Message&&));
// clang-format on

}  // namespace wasi::messaging::conformance
