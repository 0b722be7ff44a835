#include <wasmq/utf8.hpp>
#include <wasmq/wasm/canonical_abi.hpp>

#include <cstring>
#include <string>

namespace wasmq::wasm {

namespace {

namespace types = wasi::messaging::types;
using wasmq::host::Handle;

std::span<const std::uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Return-area sizes (wasm32): string/list (ptr, len) 8; error = u8 tag, string at 4 → 12;
// result<_, error> and result<list, error> = u8 tag, payload at 4 → 16; option<string> and
// option<list> = u8 tag, payload at 4 → 12; result<own, error> = u8 tag, payload at 4 → 16.
constexpr std::uint32_t kResultSize = 16;
constexpr std::uint32_t kOptionSize = 12;
constexpr std::uint32_t kListSize = 8;
constexpr std::uint32_t kTupleOfStringsSize = 16;  // list<tuple<string, string>> element
constexpr std::uint32_t kPayloadOffset = 4;

std::string Describe(std::uint32_t ptr, std::uint64_t len) {
  return "[" + std::to_string(ptr) + ", +" + std::to_string(len) + ")";
}

}  // namespace

TrapText CanonicalAbi::OutOfRange(std::uint32_t ptr, std::uint64_t len, std::uint32_t align) const {
  if ((ptr & (align - 1)) != 0) return "pointer " + std::to_string(ptr) + " is not aligned to " + std::to_string(align);
  return "out of bounds: " + Describe(ptr, len) + " in " + std::to_string(memory_.size()) + " bytes of linear memory";
}

CanonicalAbi::Lifted<std::string_view> CanonicalAbi::String(std::uint32_t ptr, std::uint32_t len) {
  auto range = Range(ptr, len, 1);
  if (!range) return std::unexpected(range.error());
  const std::string_view text(reinterpret_cast<const char*>(range->data()), range->size());
  if (!wasmq::is_valid_utf8(text)) return std::unexpected("string at " + Describe(ptr, len) + " is not UTF-8");
  return text;
}

CanonicalAbi::Lifted<std::uint32_t> CanonicalAbi::LoadU32(std::uint32_t at) {
  auto range = Range(at, 4, 4);
  if (!range) return std::unexpected(range.error());
  std::uint32_t value = 0;
  std::memcpy(&value, range->data(), 4);  // wasm is little-endian, as are x86-64 and aarch64
  return value;
}

CanonicalAbi::Lifted<std::uint32_t> CanonicalAbi::Lower(std::span<const std::uint8_t> bytes, std::uint32_t align) {
  auto ptr = runtime_.Realloc(0, 0, align, static_cast<std::uint32_t>(bytes.size()));
  SeeMemory();  // realloc may have grown it
  if (!ptr) return std::unexpected("cabi_realloc trapped: " + ptr.error());
  auto range = Range(*ptr, bytes.size(), align);
  if (!range) return std::unexpected("cabi_realloc returned " + range.error());
  if (!bytes.empty()) std::memcpy(range->data(), bytes.data(), bytes.size());
  return *ptr;
}

CanonicalAbi::Done CanonicalAbi::StoreU8(std::uint32_t at, std::uint8_t value) {
  auto range = Range(at, 1, 1);
  if (!range) return std::unexpected(range.error());
  (*range)[0] = value;
  return 0;
}

CanonicalAbi::Done CanonicalAbi::StoreU32(std::uint32_t at, std::uint32_t value) {
  auto range = Range(at, 4, 4);
  if (!range) return std::unexpected(range.error());
  std::memcpy(range->data(), &value, 4);
  return 0;
}

CanonicalAbi::Done CanonicalAbi::StoreList(std::uint32_t at, std::span<const std::uint8_t> bytes) {
  if (auto area = Range(at, kListSize, 4); !area) return std::unexpected(area.error());  // before allocating
  auto ptr = Lower(bytes, 1);
  if (!ptr) return std::unexpected(ptr.error());
  if (auto stored = StoreU32(at, *ptr); !stored) return stored;
  return StoreU32(at + 4, static_cast<std::uint32_t>(bytes.size()));
}

CanonicalAbi::Done CanonicalAbi::StoreError(std::uint32_t at, const Error& error) {
  if (auto stored = StoreU8(at, static_cast<std::uint8_t>(error.GetKind())); !stored) return stored;
  if (error.GetKind() == Error::Kind::kTimeout) return 0;
  return StoreList(at + kPayloadOffset, AsBytes(error.Message()));
}

CanonicalAbi::Done CanonicalAbi::StoreResult(std::uint32_t ret, const std::expected<void, Error>& result) {
  if (auto area = Range(ret, kResultSize, 4); !area) return std::unexpected(area.error());
  if (auto stored = StoreU8(ret, result ? 0 : 1); !stored) return stored;
  if (result) return 0;
  return StoreError(ret + kPayloadOffset, result.error());
}

CanonicalAbi::Done CanonicalAbi::StoreOptionString(std::uint32_t ret, const std::optional<std::string>& value) {
  if (auto area = Range(ret, kOptionSize, 4); !area) return std::unexpected(area.error());
  if (auto stored = StoreU8(ret, value ? 1 : 0); !stored) return stored;
  if (!value) return 0;
  return StoreList(ret + kPayloadOffset, AsBytes(*value));
}

CanonicalAbi::Done CanonicalAbi::StoreOptionMetadata(std::uint32_t ret,
                                                     const std::optional<types::Metadata>& metadata) {
  if (auto area = Range(ret, kOptionSize, 4); !area) return std::unexpected(area.error());
  if (auto stored = StoreU8(ret, metadata ? 1 : 0); !stored) return stored;
  if (!metadata) return 0;
  // The list's elements first (each string its own allocation), then the list pointing at them.
  std::vector<std::uint8_t> elements(metadata->size() * kTupleOfStringsSize);
  for (std::size_t i = 0; i < metadata->size(); ++i) {
    const auto& [key, value] = (*metadata)[i];
    auto key_at = Lower(AsBytes(key), 1);
    if (!key_at) return std::unexpected(key_at.error());
    auto value_at = Lower(AsBytes(value), 1);
    if (!value_at) return std::unexpected(value_at.error());
    const std::uint32_t fields[4] = {*key_at, static_cast<std::uint32_t>(key.size()), *value_at,
                                     static_cast<std::uint32_t>(value.size())};
    std::memcpy(elements.data() + i * kTupleOfStringsSize, fields, sizeof fields);
  }
  auto list_at = Lower(elements, 4);
  if (!list_at) return std::unexpected(list_at.error());
  if (auto stored = StoreU32(ret + kPayloadOffset, *list_at); !stored) return stored;
  return StoreU32(ret + kPayloadOffset + 4, static_cast<std::uint32_t>(metadata->size()));
}

CanonicalAbi::Done CanonicalAbi::StoreRequestResult(std::uint32_t ret,
                                                    const std::expected<std::vector<Handle>, Error>& result) {
  if (auto area = Range(ret, kResultSize, 4); !area) return std::unexpected(area.error());
  if (!result) {
    if (auto stored = StoreU8(ret, 1); !stored) return stored;
    return StoreError(ret + kPayloadOffset, result.error());
  }
  if (auto stored = StoreU8(ret, 0); !stored) return stored;
  std::vector<std::uint8_t> handles(result->size() * 4);
  if (!handles.empty()) std::memcpy(handles.data(), result->data(), handles.size());
  auto list_at = Lower(handles, 4);
  if (!list_at) return std::unexpected(list_at.error());
  if (auto stored = StoreU32(ret + kPayloadOffset, *list_at); !stored) return stored;
  return StoreU32(ret + kPayloadOffset + 4, static_cast<std::uint32_t>(result->size()));
}

CanonicalAbi::Lifted<types::Metadata> CanonicalAbi::LiftMetadata(std::uint32_t ptr, std::uint32_t len) {
  // Refused before anything is copied: a guest names a list length, not the host's memory.
  if (len > limits_.max_metadata_entries) {
    return std::unexpected("metadata of " + std::to_string(len) + " entries is over this guest's limit of " +
                           std::to_string(limits_.max_metadata_entries));
  }
  auto elements = Range(ptr, std::uint64_t{len} * kTupleOfStringsSize, 4);
  if (!elements) return std::unexpected(elements.error());
  types::Metadata metadata;
  metadata.reserve(len);
  for (std::uint32_t i = 0; i < len; ++i) {
    std::uint32_t fields[4];
    std::memcpy(fields, memory_.data() + ptr + std::size_t{i} * kTupleOfStringsSize, sizeof fields);
    auto key = String(fields[0], fields[1]);
    if (!key) return std::unexpected("metadata key " + std::to_string(i) + ": " + key.error());
    auto value = String(fields[2], fields[3]);
    if (!value) return std::unexpected("metadata value " + std::to_string(i) + ": " + value.error());
    metadata.emplace_back(std::string(*key), std::string(*value));
  }
  return metadata;
}

std::expected<std::uint32_t, TrapText> CanonicalAbi::Call(ImportId id, std::span<const std::uint32_t> args) {
  if (args.size() != Signature(id).params) {
    return std::unexpected(std::string(Signature(id).name) + " takes " + std::to_string(Signature(id).params) +
                           " core parameters, not " + std::to_string(args.size()));
  }
  SeeMemory();
  // A binding's own trap (a handle misuse, a limit) becomes the guest's.
  const auto trap = [](const wasmq::host::Trap& t) { return std::unexpected(t.message); };
  switch (id) {
    case ImportId::kClientConnect: {
      if (auto area = Range(args[2], kResultSize, 4); !area) return std::unexpected(area.error());
      auto name = String(args[0], args[1]);
      if (!name) return std::unexpected(name.error());
      auto call = instance_.ClientConnect(*name);
      if (!call) return trap(call.error());
      if (!*call) {
        if (auto stored = StoreU8(args[2], 1); !stored) return stored;
        return StoreError(args[2] + kPayloadOffset, call->error());
      }
      if (auto stored = StoreU8(args[2], 0); !stored) return stored;
      return StoreU32(args[2] + kPayloadOffset, **call);
    }
    case ImportId::kClientDisconnect: {
      if (auto area = Range(args[1], kResultSize, 4); !area) return std::unexpected(area.error());
      auto call = instance_.ClientDisconnect(args[0]);
      if (!call) return trap(call.error());
      return StoreResult(args[1], *call);
    }
    case ImportId::kClientDrop: {
      if (auto call = instance_.ClientDrop(args[0]); !call) return trap(call.error());
      return 0;
    }
    case ImportId::kMessageNew: {
      auto data = Range(args[0], args[1], 1);
      if (!data) return std::unexpected(data.error());
      auto call = instance_.MessageNew(*data);
      if (!call) return trap(call.error());
      return *call;
    }
    case ImportId::kMessageTopic: {
      if (auto area = Range(args[1], kOptionSize, 4); !area) return std::unexpected(area.error());
      auto message = instance_.BorrowMessage(args[0]);  // lowered from the message: no copy
      if (!message) return trap(message.error());
      // A topic is set only on delivery, and a topic is never empty: an empty view is `none`.
      if ((*message)->TopicView().empty()) return StoreU8(args[1], 0);
      if (auto stored = StoreU8(args[1], 1); !stored) return stored;
      return StoreList(args[1] + kPayloadOffset, AsBytes((*message)->TopicView()));
    }
    case ImportId::kMessageContentType: {
      if (auto area = Range(args[1], kOptionSize, 4); !area) return std::unexpected(area.error());
      auto call = instance_.MessageContentType(args[0]);
      if (!call) return trap(call.error());
      return StoreOptionString(args[1], *call);
    }
    case ImportId::kMessageSetContentType: {
      auto text = String(args[1], args[2]);
      if (!text) return std::unexpected(text.error());
      if (auto call = instance_.MessageSetContentType(args[0], *text); !call) return trap(call.error());
      return 0;
    }
    case ImportId::kMessageData: {
      if (auto area = Range(args[1], kListSize, 4); !area) return std::unexpected(area.error());
      auto message = instance_.BorrowMessage(args[0]);  // lowered from the message: no copy
      if (!message) return trap(message.error());
      return StoreList(args[1], (*message)->DataView());
    }
    case ImportId::kMessageSetData: {
      auto data = Range(args[1], args[2], 1);
      if (!data) return std::unexpected(data.error());
      if (auto call = instance_.MessageSetData(args[0], *data); !call) return trap(call.error());
      return 0;
    }
    case ImportId::kMessageMetadata: {
      if (auto area = Range(args[1], kOptionSize, 4); !area) return std::unexpected(area.error());
      auto call = instance_.MessageMetadata(args[0]);
      if (!call) return trap(call.error());
      return StoreOptionMetadata(args[1], *call);
    }
    case ImportId::kMessageAddMetadata: {
      auto key = String(args[1], args[2]);
      if (!key) return std::unexpected(key.error());
      auto value = String(args[3], args[4]);
      if (!value) return std::unexpected(value.error());
      if (auto call = instance_.MessageAddMetadata(args[0], *key, *value); !call) return trap(call.error());
      return 0;
    }
    case ImportId::kMessageSetMetadata: {
      auto metadata = LiftMetadata(args[1], args[2]);
      if (!metadata) return std::unexpected(metadata.error());
      if (auto call = instance_.MessageSetMetadata(args[0], *metadata); !call) return trap(call.error());
      return 0;
    }
    case ImportId::kMessageRemoveMetadata: {
      auto key = String(args[1], args[2]);
      if (!key) return std::unexpected(key.error());
      if (auto call = instance_.MessageRemoveMetadata(args[0], *key); !call) return trap(call.error());
      return 0;
    }
    case ImportId::kMessageDrop: {
      if (auto call = instance_.MessageDrop(args[0]); !call) return trap(call.error());
      return 0;
    }
    case ImportId::kProducerSend: {
      if (auto area = Range(args[4], kResultSize, 4); !area) return std::unexpected(area.error());
      auto topic = String(args[1], args[2]);
      if (!topic) return std::unexpected(topic.error());
      auto call = instance_.ProducerSend(args[0], *topic, args[3]);
      if (!call) return trap(call.error());
      return StoreResult(args[4], *call);
    }
    case ImportId::kRequestOptionsNew: {
      auto call = instance_.RequestOptionsNew();
      if (!call) return trap(call.error());
      return *call;
    }
    case ImportId::kRequestOptionsSetTimeoutMs: {
      if (auto call = instance_.RequestOptionsSetTimeoutMs(args[0], args[1]); !call) return trap(call.error());
      return 0;
    }
    case ImportId::kRequestOptionsSetExpectedReplies: {
      if (auto call = instance_.RequestOptionsSetExpectedReplies(args[0], args[1]); !call) return trap(call.error());
      return 0;
    }
    case ImportId::kRequestOptionsDrop: {
      if (auto call = instance_.RequestOptionsDrop(args[0]); !call) return trap(call.error());
      return 0;
    }
    case ImportId::kRequest: {
      // (client, topic ptr, topic len, message, option tag, option handle, return area)
      if (auto area = Range(args[6], kResultSize, 4); !area) return std::unexpected(area.error());
      auto topic = String(args[1], args[2]);
      if (!topic) return std::unexpected(topic.error());
      if (args[4] > 1) return std::unexpected("invalid option discriminant " + std::to_string(args[4]));
      const std::optional<Handle> options = args[4] == 1 ? std::optional<Handle>(args[5]) : std::nullopt;
      runtime_.BeginWait();
      auto call = instance_.RequestReplyRequest(args[0], *topic, args[3], options);
      runtime_.EndWait();
      SeeMemory();  // other work ran meanwhile on this thread
      if (!call) return trap(call.error());
      return StoreRequestResult(args[6], *call);
    }
    case ImportId::kReply: {
      if (auto area = Range(args[2], kResultSize, 4); !area) return std::unexpected(area.error());
      auto call = instance_.RequestReplyReply(args[0], args[1]);
      if (!call) return trap(call.error());
      return StoreResult(args[2], *call);
    }
  }
  return std::unexpected("unknown import");
}

std::expected<std::expected<void, types::Error>, TrapText> CanonicalAbi::LiftHandleResult(std::uint32_t ret) {
  using Result = std::expected<void, types::Error>;
  SeeMemory();
  auto area = Range(ret, kResultSize, 4);
  if (!area) return std::unexpected("handle's result: " + area.error());
  const std::uint8_t is_error = (*area)[0];
  if (is_error == 0) return Result{};
  if (is_error != 1) return std::unexpected("handle's result: invalid discriminant " + std::to_string(is_error));
  const std::uint8_t kind = (*area)[kPayloadOffset];
  if (kind == static_cast<std::uint8_t>(types::Error::Kind::kTimeout)) {
    return Result(std::unexpected(types::Error::Timeout()));
  }
  if (kind > static_cast<std::uint8_t>(types::Error::Kind::kOther)) {
    return std::unexpected("handle's error: invalid discriminant " + std::to_string(kind));
  }
  auto ptr = LoadU32(ret + kPayloadOffset + 4);
  auto len = LoadU32(ret + kPayloadOffset + 8);
  if (!ptr || !len) return std::unexpected("handle's error: unreadable text");
  // The text ends up on the delivery's dead letter: a guest does not choose how much of it.
  if (*len > limits_.max_message_bytes) {
    return std::unexpected("handle's error text of " + std::to_string(*len) +
                           " bytes is over this guest's max_message_bytes of " +
                           std::to_string(limits_.max_message_bytes));
  }
  auto text = String(*ptr, *len);
  if (!text) return std::unexpected("handle's error text: " + text.error());
  std::string owned(*text);
  switch (static_cast<types::Error::Kind>(kind)) {
    case types::Error::Kind::kConnection: return Result(std::unexpected(types::Error::Connection(std::move(owned))));
    case types::Error::Kind::kPermissionDenied:
      return Result(std::unexpected(types::Error::PermissionDenied(std::move(owned))));
    default: return Result(std::unexpected(types::Error::Other(std::move(owned))));
  }
}

}  // namespace wasmq::wasm
