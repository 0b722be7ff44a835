#pragma once
/// wasi:messaging/incoming-handler@0.2.0-draft as revision R3 shapes it.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r3/types.hpp>

#include <expected>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::r3::incoming_handler {

/// A guest that receives messages (host::r3::SubscribeGuest). Its result settles the delivery as
/// the current revision's does: ok → accepted; `timeout`, `connection` → released for a retry;
/// `other` → released, or rejected when the subscription's policy says so.
class Guest {
 public:
  virtual ~Guest() = default;
  /// WIT `handle: func(ms: message) -> result<_, error>`.
  [[nodiscard]] virtual std::expected<void, types::Error> Handle(types::Message&& ms) = 0;
};

}  // namespace wasi::messaging::r3::incoming_handler

WASMQ_PUBLIC_END
