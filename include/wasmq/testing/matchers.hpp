#pragma once
/// gMock matchers for captured traffic (TrafficEvent), broker messages (wasmq::Message) and facade
/// messages (wasi::messaging::types::Message):
///
/// ```
/// EXPECT_THAT(harness.traffic().of_kind(TrafficKind::sent),
///             ElementsAre(AllOf(OnTopic("orders.created"), WithPayload("order-1"),
///                               WithMetadata("order-id", "1"))));
/// EXPECT_THAT(harness.traffic().dead_letters(),
///             ElementsAre(DeadLettered(DeadLetterReason::max_deliveries, 3)));
/// ```

#include <wasi/messaging/types.hpp>
#include <wasmq/detail/visibility.hpp>
#include <wasmq/message.hpp>
#include <wasmq/name.hpp>
#include <wasmq/shared_message.hpp>
#include <wasmq/testing/text.hpp>
#include <wasmq/testing/traffic.hpp>

#include <gmock/gmock.h>

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq::testkit {

namespace matcher_detail {

inline std::string topic_of(const TrafficEvent& event) { return std::string(event.topic()); }
inline std::string topic_of(const Message& message) { return message.topic; }
inline std::string topic_of(const SharedMessage& message) { return std::string(message.topic()); }
inline std::string topic_of(const wasi::messaging::types::Message& message) { return message.Topic().value_or(""); }

inline std::string text_of(const TrafficEvent& event) { return event.text(); }

inline std::string reason_name(DeadLetterReason reason) { return std::string(to_string(reason)); }
inline std::string reason_name(std::string_view reason) { return std::string(reason); }
inline std::string text_of(const Message& message) { return std::string(message.payload.as_string()); }
inline std::string text_of(const SharedMessage& message) { return std::string(message.payload().as_string()); }
using testkit::text_of;  // facade messages

inline std::optional<std::string> metadata_of(const Message& message, std::string_view key) {
  if (auto value = message.find_metadata(key)) return std::string(*value);
  return std::nullopt;
}
inline std::optional<std::string> metadata_of(const SharedMessage& message, std::string_view key) {
  if (auto value = message.find_metadata(key)) return std::string(*value);
  return std::nullopt;
}
inline std::optional<std::string> metadata_of(const TrafficEvent& event, std::string_view key) {
  return metadata_of(event.message, key);
}
inline std::optional<std::string> metadata_of(const wasi::messaging::types::Message& message, std::string_view key) {
  for (const auto& [name, value] : message.Metadata().value_or(wasi::messaging::types::Metadata{})) {
    if (name == key) return value;
  }
  return std::nullopt;
}

/// Reason and delivery count of a dead letter: from the event, or from the metadata the broker
/// wrote on the dead-lettered message.
struct Death {
  std::string reason{};
  std::uint32_t delivery_count = 0;
};
template <typename AnyMessage>
std::optional<Death> death_of(const AnyMessage& message) {
  auto reason = metadata_of(message, dead_letter_keys::reason);
  auto count = metadata_of(message, dead_letter_keys::delivery_count);
  if (!reason || !count) return std::nullopt;
  Death death{*reason, 0};
  std::from_chars(count->data(), count->data() + count->size(), death.delivery_count);
  return death;
}
/// A `dead_lettered` event in the source queue, or any event of the dead letter itself.
inline std::optional<Death> death_of(const TrafficEvent& event) {
  if (event.kind == TrafficKind::dead_lettered && event.reason) {
    return Death{std::string(to_string(*event.reason)), event.delivery_count};
  }
  return death_of(event.message);
}

}  // namespace matcher_detail

/// The topic matches `pattern` (a name, or a pattern with `*` and `>`).
MATCHER_P(OnTopic, pattern,
          std::string(negation ? "not " : "") + "on a topic matching '" + std::string(pattern) + "'") {
  const std::string topic = matcher_detail::topic_of(arg);
  *result_listener << "whose topic is '" << topic << "'";
  return ::wasmq::matches(pattern, topic);
}

/// The payload, as text, matches `expected` (a string or a matcher such as HasSubstr).
MATCHER_P(WithPayload, expected,
          std::string(negation ? "not " : "") + "with payload " + ::testing::PrintToString(expected)) {
  const std::string text = matcher_detail::text_of(arg);
  *result_listener << "whose payload is " << ::testing::PrintToString(text);
  return ::testing::Value(text, expected);
}

/// Metadata `key` is present and its value matches `expected` (a string or a matcher).
MATCHER_P2(WithMetadata, key, expected,
           std::string(negation ? "not " : "") + "with metadata " + std::string(key) + "=" +
               ::testing::PrintToString(expected)) {
  const auto value = matcher_detail::metadata_of(arg, key);
  if (!value) {
    *result_listener << "which has no metadata '" << std::string(key) << "'";
    return false;
  }
  *result_listener << "whose metadata " << std::string(key) << " is " << ::testing::PrintToString(*value);
  return ::testing::Value(*value, expected);
}

/// A dead letter (a `dead_lettered` event, or a message carrying the broker's wasmq-dl-* metadata)
/// for `reason` after `delivery_count` deliveries.
/// A dead letter for `reason` (a DeadLetterReason, or its name: "max_deliveries") after
/// `delivery_count` deliveries.
MATCHER_P2(DeadLettered, reason, delivery_count,
           std::string(negation ? "not " : "") + "dead-lettered for " + matcher_detail::reason_name(reason) +
               " after " + std::to_string(delivery_count) + " deliveries") {
  const auto death = matcher_detail::death_of(arg);
  if (!death) {
    *result_listener << "which is not a dead letter";
    return false;
  }
  *result_listener << "which was dead-lettered for " << death->reason << " after " << death->delivery_count
                   << " deliveries";
  return death->reason == matcher_detail::reason_name(reason) &&
         death->delivery_count == static_cast<std::uint32_t>(delivery_count);
}

/// A captured event of `kind`.
MATCHER_P(OfKind, kind, std::string(negation ? "not " : "") + "a '" + std::string(to_string(kind)) + "' event") {
  *result_listener << "which is a '" << to_string(arg.kind) << "' event";
  return arg.kind == kind;
}

}  // namespace wasmq::testkit

WASMQ_PUBLIC_END
