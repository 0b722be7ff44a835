#include <wasi/messaging/r2/types.hpp>

namespace wasi::messaging::r2::types {

std::string_view ToString(Error::Kind kind) noexcept {
  switch (kind) {
    case Error::Kind::kUnauthorized: return "unauthorized";
    case Error::Kind::kTimeout: return "timeout";
    case Error::Kind::kConnection: return "connection";
    case Error::Kind::kOther: return "other";
  }
  return "unknown";
}

}  // namespace wasi::messaging::r2::types
