#pragma once
/// wasi:messaging/guest@0.2.0-draft as revision R2 shapes it: the export a receiving guest
/// implements.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r2/types.hpp>

#include <expected>
#include <span>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::r2::guest {

/// A guest that receives batches. The host calls Handler with up to its configured batch of what
/// is waiting on the guest's channels (host::r2::Session::DeliverWaiting). While Handler runs,
/// the guest may complete or abandon each message; what it leaves unsettled is completed when
/// Handler returns ok, and abandoned when it returns an error or throws.
class Guest {
 public:
  virtual ~Guest() = default;
  /// WIT `handler: func(ms: list<message>) -> result<_, error>`.
  [[nodiscard]] virtual std::expected<void, types::Error> Handler(std::span<const types::Message> ms) = 0;
};

}  // namespace wasi::messaging::r2::guest

WASMQ_PUBLIC_END
