#pragma once
/// Errors returned by the broker: a stable code to branch on and a sentence for people.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <array>
#include <cstdint>
#include <expected>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

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
  already_exists,      ///< declare_queue, or a group's next member, with options that differ from the existing queue's
  invalid_argument,    ///< an option value that cannot work (zero in-flight limit, self dead-letter)
  too_many_consumers,  ///< more consumers on one queue than the broker supports
  too_many_in_flight,  ///< a pull receiver already holds its max_in_flight deliveries
  already_settled,     ///< accept/release/reject/extend on a delivery that was settled
  lock_lost,           ///< the delivery's lock expired or its consumer closed; it went back to the queue
  invalid_handle,      ///< a moved-from or default-constructed handle
  closed,              ///< the broker, consumer or receiver was closed, or the broker is draining
};

/// The name of an error code, e.g. "queue_full".
std::string_view to_string(Errc code) noexcept;
/// Writes to_string(code).
std::ostream& operator<<(std::ostream& out, Errc code);

/// An error code with a human-readable explanation naming the offending value.
///
/// The explanation is written when `message()` is called, not when the error is made: errors on
/// paths that can be hot (a full queue refusing publishes, a receive that timed out) cost no
/// formatting and no allocation unless somebody reads them. Copyable and cheap to move.
class Error {
 public:
  /// Writes the text of a lazily described error from its subject (a queue's name, say) and up to
  /// three numbers. A plain function, so that the error holds nothing but a pointer to it.
  using Describe = std::string (*)(std::string_view subject, const std::array<std::uint64_t, 3>& numbers);

  Error() = default;
  /// An error whose text is already written.
  Error(Errc error_code, std::string message) : code(error_code), text_(std::move(message)) {}
  /// An error whose text `describe` writes when asked; `subject` is shared, not copied.
  Error(Errc error_code, Describe describe, std::shared_ptr<const std::string> subject,
        std::array<std::uint64_t, 3> numbers = {}) noexcept
      : code(error_code), describe_(describe), subject_(std::move(subject)), numbers_(numbers) {}

  /// The code to branch on.
  Errc code = Errc::invalid_argument;

  /// The sentence for people, naming the offending value, e.g. "queue 'jobs' is full (max_length 8)".
  [[nodiscard]] std::string message() const;

  friend bool operator==(const Error& error, Errc errc) noexcept { return error.code == errc; }

 private:
  std::string text_{};
  Describe describe_ = nullptr;
  std::shared_ptr<const std::string> subject_{};
  std::array<std::uint64_t, 3> numbers_{};
};

/// Writes "<code>: <message>", e.g. "queue_full: queue 'jobs' is full (max_length 8)".
std::ostream& operator<<(std::ostream& out, const Error& error);

template <class T>
using Result = std::expected<T, Error>;

/// Shorthand for building the unexpected side of a Result.
inline std::unexpected<Error> make_error(Errc code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace wasmq

WASMQ_PUBLIC_END
