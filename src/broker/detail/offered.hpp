#pragma once

#include <cstdint>

namespace wasmq::detail {

/// What QueueCore::offer() did with a message: took it, or why it refused it. An enum, not an
/// error, so that the publish path carries no error object; QueueCore::refusal_error() builds one
/// for the publisher that is refused.
enum class Offered : std::uint8_t {
  taken,
  over_max_bytes,   // larger than the queue's max_bytes: it never fits
  full,             // reject_publish, or drop_oldest with nothing it may drop
  block_timed_out,  // block: no room before block_timeout
};

}  // namespace wasmq::detail
