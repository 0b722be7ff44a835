#pragma once
/// wasi:messaging/incoming-handler@0.2.0-draft: the export a receiving guest implements.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/types.hpp>

#include <expected>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::incoming_handler {

/// A guest that receives messages. The host subscribes it (host::SubscribeGuest) and settles each
/// delivery by what Handle returns: ok → accepted; `timeout` or `connection` → released for a
/// retry after the policy's delay; `permission-denied` → rejected (dead-lettered); `other` →
/// released, or rejected if the policy says so. A Handle that throws is a failed delivery.
class Guest {
 public:
  virtual ~Guest() = default;
  /// WIT `handle: func(message: message) -> result<_, error>`.
  [[nodiscard]] virtual std::expected<void, types::Error> Handle(types::Message&& message) = 0;
};

}  // namespace wasi::messaging::incoming_handler

WASMQ_PUBLIC_END
