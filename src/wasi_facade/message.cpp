#include <wasi/messaging/types.hpp>

#include <algorithm>

namespace wasi::messaging::types {

namespace {
auto FindKey(types::Metadata& metadata, std::string_view key) {
  return std::find_if(metadata.begin(), metadata.end(), [&](const auto& entry) { return std::get<0>(entry) == key; });
}
}  // namespace

Message::Message(std::span<const std::uint8_t> data) : payload_(wasmq::Payload::copy_of(data)) {}
Message::Message(Message&&) noexcept = default;
Message& Message::operator=(Message&&) noexcept = default;
Message::~Message() = default;

std::optional<types::Topic> Message::Topic() const { return topic_; }

std::optional<std::string> Message::ContentType() const { return content_type_; }

void Message::SetContentType(std::string_view content_type) { content_type_ = std::string(content_type); }

std::vector<std::uint8_t> Message::Data() const {
  const auto bytes = payload_.bytes();
  return {bytes.begin(), bytes.end()};
}

// A new buffer: the old one may be shared with messages already sent.
void Message::SetData(std::span<const std::uint8_t> data) { payload_ = wasmq::Payload::copy_of(data); }

std::optional<types::Metadata> Message::Metadata() const {
  if (metadata_.empty()) return std::nullopt;
  return metadata_;
}

void Message::AddMetadata(std::string_view key, std::string_view value) {
  if (auto found = FindKey(metadata_, key); found != metadata_.end()) {
    std::get<1>(*found).assign(value);
  } else {
    metadata_.emplace_back(std::string(key), std::string(value));
  }
}

void Message::SetMetadata(std::span<const std::tuple<std::string, std::string>> meta) {
  metadata_.assign(meta.begin(), meta.end());
}

void Message::RemoveMetadata(std::string_view key) {
  if (auto found = FindKey(metadata_, key); found != metadata_.end()) metadata_.erase(found);
}

}  // namespace wasi::messaging::types
