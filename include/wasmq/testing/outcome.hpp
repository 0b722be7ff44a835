#pragma once
/// What a guest's Handle did with one message, as the host would settle it.

#include <wasi/messaging/types.hpp>
#include <wasmq/detail/visibility.hpp>
#include <wasmq/host/host.hpp>

#include <iosfwd>
#include <optional>
#include <string>

WASMQ_PUBLIC_BEGIN

namespace wasmq::testkit {

/// The result of Harness::deliver: what Handle returned (or threw) and how the host's outcome
/// policy settles that.
struct Outcome {
  enum class Settlement : std::uint8_t {
    accepted,  ///< Handle returned ok
    released,  ///< offered again after `retry_delay` (timeout, connection, other)
    rejected,  ///< dead-lettered (permission-denied, or other under reject_other)
    failed,    ///< Handle threw: a failed delivery, redelivered at once
  };

  Settlement settlement = Settlement::accepted;
  std::optional<wasi::messaging::types::Error> error{};  ///< what Handle returned, if not ok
  std::string exception{};                               ///< what Handle threw, if it did
  Duration retry_delay{};                                ///< released: the delay before redelivery

  [[nodiscard]] bool accepted() const noexcept { return settlement == Settlement::accepted; }
  [[nodiscard]] bool released() const noexcept { return settlement == Settlement::released; }
  [[nodiscard]] bool rejected() const noexcept { return settlement == Settlement::rejected; }
  [[nodiscard]] bool failed() const noexcept { return settlement == Settlement::failed; }
};

/// "accepted", "released", "rejected" or "failed".
std::string_view to_string(Outcome::Settlement settlement) noexcept;
/// "released after 1.000s: timeout", "failed: threw std::runtime_error: …", "accepted".
std::string describe(const Outcome& outcome);
void PrintTo(const Outcome& outcome, std::ostream* out);
std::ostream& operator<<(std::ostream& out, const Outcome& outcome);

}  // namespace wasmq::testkit

WASMQ_PUBLIC_END
