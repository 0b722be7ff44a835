#include <wasmq/error.hpp>

#include <ostream>

namespace wasmq {

std::string_view to_string(Errc code) noexcept {
  switch (code) {
    case Errc::invalid_name: return "invalid_name";
    case Errc::invalid_pattern: return "invalid_pattern";
    case Errc::wildcard_in_name: return "wildcard_in_name";
    case Errc::payload_too_large: return "payload_too_large";
    case Errc::queue_full: return "queue_full";
    case Errc::timeout: return "timeout";
    case Errc::no_such_queue: return "no_such_queue";
    case Errc::already_exists: return "already_exists";
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::too_many_consumers: return "too_many_consumers";
    case Errc::too_many_in_flight: return "too_many_in_flight";
    case Errc::already_settled: return "already_settled";
    case Errc::lock_lost: return "lock_lost";
    case Errc::invalid_handle: return "invalid_handle";
    case Errc::closed: return "closed";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, Errc code) { return out << to_string(code); }

std::string Error::message() const {
  if (describe_ == nullptr) return text_;
  return describe_(subject_ ? std::string_view(*subject_) : std::string_view(), numbers_);
}

std::ostream& operator<<(std::ostream& out, const Error& error) { return out << error.code << ": " << error.message(); }

}  // namespace wasmq
