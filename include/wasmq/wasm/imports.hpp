#pragma once
/// The core-wasm imports of `wasi:messaging@0.2.0-draft` (R5), as wit-component names and lowers
/// them: one row per WIT function of `types`, `producer` and `request-reply`. Every runtime binds
/// a guest's imports by this table, so the set of functions and their flat signatures are written
/// down once. All parameters are i32 (handles, pointers, lengths, u32 values, option tags).

#include <cstdint>
#include <span>
#include <string_view>
#include <wasmq/detail/visibility.hpp>

WASMQ_PUBLIC_BEGIN

namespace wasmq::wasm {

/// Which WIT function an import is.
enum class ImportId : std::uint8_t {
  kClientConnect,
  kClientDisconnect,
  kClientDrop,
  kMessageNew,
  kMessageTopic,
  kMessageContentType,
  kMessageSetContentType,
  kMessageData,
  kMessageSetData,
  kMessageMetadata,
  kMessageAddMetadata,
  kMessageSetMetadata,
  kMessageRemoveMetadata,
  kMessageDrop,
  kProducerSend,
  kRequestOptionsNew,
  kRequestOptionsSetTimeoutMs,
  kRequestOptionsSetExpectedReplies,
  kRequestOptionsDrop,
  kRequest,
  kReply,
};

/// One import: where it lives, what it is called, and its flat core signature.
struct ImportSignature {
  ImportId id{};
  std::string_view module{};  ///< "wasi:messaging/<interface>@0.2.0-draft"
  std::string_view name{};    ///< "[method]message.topic", "send", ...
  std::uint8_t params{};      ///< i32 parameters, the return-area pointer included
  bool returns_i32{};         ///< one i32 result (a new handle), else none
};

inline constexpr std::string_view kTypesModule = "wasi:messaging/types@0.2.0-draft";
inline constexpr std::string_view kProducerModule = "wasi:messaging/producer@0.2.0-draft";
inline constexpr std::string_view kRequestReplyModule = "wasi:messaging/request-reply@0.2.0-draft";
/// The guest's export, and the function the host calls after reading its result.
inline constexpr std::string_view kHandleExport = "wasi:messaging/incoming-handler@0.2.0-draft#handle";
inline constexpr std::string_view kHandlePostReturn = "cabi_post_wasi:messaging/incoming-handler@0.2.0-draft#handle";

/// Every import of the world messaging-request-reply (a superset of the other three worlds').
std::span<const ImportSignature> MessagingImports() noexcept;
/// The row for (module, name), or nullptr when the guest imports something wasi:messaging lacks.
const ImportSignature* FindImport(std::string_view module, std::string_view name) noexcept;
/// The row for `id`.
const ImportSignature& Signature(ImportId id) noexcept;

}  // namespace wasmq::wasm

WASMQ_PUBLIC_END
