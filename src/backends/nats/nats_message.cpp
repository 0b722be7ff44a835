#include "nats_message.hpp"

#include <wasmq/utf8.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>
#include "host_names.hpp"

// The NATS C client's string hash (exported by libnats, not declared in its public headers).
extern "C" std::uint32_t natsStrHash_Hash(const char* data, int data_len);  // NOLINT(readability-identifier-naming)

namespace wasmq::backends::nats_detail {

namespace {

// Header values travel as "key: value" lines, which the client reads back with the white space
// around the value trimmed (C's isspace: space, \t, \n, \v, \f, \r).
bool HasOuterSpace(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  return !text.empty() && (space(text.front()) || space(text.back()));
}

// A key as an error's text may show it: itself when it is UTF-8 (error texts reach guests as WIT
// strings), its bytes in hex otherwise.
std::string Printable(std::string_view key) {
  if (wasmq::is_valid_utf8(key)) return std::string(key);
  std::string out;
  static constexpr char kHexDigits[] = "0123456789abcdef";
  for (char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    out += "\\x";
    out += kHexDigits[byte >> 4];
    out += kHexDigits[byte & 0xf];
  }
  return out;
}

// Header names are HTTP-like tokens: printable ASCII without ':' (the client's header table loses
// names with other bytes when a message has several).
bool IsHeaderName(std::string_view key) {
  return !key.empty() && std::ranges::all_of(key, [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7f && c != ':';
  });
}

std::expected<void, types::Error> CheckHeader(std::string_view key, std::string_view value) {
  if (!IsHeaderName(key)) {
    return std::unexpected(types::Error::Other("metadata key '" + Printable(key) +
                                               "' cannot travel as a NATS header (empty, or not printable ASCII "
                                               "without ':' and spaces)"));
  }
  if (key == content_type_header || key == reply_to_header || key == empty_keys_header) {
    return std::unexpected(types::Error::Other("metadata key '" + std::string(key) + "' is reserved by wasmq"));
  }
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos || HasOuterSpace(value)) {
    return std::unexpected(
        types::Error::Other("metadata value of '" + Printable(key) +
                            "' cannot travel as a NATS header (a line break, a NUL, or white space at either end)"));
  }
  return {};
}

std::expected<void, types::Error> CheckContentType(std::string_view content_type) {
  if (content_type.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos ||
      HasOuterSpace(content_type)) {
    return std::unexpected(types::Error::Other(
        "the content type cannot travel as a NATS header (a line break, a NUL, or white space at either end)"));
  }
  return {};
}

// The NATS C client (3.x) keeps headers in a table whose lookup takes a key for another that
// merely begins with it when their hashes are equal; its hash skips bytes, so "a" and "aaa", or
// "x" and "x-y", are such pairs. The second header is then lost, or answers with the first's
// value, on the sender's table and again on the receiver's. Such a pair is refused rather than
// changed on the way (found by fuzz/nats_headers_fuzz.cpp). The hash is the client's own.
std::expected<void, types::Error> CheckNoConfusableKeys(std::vector<std::string_view> keys) {
  std::ranges::sort(keys);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    // Sorted: every key that begins with keys[i] follows it directly.
    for (std::size_t j = i + 1; j < keys.size() && keys[j].starts_with(keys[i]); ++j) {
      if (natsStrHash_Hash(keys[i].data(), static_cast<int>(keys[i].size())) ==
          natsStrHash_Hash(keys[j].data(), static_cast<int>(keys[j].size()))) {
        return std::unexpected(types::Error::Other(
            "metadata keys '" + Printable(keys[i]) + "' and '" + Printable(keys[j]) +
            "' cannot travel as NATS headers together: the NATS client confuses a key with another that "
            "begins with it when their hashes are equal; rename one"));
      }
    }
  }
  return {};
}

}  // namespace

std::expected<NatsPtr<natsMsg>, types::Error> ToNatsMessage(const wasmq::Message& message, std::string_view reply) {
  for (const auto& [key, value] : message.metadata) {
    if (auto ok = CheckHeader(key, value); !ok) return std::unexpected(ok.error());
  }
  if (message.content_type) {
    if (auto ok = CheckContentType(*message.content_type); !ok) return std::unexpected(ok.error());
  }
  if (!message.metadata.empty()) {  // the headers this message will have, wasmq's own included
    std::vector<std::string_view> keys;
    keys.reserve(message.metadata.size() + 3);
    bool empty_values = message.content_type && message.content_type->empty();
    for (const auto& [key, value] : message.metadata) {
      keys.emplace_back(key);
      empty_values = empty_values || value.empty();
    }
    if (message.content_type && !message.content_type->empty()) keys.push_back(content_type_header);
    if (empty_values) keys.push_back(empty_keys_header);
    if (message.reply_to) keys.push_back(reply_to_header);
    if (auto ok = CheckNoConfusableKeys(std::move(keys)); !ok) return std::unexpected(ok.error());
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
  if (message.content_type) {
    if (message.content_type->empty()) {  // set but empty: listed with the empty values
      empty_keys += (empty_keys.empty() ? "" : " ") + std::string(content_type_header);
    } else {
      set(std::string(content_type_header), *message.content_type);
    }
  }
  if (!empty_keys.empty()) set(std::string(empty_keys_header), empty_keys);
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
        // A stream keeps a request's reply subject only here; on core NATS the message's own
        // reply subject (below) takes precedence over an address a sender named in the header.
        out.reply_to = value;
      } else if (key == empty_keys_header) {
        std::string_view rest = value;
        while (!rest.empty()) {
          const auto end = rest.find(' ');
          if (rest.substr(0, end) == content_type_header) {
            out.content_type.emplace();
          } else {
            out.metadata.emplace_back(rest.substr(0, end), "");
          }
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

}  // namespace wasmq::backends::nats_detail
