#pragma once
/// wasi:messaging/request-reply@0.2.0-draft.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/types.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::request_reply {

/// WIT `resource request-options`. Move-only.
class RequestOptions {
 public:
  /// WIT `constructor()`: neither a timeout nor an expected number of replies.
  RequestOptions() = default;
  RequestOptions(RequestOptions&&) noexcept = default;
  RequestOptions& operator=(RequestOptions&&) noexcept = default;
  RequestOptions(const RequestOptions&) = delete;
  RequestOptions& operator=(const RequestOptions&) = delete;

  void SetTimeoutMs(std::uint32_t timeout_ms) { timeout_ms_ = timeout_ms; }
  void SetExpectedReplies(std::uint32_t expected_replies) { expected_replies_ = expected_replies; }

  /// Not WIT: what was set, for hosts and backends.
  [[nodiscard]] std::optional<std::uint32_t> TimeoutMs() const noexcept { return timeout_ms_; }
  [[nodiscard]] std::optional<std::uint32_t> ExpectedReplies() const noexcept { return expected_replies_; }

 private:
  std::optional<std::uint32_t> timeout_ms_;
  std::optional<std::uint32_t> expected_replies_;
};

/// WIT `request: func(c: borrow<client>, topic: topic, message: borrow<message>,
/// options: option<request-options>) -> result<list<message>, error>`.
///
/// Sends `message` (borrowed: it stays usable) to `topic` with a private reply address and
/// collects replies: no options → the first reply; timeout only → every reply that arrived by
/// then (`timeout` if none); timeout and count → at whichever comes first (`timeout` if none);
/// count only → when that many arrived. At most the guest's GuestLimits::max_replies are
/// collected either way. The reply address is the host's: `_INBOX.<backend>.<128 random bits>`
/// (reply_inbox.hpp). A topic nobody receives fails at once with `other` ("no responders: …").
/// A handler may call it while handling a message, on a one-thread runtime too: the wait runs
/// the runtime's other work. Errors also: `connection` (client disconnected),
/// `permission-denied` (may not publish to `topic`, or `topic` is under `_INBOX`), `other`
/// (invalid topic, zero expected replies).
[[nodiscard]] std::expected<std::vector<types::Message>, types::Error> Request(const types::Client& c,
                                                                               std::string_view topic,
                                                                               const types::Message& message,
                                                                               std::optional<RequestOptions>&& options);

/// WIT `reply: func(reply-to: borrow<message>, message: message) -> result<_, error>`.
/// Sends `message` to the reply address of the delivered request `reply_to`; may be called more
/// than once. A reply to a host-made inbox needs no permission (the guest was delivered the
/// request); a reply address a publisher chose (not under `_INBOX`) is a publish like any other,
/// checked against the current guest's publish permissions. Errors: `other` when `reply_to` has
/// no reply address (it was not a request, or not delivered by a host) or an invalid one;
/// `permission-denied` when the guest may not publish to that address; `connection` when no guest
/// context is current for such an address.
[[nodiscard]] std::expected<void, types::Error> Reply(const types::Message& reply_to, types::Message&& message);

}  // namespace wasi::messaging::request_reply

WASMQ_PUBLIC_END
