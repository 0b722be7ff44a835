#pragma once
/// wasi:messaging/types as revision R1 shapes it (seed 004; WIT in wit/r1/): the original
/// proposal, whose messages are CloudEvents and whose channels are a queue or a topic. See
/// docs/facade.md, "Earlier revisions".

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::r1::types {

/// WIT `record event`: a CloudEvent (specification 1.0) whose data is bytes. `ty` is the event's
/// `type` attribute (a keyword in WIT).
struct Event {
  std::string specversion{};
  std::string ty{};
  std::string source{};
  std::string id{};
  std::optional<std::vector<std::uint8_t>> data{};
  std::optional<std::string> datacontenttype{};
  std::optional<std::string> dataschema{};
  std::optional<std::string> subject{};
  std::optional<std::string> time{};
  std::optional<std::vector<std::tuple<std::string, std::string>>> extensions{};

  friend bool operator==(const Event&, const Event&) = default;
};

/// WIT `variant channel { queue(string), topic(string) }`: a queue's messages go to one of its
/// consumers; a topic's to every subscriber.
class Channel {
 public:
  enum class Kind : std::uint8_t { kQueue, kTopic };

  static Channel Queue(std::string name) { return Channel(Kind::kQueue, std::move(name)); }
  static Channel Topic(std::string name) { return Channel(Kind::kTopic, std::move(name)); }

  [[nodiscard]] Kind GetKind() const noexcept { return kind_; }
  /// The queue's or topic's name.
  [[nodiscard]] const std::string& Name() const noexcept { return name_; }

  friend bool operator==(const Channel&, const Channel&) = default;

 private:
  Channel(Kind kind, std::string name) : kind_(kind), name_(std::move(name)) {}
  Kind kind_;
  std::string name_;
};

/// WIT `variant messaging-error`, each case with a text.
class MessagingError {
 public:
  enum class Kind : std::uint8_t {
    kPayloadTooLarge,
    kQueueOrTopicNotFound,
    kInsufficientPermissions,
    kServiceUnavailable,
    kDeliveryFailed,
    kConnectionLost,
    kUnsupportedMessageFormat,
    kUnexpectedError,
  };

  static MessagingError PayloadTooLarge(std::string text) { return {Kind::kPayloadTooLarge, std::move(text)}; }
  static MessagingError QueueOrTopicNotFound(std::string text) {
    return {Kind::kQueueOrTopicNotFound, std::move(text)};
  }
  static MessagingError InsufficientPermissions(std::string text) {
    return {Kind::kInsufficientPermissions, std::move(text)};
  }
  static MessagingError ServiceUnavailable(std::string text) { return {Kind::kServiceUnavailable, std::move(text)}; }
  static MessagingError DeliveryFailed(std::string text) { return {Kind::kDeliveryFailed, std::move(text)}; }
  static MessagingError ConnectionLost(std::string text) { return {Kind::kConnectionLost, std::move(text)}; }
  static MessagingError UnsupportedMessageFormat(std::string text) {
    return {Kind::kUnsupportedMessageFormat, std::move(text)};
  }
  static MessagingError UnexpectedError(std::string text) { return {Kind::kUnexpectedError, std::move(text)}; }

  [[nodiscard]] Kind GetKind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& Message() const noexcept { return text_; }

  friend bool operator==(const MessagingError&, const MessagingError&) = default;

 private:
  MessagingError(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}
  Kind kind_;
  std::string text_;
};

/// "payload-too-large", "queue-or-topic-not-found", … as WIT spells the case.
std::string_view ToString(MessagingError::Kind kind) noexcept;

/// WIT `type subscription-token = string`.
using SubscriptionToken = std::string;

}  // namespace wasi::messaging::r1::types

WASMQ_PUBLIC_END
