#include <wasi/messaging/r3/types.hpp>

namespace wasi::messaging::r3::types {

std::string_view ToString(Error::Kind kind) noexcept {
  switch (kind) {
    case Error::Kind::kTimeout: return "timeout";
    case Error::Kind::kConnection: return "connection";
    case Error::Kind::kOther: return "other";
  }
  return "unknown";
}

Message::Message(std::string_view topic, std::span<const std::uint8_t> data) : topic_(topic), message_(data) {}

}  // namespace wasi::messaging::r3::types
