#include <wasmq/wasm/imports.hpp>

#include <array>

namespace wasmq::wasm {

namespace {

// Flattening (canonical ABI, MAX_FLAT_PARAMS 16, MAX_FLAT_RESULTS 1): a string or list is (ptr,
// len); a handle is one i32; option<own<R>> is (tag, handle); a result or option result goes to
// a return area whose address is the last parameter.
constexpr std::array kImports = {
    ImportSignature{ImportId::kClientConnect, kTypesModule, "[static]client.connect", 3, false},
    ImportSignature{ImportId::kClientDisconnect, kTypesModule, "[method]client.disconnect", 2, false},
    ImportSignature{ImportId::kClientDrop, kTypesModule, "[resource-drop]client", 1, false},
    ImportSignature{ImportId::kMessageNew, kTypesModule, "[constructor]message", 2, true},
    ImportSignature{ImportId::kMessageTopic, kTypesModule, "[method]message.topic", 2, false},
    ImportSignature{ImportId::kMessageContentType, kTypesModule, "[method]message.content-type", 2, false},
    ImportSignature{ImportId::kMessageSetContentType, kTypesModule, "[method]message.set-content-type", 3, false},
    ImportSignature{ImportId::kMessageData, kTypesModule, "[method]message.data", 2, false},
    ImportSignature{ImportId::kMessageSetData, kTypesModule, "[method]message.set-data", 3, false},
    ImportSignature{ImportId::kMessageMetadata, kTypesModule, "[method]message.metadata", 2, false},
    ImportSignature{ImportId::kMessageAddMetadata, kTypesModule, "[method]message.add-metadata", 5, false},
    ImportSignature{ImportId::kMessageSetMetadata, kTypesModule, "[method]message.set-metadata", 3, false},
    ImportSignature{ImportId::kMessageRemoveMetadata, kTypesModule, "[method]message.remove-metadata", 3, false},
    ImportSignature{ImportId::kMessageDrop, kTypesModule, "[resource-drop]message", 1, false},
    ImportSignature{ImportId::kProducerSend, kProducerModule, "send", 5, false},
    ImportSignature{ImportId::kRequestOptionsNew, kRequestReplyModule, "[constructor]request-options", 0, true},
    ImportSignature{ImportId::kRequestOptionsSetTimeoutMs, kRequestReplyModule,
                    "[method]request-options.set-timeout-ms", 2, false},
    ImportSignature{ImportId::kRequestOptionsSetExpectedReplies, kRequestReplyModule,
                    "[method]request-options.set-expected-replies", 2, false},
    ImportSignature{ImportId::kRequestOptionsDrop, kRequestReplyModule, "[resource-drop]request-options", 1, false},
    ImportSignature{ImportId::kRequest, kRequestReplyModule, "request", 7, false},
    ImportSignature{ImportId::kReply, kRequestReplyModule, "reply", 3, false},
};

constexpr bool InIdOrder() {
  for (std::size_t i = 0; i < kImports.size(); ++i) {
    if (static_cast<std::size_t>(kImports[i].id) != i) return false;
  }
  return true;
}
static_assert(InIdOrder(), "kImports is indexed by ImportId");

}  // namespace

std::span<const ImportSignature> MessagingImports() noexcept { return kImports; }

const ImportSignature* FindImport(std::string_view module, std::string_view name) noexcept {
  for (const auto& row : kImports) {
    if (row.module == module && row.name == name) return &row;
  }
  return nullptr;
}

const ImportSignature& Signature(ImportId id) noexcept { return kImports[static_cast<std::size_t>(id)]; }

}  // namespace wasmq::wasm
