#pragma once
/// Errors returned by the broker: a stable code to branch on and a sentence for people.

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace wasmq {

/// What went wrong. Every fallible broker call returns `Result<T>` with one of these.
enum class Errc : std::uint8_t {
  invalid_name,        ///< empty name, empty token, space or control character, too long
  invalid_pattern,     ///< a subscription pattern with a misplaced `*` or `>`
  wildcard_in_name,    ///< a publish or queue name that contains `*` or `>`
  payload_too_large,   ///< message above max_message_bytes, max_metadata_entries or the queue's max_bytes
  queue_full,          ///< a bounded queue refused the message (overflow policy reject_publish)
  timeout,             ///< a bounded wait ran out (blocked publish, pull receive)
  no_such_queue,       ///< consume or stats on a name that was never declared
  already_exists,      ///< declare_queue with options that differ from the existing queue's
  invalid_argument,    ///< an option value that cannot work (zero in-flight limit, self dead-letter)
  too_many_consumers,  ///< more consumers on one queue than the broker supports
  too_many_in_flight,  ///< a pull receiver already holds its max_in_flight deliveries
  already_settled,     ///< accept/release/reject/extend on a delivery that was settled
  lock_lost,           ///< the delivery's lock expired or its consumer closed; it went back to the queue
  invalid_handle,      ///< a moved-from or default-constructed handle
  closed,              ///< the broker, consumer or receiver was closed
};

/// The name of an error code, e.g. "queue_full".
std::string_view to_string(Errc code) noexcept;

/// An error code with a human-readable explanation naming the offending value.
struct Error {
  Errc code;
  std::string message;

  friend bool operator==(const Error& error, Errc errc) noexcept { return error.code == errc; }
};

template <class T>
using Result = std::expected<T, Error>;

/// Shorthand for building the unexpected side of a Result.
inline std::unexpected<Error> make_error(Errc code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace wasmq
