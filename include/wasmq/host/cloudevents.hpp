#pragma once
/// CloudEvents in the binary content mode, as revision R1's host carries its events: the data is
/// the message's payload, `datacontenttype` its content type, and every other attribute and each
/// extension a metadata entry `ce-<name>` whose value is percent-encoded as the CloudEvents NATS
/// and HTTP bindings encode header values. On NATS the entries are the message's headers.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r1/types.hpp>
#include <wasi/messaging/types.hpp>
#include <wasmq/message.hpp>

#include <expected>
#include <optional>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq::host::cloudevents {

/// `event` as a message for `topic`. Errors (a sentence): a required attribute (specversion, type,
/// source, id) empty; an extension name that is not 1–20 lowercase letters and digits, repeats,
/// or is an attribute's name; a string that is not UTF-8.
[[nodiscard]] std::expected<wasmq::Message, std::string> ToMessage(const ::wasi::messaging::r1::types::Event& event,
                                                                   std::string_view topic);

/// The event a delivered message carries. Empty data is no data, and no extensions is none; the
/// extensions come sorted by name (CloudEvents attributes are named, not ordered). Metadata
/// without the `ce-` prefix is not part of the event. Errors: a required attribute missing, or a
/// value that does not decode to UTF-8.
[[nodiscard]] std::expected<::wasi::messaging::r1::types::Event, std::string> FromMessage(
    const ::wasi::messaging::types::Message& message);

/// Percent-encodes space, '"', '%' and every byte outside printable ASCII.
[[nodiscard]] std::string PercentEncode(std::string_view value);
/// Reverses PercentEncode; nothing for a malformed escape.
[[nodiscard]] std::optional<std::string> PercentDecode(std::string_view value);

}  // namespace wasmq::host::cloudevents

WASMQ_PUBLIC_END
