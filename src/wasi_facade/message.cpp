#include <wasi/messaging/types.hpp>

#include <wasmq/utf8.hpp>

namespace wasi::messaging::types {

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
  if (metadata_.Empty()) return std::nullopt;
  types::Metadata out;
  out.reserve(metadata_.Size());
  metadata_.ForEach([&](const std::string& key, const std::string& value) { out.emplace_back(key, value); });
  return out;
}

void Message::AddMetadata(std::string_view key, std::string_view value) { metadata_.Add(key, value); }

void Message::SetMetadata(std::span<const std::tuple<std::string, std::string>> meta) { metadata_.Assign(meta); }

void Message::RemoveMetadata(std::string_view key) { metadata_.Remove(key); }

bool Message::StringsAreUtf8() const noexcept {
  if (topic_ && !wasmq::is_valid_utf8(*topic_)) return false;
  if (content_type_ && !wasmq::is_valid_utf8(*content_type_)) return false;
  bool valid = true;
  metadata_.ForEach([&](const std::string& key, const std::string& value) {
    valid = valid && wasmq::is_valid_utf8(key) && wasmq::is_valid_utf8(value);
  });
  return valid;
}

std::size_t Message::SizeBytes() const noexcept {
  return payload_.size() + (content_type_ ? content_type_->size() : 0) + metadata_.Bytes();
}

}  // namespace wasi::messaging::types
