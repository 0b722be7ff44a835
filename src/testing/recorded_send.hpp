#pragma once
// One way to send that the traffic sees: record the send, attribute what the broker publishes to
// it, and record the failure if it fails.

#include <wasmq/message.hpp>
#include <wasmq/testing/traffic.hpp>

#include <memory>
#include <string>

namespace wasmq::testkit::detail {

/// Runs `send()` (which returns a std::expected) recorded as a send of `message` by `producer`;
/// `error_text(error)` turns its error into the text recorded on failure.
template <typename Send, typename ErrorText>
auto recorded_send(Traffic& traffic, const Message& message, const std::string& producer, TimePoint now, Send&& send,
                   ErrorText&& error_text) -> decltype(send()) {
  // A copy for the traffic: the payload buffer is shared, not copied.
  auto snapshot = SharedMessage::of(message);
  const std::uint64_t id = traffic.record_send(snapshot, producer, now);
  Traffic::SendScope scope(id, producer);
  auto result = send();
  if (!result) traffic.record_send_failed(snapshot, producer, id, error_text(result.error()), now);
  return result;
}

}  // namespace wasmq::testkit::detail
