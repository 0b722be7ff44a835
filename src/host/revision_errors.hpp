#pragma once
// Each earlier revision's error variant from the current one's, which the host layer and the
// backends speak. A case a revision lacks becomes its nearest: R2 has `unauthorized` without a
// text; R3 and R4 have no permission case, so a refusal is `other`, its text saying so.

#include <wasi/messaging/r2/types.hpp>
#include <wasi/messaging/r3/types.hpp>
#include <wasi/messaging/types.hpp>

namespace wasmq::host {

inline ::wasi::messaging::r2::types::Error ToR2Error(const ::wasi::messaging::types::Error& error) {
  using Kind = ::wasi::messaging::types::Error::Kind;
  using R2 = ::wasi::messaging::r2::types::Error;
  switch (error.GetKind()) {
    case Kind::kTimeout: return R2::Timeout();
    case Kind::kConnection: return R2::Connection(error.Message());
    case Kind::kPermissionDenied: return R2::Unauthorized();
    case Kind::kOther: return R2::Other(error.Message());
  }
  return R2::Other(error.Message());
}

inline ::wasi::messaging::r3::types::Error ToR3Error(const ::wasi::messaging::types::Error& error) {
  using Kind = ::wasi::messaging::types::Error::Kind;
  using R3 = ::wasi::messaging::r3::types::Error;
  switch (error.GetKind()) {
    case Kind::kTimeout: return R3::Timeout();
    case Kind::kConnection: return R3::Connection(error.Message());
    case Kind::kPermissionDenied: return R3::Other("permission denied: " + error.Message());
    case Kind::kOther: return R3::Other(error.Message());
  }
  return R3::Other(error.Message());
}

/// What the current revision's settlement policy makes of an R3 or R4 handler's error.
inline ::wasi::messaging::types::Error FromR3Error(const ::wasi::messaging::r3::types::Error& error) {
  using Kind = ::wasi::messaging::r3::types::Error::Kind;
  using Current = ::wasi::messaging::types::Error;
  switch (error.GetKind()) {
    case Kind::kTimeout: return Current::Timeout();
    case Kind::kConnection: return Current::Connection(error.Message());
    case Kind::kOther: return Current::Other(error.Message());
  }
  return Current::Other(error.Message());
}

}  // namespace wasmq::host
