#pragma once
/// JetStream's max-deliveries advisory: which stored message ran out of deliveries. Parsed from
/// what the server (or anything else that can publish on the advisory subject) sends, so every
/// malformed body is "not an advisory", never a crash.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include "host_names.hpp"

namespace wasmq::backends::nats_detail {

struct MaxDeliveriesAdvisory {
  std::string stream;
  std::string consumer;
  std::uint64_t stream_seq = 0;
  std::uint64_t deliveries = 0;
};

/// Largest advisory body parsed; the server's are a few hundred bytes.
inline constexpr std::size_t max_advisory_bytes = 64 * 1024;

/// Parses the advisory's JSON body (type io.nats.jetstream.advisory.v1.max_deliver, with string
/// `stream` and `consumer` and an unsigned `stream_seq`; `deliveries` optional). Nothing when it
/// is not valid JSON, not that type, lacks a field, has a field of the wrong type, or is larger
/// than max_advisory_bytes.
std::optional<MaxDeliveriesAdvisory> ParseMaxDeliveriesAdvisory(std::string_view json);

}  // namespace wasmq::backends::nats_detail
