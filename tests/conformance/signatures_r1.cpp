// Pins the C++ shape of every item of revision R1 (wit/r1/, seed 004), as signatures.cpp does the current
// revision's; checked by wit_conformance with the namespace r1.

#include <wasi/messaging/r1/service.hpp>
#include <wasi/messaging/r1/types.hpp>

#include "pins.hpp"

namespace wasi::messaging::conformance {

// clang-format off
PIN_ALIAS(r1::types::SubscriptionToken, std::string);
PIN_CASE(r1::types::Channel, Queue, std::string());
PIN_CASE(r1::types::Channel, Topic, std::string());
PIN_CASE(r1::types::MessagingError, ConnectionLost, std::string());
PIN_CASE(r1::types::MessagingError, DeliveryFailed, std::string());
PIN_CASE(r1::types::MessagingError, InsufficientPermissions, std::string());
PIN_CASE(r1::types::MessagingError, PayloadTooLarge, std::string());
PIN_CASE(r1::types::MessagingError, QueueOrTopicNotFound, std::string());
PIN_CASE(r1::types::MessagingError, ServiceUnavailable, std::string());
PIN_CASE(r1::types::MessagingError, UnexpectedError, std::string());
PIN_CASE(r1::types::MessagingError, UnsupportedMessageFormat, std::string());
PIN_FIELD(r1::types::Event, data, std::optional<std::vector<std::uint8_t>>);
PIN_FIELD(r1::types::Event, datacontenttype, std::optional<std::string>);
PIN_FIELD(r1::types::Event, dataschema, std::optional<std::string>);
PIN_FIELD(r1::types::Event, extensions, std::optional<std::vector<std::tuple<std::string, std::string>>>);
PIN_FIELD(r1::types::Event, id, std::string);
PIN_FIELD(r1::types::Event, source, std::string);
PIN_FIELD(r1::types::Event, specversion, std::string);
PIN_FIELD(r1::types::Event, subject, std::optional<std::string>);
PIN_FIELD(r1::types::Event, time, std::optional<std::string>);
PIN_FIELD(r1::types::Event, ty, std::string);
PIN_FUNCTION(r1::pub::Publish, std::expected<void, r1::types::MessagingError>(const r1::types::Channel&, const r1::types::Event&));
PIN_FUNCTION(r1::sub::Subscribe, std::expected<r1::types::SubscriptionToken, r1::types::MessagingError>(const r1::types::Channel&));
PIN_FUNCTION(r1::sub::Unsubscribe, std::expected<void, r1::types::MessagingError>(std::string_view));
PIN_METHOD(r1::handler::Guest, OnReceive, std::expected<void, r1::types::MessagingError>(const r1::types::Event&));
PIN_RECORD(r1::types::Event);
// clang-format on

}  // namespace wasi::messaging::conformance
