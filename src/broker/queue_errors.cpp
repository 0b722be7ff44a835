#include "detail/queue_errors.hpp"

#include <array>
#include <string_view>

namespace wasmq::detail {

namespace {

using Numbers = std::array<std::uint64_t, 3>;

std::string quoted(std::string_view name) {
  std::string text;
  text.reserve(name.size() + 2);
  text.append(1, '\'').append(name).append(1, '\'');
  return text;
}

std::string describe_queue_full(std::string_view queue, const Numbers& n) {
  std::string text = "queue " + quoted(queue) + " is full (";
  if (n[0] != 0) text += "max_length " + std::to_string(n[0]);
  if (n[1] != 0) {
    if (n[0] != 0) text += ", ";
    text += "max_bytes " + std::to_string(n[1]) + ", message " + std::to_string(n[2]) + " bytes";
  }
  return text + ")";
}

std::string describe_over_max_bytes(std::string_view queue, const Numbers& n) {
  return "message of " + std::to_string(n[0]) + " bytes exceeds max_bytes " + std::to_string(n[1]) + " of queue " +
         quoted(queue);
}

std::string describe_block_timeout(std::string_view queue, const Numbers& n) {
  return "queue " + quoted(queue) + " stayed full for the block timeout of " + std::to_string(n[0]) + " ms";
}

std::string describe_receive_timeout(std::string_view queue, const Numbers& /*unused*/) {
  return "no message on " + quoted(queue) + " within the timeout";
}

std::string describe_receiver_closed(std::string_view queue, const Numbers& /*unused*/) {
  return "receiver on " + quoted(queue) + " is closed";
}

std::string describe_too_many_in_flight(std::string_view queue, const Numbers& n) {
  return "receiver on " + quoted(queue) + " holds its max_in_flight of " + std::to_string(n[0]) +
         " unsettled deliveries; settle some first";
}

std::string describe_already_settled(std::string_view queue, const Numbers& /*unused*/) {
  return "the delivery from " + quoted(queue) + " was already settled";
}

std::string describe_lock_lost(std::string_view queue, const Numbers& n) {
  static constexpr std::array<std::string_view, 5> verbs{"accept", "release", "reject", "fail", "extend the lock of"};
  return "cannot " + std::string(verbs.at(n[0])) + " a delivery from " + quoted(queue) +
         ": its lock expired or its consumer closed, and the message went back to the queue";
}

}  // namespace

Error queue_full_error(const SharedName& queue, std::uint64_t max_length, std::uint64_t max_bytes,
                       std::uint64_t message_bytes) noexcept {
  return {Errc::queue_full, describe_queue_full, queue, {max_length, max_bytes, message_bytes}};
}

Error over_queue_max_bytes_error(const SharedName& queue, std::uint64_t message_bytes,
                                 std::uint64_t max_bytes) noexcept {
  return {Errc::payload_too_large, describe_over_max_bytes, queue, {message_bytes, max_bytes, 0}};
}

Error block_timeout_error(const SharedName& queue, std::uint64_t timeout_ms) noexcept {
  return {Errc::timeout, describe_block_timeout, queue, {timeout_ms, 0, 0}};
}

Error receive_timeout_error(const SharedName& queue) noexcept {
  return {Errc::timeout, describe_receive_timeout, queue};
}

Error receiver_closed_error(const SharedName& queue) noexcept {
  return {Errc::closed, describe_receiver_closed, queue};
}

Error too_many_in_flight_error(const SharedName& queue, std::uint64_t max_in_flight) noexcept {
  return {Errc::too_many_in_flight, describe_too_many_in_flight, queue, {max_in_flight, 0, 0}};
}

Error already_settled_error(const SharedName& queue) noexcept {
  return {Errc::already_settled, describe_already_settled, queue};
}

Error lock_lost_error(const SharedName& queue, SettleVerb verb) noexcept {
  return {Errc::lock_lost, describe_lock_lost, queue, {static_cast<std::uint64_t>(verb), 0, 0}};
}

}  // namespace wasmq::detail
