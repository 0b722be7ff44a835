#include <wasi/messaging/types.hpp>

#include <ostream>

namespace wasi::messaging::types {

std::ostream& operator<<(std::ostream& out, const Error& error) {
  out << ToString(error.GetKind());
  if (!error.Message().empty()) out << ": " << error.Message();
  return out;
}

}  // namespace wasi::messaging::types
