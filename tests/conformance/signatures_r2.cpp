// Pins the C++ shape of every item of revision R2 (wit/r2/, seed 001), as signatures.cpp does the current
// revision's; checked by wit_conformance with the namespace r2.

#include <wasi/messaging/r2/consumer.hpp>
#include <wasi/messaging/r2/guest.hpp>
#include <wasi/messaging/r2/producer.hpp>
#include <wasi/messaging/r2/types.hpp>

#include "pins.hpp"

namespace wasi::messaging::conformance {

// clang-format off
PIN_ALIAS(r2::types::Channel, std::string);
PIN_CASE(r2::types::Error, Connection, std::string());
PIN_CASE(r2::types::Error, Other, std::string());
PIN_CASE(r2::types::Error, Timeout);
PIN_CASE(r2::types::Error, Unauthorized);
PIN_FIELD(r2::types::GuestConfiguration, channels, std::vector<r2::types::Channel>);
PIN_FIELD(r2::types::GuestConfiguration, extensions, std::optional<std::vector<std::tuple<std::string, std::string>>>);
PIN_FIELD(r2::types::Message, content_type, std::optional<std::string>);
PIN_FIELD(r2::types::Message, data, std::vector<std::uint8_t>);
PIN_FIELD(r2::types::Message, metadata, std::optional<std::vector<std::tuple<std::string, std::string>>>);
PIN_FIELD(r2::types::Message, reply_to, std::optional<std::string>);
PIN_FIELD(r2::types::Message, topic, r2::types::Channel);
PIN_FUNCTION(r2::consumer::AbandonMessage, std::expected<void, r2::types::Error>(const r2::types::Message&));
PIN_FUNCTION(r2::consumer::CompleteMessage, std::expected<void, r2::types::Error>(const r2::types::Message&));
PIN_FUNCTION(r2::consumer::UpdateGuestConfiguration, std::expected<void, r2::types::Error>(const r2::types::GuestConfiguration&));
PIN_FUNCTION(r2::producer::Send, std::expected<void, r2::types::Error>(r2::types::Client&&, std::string_view, std::span<const r2::types::Message>));
PIN_FUNCTION(r2::types::Client::Connect, std::expected<r2::types::Client, r2::types::Error>(std::string_view));
PIN_METHOD(r2::guest::Guest, Handler, std::expected<void, r2::types::Error>(std::span<const r2::types::Message>));
PIN_RECORD(r2::types::GuestConfiguration);
PIN_RECORD(r2::types::Message);
PIN_RESOURCE(r2::types::Client);
// clang-format on

}  // namespace wasi::messaging::conformance
