#pragma once
// Deliveries no guest may be given, whatever its revision, and what the host does with them.

#include <wasmq/host/host.hpp>
#include <wasmq/host/reply_inbox.hpp>

#include <optional>

namespace wasmq::host {

/// How to settle `message` without handing it to a guest, or nothing when a guest may be given it:
/// - a reply under `_INBOX` that a wildcard (`>`, `*.*.*`) matched is no guest's business:
///   accepted, so that it does not come back;
/// - WIT strings are UTF-8, so a message from outside (a NATS peer, a native publisher) whose
///   topic, content type or metadata is not cannot be handed over: rejected, so that it is
///   dead-lettered with the reason.
inline std::optional<Settlement> UnfitDelivery(const types::Message& message) {
  if (IsUnderInbox(message.TopicView())) return Settlement{};
  if (!message.StringsAreUtf8()) {
    return Settlement{Settlement::Action::kReject,
                      {},
                      "the message's topic, content type or metadata is not valid UTF-8: no guest can be given it"};
  }
  return std::nullopt;
}

}  // namespace wasmq::host
