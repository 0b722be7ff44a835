#pragma once
// The errors of a queue's and a consumer's hot paths, described lazily (see wasmq::Error): each
// shares the queue's name and keeps its numbers, and writes its sentence only when read.

#include <wasmq/error.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace wasmq::detail {

using SharedName = std::shared_ptr<const std::string>;

/// What a settle call was asked to do, for the lock_lost sentence.
enum class SettleVerb : std::uint8_t { accept, release, reject, fail, extend };

Error queue_full_error(const SharedName& queue, std::uint64_t max_length, std::uint64_t max_bytes,
                       std::uint64_t message_bytes) noexcept;
Error over_queue_max_bytes_error(const SharedName& queue, std::uint64_t message_bytes,
                                 std::uint64_t max_bytes) noexcept;
Error block_timeout_error(const SharedName& queue, std::uint64_t timeout_ms) noexcept;
Error receive_timeout_error(const SharedName& queue) noexcept;
Error receiver_closed_error(const SharedName& queue) noexcept;
Error too_many_in_flight_error(const SharedName& queue, std::uint64_t max_in_flight) noexcept;
Error already_settled_error(const SharedName& queue) noexcept;
Error lock_lost_error(const SharedName& queue, SettleVerb verb) noexcept;

}  // namespace wasmq::detail
