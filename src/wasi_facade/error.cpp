#include <wasi/messaging/types.hpp>

namespace wasi::messaging::types {

std::string_view ToString(Error::Kind kind) noexcept {
  switch (kind) {
    case Error::Kind::kTimeout: return "timeout";
    case Error::Kind::kConnection: return "connection";
    case Error::Kind::kPermissionDenied: return "permission-denied";
    case Error::Kind::kOther: return "other";
  }
  return "unknown";
}

}  // namespace wasi::messaging::types
