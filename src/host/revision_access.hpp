#pragma once
// What the earlier revisions' facades reach inside one another's resources for: each revision's
// client wraps the current revision's client (one connection registry, one permission check), and
// R3's message wraps the current message (one buffer, one metadata list).

#include <wasi/messaging/r2/types.hpp>
#include <wasi/messaging/r3/types.hpp>
#include <wasi/messaging/types.hpp>

namespace wasmq::host {

struct RevisionAccess {
  template <typename Error>
  static const ::wasi::messaging::types::Client& Inner(const ::wasi::messaging::detail::RevisionClient<Error>& client) {
    return client.client_;
  }
  template <typename Error>
  static ::wasi::messaging::detail::RevisionClient<Error> MakeClient(::wasi::messaging::types::Client client) {
    return ::wasi::messaging::detail::RevisionClient<Error>(std::move(client));
  }
  static ::wasi::messaging::types::Message& Inner(::wasi::messaging::r3::types::Message& message) {
    return message.message_;
  }
  static const std::string& TopicOf(const ::wasi::messaging::r3::types::Message& message) { return message.topic_; }
  /// A delivered message as R3 shows it: its topic readable and settable.
  static ::wasi::messaging::r3::types::Message MakeR3(::wasi::messaging::types::Message&& delivered) {
    std::string topic(delivered.TopicView());
    return ::wasi::messaging::r3::types::Message(std::move(topic), std::move(delivered));
  }
};

}  // namespace wasmq::host
