#pragma once
/// The metadata keys the broker writes on every dead letter. Standalone (no other wasmq header),
/// so that a WebAssembly guest built with the guest SDK can read dead letters by the same names.

#include <string_view>

/// Metadata keys the broker writes on dead letters.
namespace wasmq::dead_letter_keys {
inline constexpr std::string_view reason = "wasmq-dl-reason";
inline constexpr std::string_view detail = "wasmq-dl-detail";
inline constexpr std::string_view original_topic = "wasmq-dl-original-topic";
inline constexpr std::string_view queue = "wasmq-dl-queue";
inline constexpr std::string_view delivery_count = "wasmq-dl-delivery-count";
inline constexpr std::string_view published_at_ns = "wasmq-dl-published-at-ns";
inline constexpr std::string_view dead_lettered_at_ns = "wasmq-dl-dead-lettered-at-ns";
}  // namespace wasmq::dead_letter_keys
