#include "nats_message.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace wasi::messaging::host::nats_detail {

namespace {

bool HasControl(std::string_view text) {
  return std::ranges::any_of(text, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::expected<void, types::Error> CheckHeader(std::string_view key, std::string_view value) {
  if (key.empty() || HasControl(key) || key.find_first_of(": ") != std::string_view::npos) {
    return std::unexpected(types::Error::Other("metadata key '" + std::string(key) +
                                               "' cannot travel as a NATS header (empty, or has ':', a space or a "
                                               "control character)"));
  }
  if (key == content_type_header || key == reply_to_header || key == empty_keys_header) {
    return std::unexpected(types::Error::Other("metadata key '" + std::string(key) + "' is reserved by wasmq"));
  }
  if (value.find_first_of("\r\n") != std::string_view::npos) {
    return std::unexpected(types::Error::Other("metadata value of '" + std::string(key) +
                                               "' cannot travel as a NATS header (a line break)"));
  }
  return {};
}

}  // namespace

std::expected<NatsPtr<natsMsg>, types::Error> ToNatsMessage(const wasmq::Message& message, std::string_view reply) {
  for (const auto& [key, value] : message.metadata) {
    if (auto ok = CheckHeader(key, value); !ok) return std::unexpected(ok.error());
  }
  const auto bytes = message.payload.bytes();
  const std::string reply_subject(reply);
  natsMsg* raw = nullptr;
  natsStatus status = natsMsg_Create(&raw, message.topic.c_str(), reply.empty() ? nullptr : reply_subject.c_str(),
                                     reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size()));
  if (status != NATS_OK) return std::unexpected(ErrorOf(status, "making a NATS message"));
  NatsPtr<natsMsg> msg(raw);
  const auto set = [&](const std::string& key, const std::string& value) {
    if (status == NATS_OK) status = natsMsgHeader_Add(msg.get(), key.c_str(), value.c_str());
  };
  // The client cannot read back a header whose value is empty (it takes the next line for the
  // value): such keys travel together in one header of wasmq's own, space-separated.
  std::string empty_keys;
  for (const auto& [key, value] : message.metadata) {
    if (!value.empty()) {
      set(key, value);
    } else {
      empty_keys += (empty_keys.empty() ? "" : " ") + key;
    }
  }
  if (!empty_keys.empty()) set(std::string(empty_keys_header), empty_keys);
  if (message.content_type) set(std::string(content_type_header), *message.content_type);
  if (message.reply_to) set(std::string(reply_to_header), *message.reply_to);
  if (status != NATS_OK) return std::unexpected(ErrorOf(status, "setting NATS headers"));
  return msg;
}

wasmq::Message FromNatsMessage(natsMsg* msg, bool from_stream) {
  wasmq::Message out;
  out.topic = natsMsg_GetSubject(msg);
  const int length = natsMsg_GetDataLength(msg);
  if (length > 0) {
    out.payload = wasmq::Payload::copy_of(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(msg)), static_cast<std::size_t>(length)));
  }
  const char** keys = nullptr;
  int count = 0;
  if (natsMsgHeader_Keys(msg, &keys, &count) == NATS_OK) {
    for (int i = 0; i < count; ++i) {
      const std::string_view key = keys[i];
      const char* value = nullptr;
      if (natsMsgHeader_Get(msg, keys[i], &value) != NATS_OK || value == nullptr) continue;
      if (key == content_type_header) {
        out.content_type = value;
      } else if (key == reply_to_header) {
        if (from_stream) out.reply_to = value;
      } else if (key == empty_keys_header) {
        std::string_view rest = value;
        while (!rest.empty()) {
          const auto end = rest.find(' ');
          out.metadata.emplace_back(rest.substr(0, end), "");
          rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        }
      } else {
        out.metadata.emplace_back(key, value);
      }
    }
    free(static_cast<void*>(keys));  // the array is the caller's; its strings are the message's
  }
  if (!from_stream) {
    if (const char* reply = natsMsg_GetReply(msg); reply != nullptr && *reply != '\0') out.reply_to = reply;
  }
  return out;
}

}  // namespace wasi::messaging::host::nats_detail
