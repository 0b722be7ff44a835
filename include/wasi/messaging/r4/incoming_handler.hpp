#pragma once
/// wasi:messaging/incoming-handler@0.2.0-draft as revision R4 shapes it: R3's handler, and
/// `subscribe`, by which the guest names its topics when the host starts it.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/r4/types.hpp>

#include <expected>
#include <string>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::r4::incoming_handler {

/// A guest that names its own topics (host::r4::StartGuest) and receives their messages.
class Guest {
 public:
  virtual ~Guest() = default;
  /// WIT `handle: func(ms: message) -> result<_, error>`; settled as in R3.
  [[nodiscard]] virtual std::expected<void, types::Error> Handle(types::Message&& ms) = 0;
  /// WIT `subscribe: func() -> result<list<string>, error>`: called once, when the host starts
  /// the guest. Each topic is checked against the guest's permissions.
  [[nodiscard]] virtual std::expected<std::vector<std::string>, types::Error> Subscribe() = 0;
};

}  // namespace wasi::messaging::r4::incoming_handler

WASMQ_PUBLIC_END
