#include "host_names.hpp"
#include "nats_handles.hpp"

namespace wasmq::backends::nats_detail {

namespace {

std::string Describe(natsStatus status, std::string_view doing) {
  std::string text = std::string(doing) + ": " + natsStatus_GetText(status);
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (detail != nullptr && *detail != '\0' && last == status) text += std::string(" (") + detail + ")";
  return text;
}

}  // namespace

types::Error ErrorOf(natsStatus status, std::string_view doing) {
  switch (status) {
    case NATS_TIMEOUT: return types::Error::Timeout();
    case NATS_CONNECTION_CLOSED:
    case NATS_CONNECTION_DISCONNECTED:
    case NATS_CONNECTION_AUTH_FAILED:
    case NATS_NO_SERVER:
    case NATS_STALE_CONNECTION:
    case NATS_INSUFFICIENT_BUFFER:
    case NATS_IO_ERROR:
    case NATS_SECURE_CONNECTION_REQUIRED:
    case NATS_DRAINING: return types::Error::Connection(Describe(status, doing));
    case NATS_NOT_PERMITTED: return types::Error::PermissionDenied(Describe(status, doing));
    default: return types::Error::Other(Describe(status, doing));
  }
}

types::Error ConnectionErrorOf(natsStatus status, std::string_view doing) {
  if (status == NATS_TIMEOUT) return types::Error::Connection(Describe(status, doing));
  return ErrorOf(status, doing);
}

}  // namespace wasmq::backends::nats_detail
