// The imports of wasi:messaging@0.2.0-draft as the C functions wasm2c's output calls, by the names
// wasm2c 1.0.32 mangles them to (Z_<module>Z_<name>, non-alphanumerics as Z<hex>). One
// definition serves every translated module; each forwards to the calling guest's canonical ABI
// (wasmq/wasm/imports.hpp has the table these follow).

#include "wasm2c_guest.hpp"

#include <array>

namespace {

using wasmq::wasm::ImportId;
using wasmq::wasm::wasm2c::Wasm2cGuest;

// Runs the import, then traps if it must. The trap longjmps out of this frame, so RunImport's
// C++ objects (the trap text included) are all gone by then: only trivially destructible locals
// are skipped.
template <ImportId id, class... Args>
std::uint32_t Dispatch(void* host, Args... args) {
  const std::array<std::uint32_t, sizeof...(Args)> flat{static_cast<std::uint32_t>(args)...};
  std::uint32_t result = 0;
  if (!static_cast<Wasm2cGuest*>(host)->RunImport(id, flat, result)) wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);
  return result;
}

}  // namespace

extern "C" {
// wasm2c's names, not ours.
// NOLINTBEGIN(readability-identifier-naming)
// clang-format off
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BstaticZ5DclientZ2Econnect(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1, std::uint32_t a2) { Dispatch<ImportId::kClientConnect>(self->host, a0, a1, a2); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DclientZ2Edisconnect(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1) { Dispatch<ImportId::kClientDisconnect>(self->host, a0, a1); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BresourceZ2DdropZ5Dclient(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0) { Dispatch<ImportId::kClientDrop>(self->host, a0); }
std::uint32_t Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BconstructorZ5Dmessage(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1) { return Dispatch<ImportId::kMessageNew>(self->host, a0, a1); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DmessageZ2Etopic(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1) { Dispatch<ImportId::kMessageTopic>(self->host, a0, a1); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DmessageZ2EcontentZ2Dtype(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1) { Dispatch<ImportId::kMessageContentType>(self->host, a0, a1); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DmessageZ2EsetZ2DcontentZ2Dtype(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1, std::uint32_t a2) { Dispatch<ImportId::kMessageSetContentType>(self->host, a0, a1, a2); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DmessageZ2Edata(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1) { Dispatch<ImportId::kMessageData>(self->host, a0, a1); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DmessageZ2EsetZ2Ddata(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1, std::uint32_t a2) { Dispatch<ImportId::kMessageSetData>(self->host, a0, a1, a2); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DmessageZ2Emetadata(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1) { Dispatch<ImportId::kMessageMetadata>(self->host, a0, a1); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DmessageZ2EaddZ2Dmetadata(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1, std::uint32_t a2, std::uint32_t a3, std::uint32_t a4) { Dispatch<ImportId::kMessageAddMetadata>(self->host, a0, a1, a2, a3, a4); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DmessageZ2EsetZ2Dmetadata(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1, std::uint32_t a2) { Dispatch<ImportId::kMessageSetMetadata>(self->host, a0, a1, a2); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DmessageZ2EremoveZ2Dmetadata(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1, std::uint32_t a2) { Dispatch<ImportId::kMessageRemoveMetadata>(self->host, a0, a1, a2); }
void Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2DdraftZ_Z5BresourceZ2DdropZ5Dmessage(struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0) { Dispatch<ImportId::kMessageDrop>(self->host, a0); }
void Z_wasiZ3AmessagingZ2FproducerZ400Z2E2Z2E0Z2DdraftZ_send(struct Z_wasiZ3AmessagingZ2FproducerZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1, std::uint32_t a2, std::uint32_t a3, std::uint32_t a4) { Dispatch<ImportId::kProducerSend>(self->host, a0, a1, a2, a3, a4); }
std::uint32_t Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2DdraftZ_Z5BconstructorZ5DrequestZ2Doptions(struct Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2Ddraft_instance_t* self) { return Dispatch<ImportId::kRequestOptionsNew>(self->host); }
void Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DrequestZ2DoptionsZ2EsetZ2DtimeoutZ2Dms(struct Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1) { Dispatch<ImportId::kRequestOptionsSetTimeoutMs>(self->host, a0, a1); }
void Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2DdraftZ_Z5BmethodZ5DrequestZ2DoptionsZ2EsetZ2DexpectedZ2Dreplies(struct Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1) { Dispatch<ImportId::kRequestOptionsSetExpectedReplies>(self->host, a0, a1); }
void Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2DdraftZ_Z5BresourceZ2DdropZ5DrequestZ2Doptions(struct Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0) { Dispatch<ImportId::kRequestOptionsDrop>(self->host, a0); }
void Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2DdraftZ_request(struct Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1, std::uint32_t a2, std::uint32_t a3, std::uint32_t a4, std::uint32_t a5, std::uint32_t a6) { Dispatch<ImportId::kRequest>(self->host, a0, a1, a2, a3, a4, a5, a6); }
void Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2DdraftZ_reply(struct Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2Ddraft_instance_t* self, std::uint32_t a0, std::uint32_t a1, std::uint32_t a2) { Dispatch<ImportId::kReply>(self->host, a0, a1, a2); }
// clang-format on
// NOLINTEND(readability-identifier-naming)
}  // extern "C"
