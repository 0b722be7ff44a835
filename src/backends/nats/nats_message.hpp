#pragma once
/// Messages between the broker's form and the NATS client's: metadata travels as NATS headers,
/// the content type and a JetStream message's reply address as headers of wasmq's own.

#include "nats_handles.hpp"

#include <wasmq/message.hpp>

#include <expected>
#include <string_view>
#include "host_names.hpp"

namespace wasmq::backends::nats_detail {

/// Header carrying the content type.
inline constexpr std::string_view content_type_header = "wasmq-content-type";
/// Header carrying a request's reply address through JetStream, which keeps the NATS reply
/// subject of a stored message for its own acknowledgement.
inline constexpr std::string_view reply_to_header = "wasmq-reply-to";

/// Header listing the metadata keys whose values are empty.
inline constexpr std::string_view empty_keys_header = "wasmq-empty-keys";

/// A NATS message for `message`, replying to `reply` (empty: none). Errors: `other` for metadata
/// that a NATS header cannot carry (an empty key, a key with a control character, ':' or a space,
/// a value or content type with a line break, a NUL, or white space at either end), or a key of wasmq's own headers.
/// What is sent arrives exactly (fuzz/nats_headers_fuzz.cpp).
std::expected<NatsPtr<natsMsg>, types::Error> ToNatsMessage(const wasmq::Message& message, std::string_view reply);

/// The broker form of a delivered NATS message. From JetStream (`from_stream`) the reply
/// address comes from reply_to_header, otherwise from the message's reply subject.
wasmq::Message FromNatsMessage(natsMsg* msg, bool from_stream);

}  // namespace wasmq::backends::nats_detail
