#include <wasmq/testing/outcome.hpp>

#include <cstdio>
#include <ostream>

namespace wasmq::testkit {

std::string_view to_string(Outcome::Settlement settlement) noexcept {
  switch (settlement) {
    case Outcome::Settlement::accepted: return "accepted";
    case Outcome::Settlement::released: return "released";
    case Outcome::Settlement::rejected: return "rejected";
    case Outcome::Settlement::failed: return "failed";
  }
  return "unknown";
}

std::string describe(const Outcome& outcome) {
  std::string text(to_string(outcome.settlement));
  if (outcome.released()) {
    char delay[32];
    std::snprintf(delay, sizeof delay, " after %.3fs", std::chrono::duration<double>(outcome.retry_delay).count());
    text += delay;
  }
  if (outcome.error) {
    text += ": " + std::string(wasi::messaging::types::ToString(outcome.error->GetKind()));
    if (!outcome.error->Message().empty()) text += " (" + outcome.error->Message() + ")";
  }
  if (outcome.failed()) text += ": threw " + outcome.exception;
  return text;
}

void PrintTo(const Outcome& outcome, std::ostream* out) { *out << describe(outcome); }

std::ostream& operator<<(std::ostream& out, const Outcome& outcome) { return out << describe(outcome); }

}  // namespace wasmq::testkit
