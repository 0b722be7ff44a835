#include <wasmq/host/cloudevents.hpp>
#include <wasmq/utf8.hpp>

#include <algorithm>
#include <array>
#include <set>

namespace wasmq::host::cloudevents {

namespace {

using ::wasi::messaging::r1::types::Event;

constexpr std::string_view kPrefix = "ce-";
/// Attribute names an extension may not take: the context attributes and `data`.
constexpr std::array<std::string_view, 9> kReserved{"specversion",     "type",       "source",  "id",  "data",
                                                    "datacontenttype", "dataschema", "subject", "time"};
constexpr std::size_t kMaxExtensionName = 20;  // CloudEvents 1.0: SHOULD NOT exceed 20 characters
constexpr std::string_view kHexDigits = "0123456789ABCDEF";

bool IsExtensionName(std::string_view name) {
  return !name.empty() && name.size() <= kMaxExtensionName &&
         std::ranges::all_of(name, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string PercentEncode(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || c == '"' || c == '%') {
      out += '%';
      out += kHexDigits[byte >> 4];
      out += kHexDigits[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> PercentDecode(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    if (i + 2 >= value.size()) return std::nullopt;
    const int high = HexValue(value[i + 1]);
    const int low = HexValue(value[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>((high << 4) | low);
    i += 2;
  }
  return out;
}

std::expected<wasmq::Message, std::string> ToMessage(const Event& event, std::string_view topic) {
  const std::array<std::pair<std::string_view, const std::string*>, 4> required{
      {{"specversion", &event.specversion}, {"type", &event.ty}, {"source", &event.source}, {"id", &event.id}}};
  wasmq::Message out;
  out.topic = std::string(topic);
  const auto add = [&](std::string_view name, const std::string& value) -> std::expected<void, std::string> {
    if (!wasmq::is_valid_utf8(value)) return std::unexpected("the value of '" + std::string(name) + "' is not UTF-8");
    out.metadata.emplace_back(std::string(kPrefix) + std::string(name), PercentEncode(value));
    return {};
  };
  for (const auto& [name, value] : required) {
    if (value->empty()) return std::unexpected("the required attribute '" + std::string(name) + "' is empty");
    if (auto added = add(name, *value); !added) return std::unexpected(added.error());
  }
  const std::array<std::pair<std::string_view, const std::optional<std::string>*>, 3> optional{
      {{"dataschema", &event.dataschema}, {"subject", &event.subject}, {"time", &event.time}}};
  for (const auto& [name, value] : optional) {
    if (!*value) continue;
    if (auto added = add(name, **value); !added) return std::unexpected(added.error());
  }
  if (event.extensions) {
    std::set<std::string_view> seen;
    for (const auto& [name, value] : *event.extensions) {
      if (!IsExtensionName(name)) {
        return std::unexpected("the extension name '" + name + "' is not 1 to 20 lowercase letters and digits");
      }
      if (std::ranges::find(kReserved, name) != kReserved.end()) {
        return std::unexpected("the extension name '" + name + "' is a CloudEvents attribute's");
      }
      if (!seen.insert(name).second) return std::unexpected("the extension '" + name + "' is given twice");
      if (auto added = add(name, value); !added) return std::unexpected(added.error());
    }
  }
  if (event.datacontenttype) {
    if (!wasmq::is_valid_utf8(*event.datacontenttype))
      return std::unexpected(std::string("the datacontenttype is not UTF-8"));
    out.content_type = event.datacontenttype;
  }
  if (event.data) out.payload = wasmq::Payload::copy_of(std::span<const std::uint8_t>(*event.data));
  return out;
}

std::expected<Event, std::string> FromMessage(const ::wasi::messaging::types::Message& message) {
  Event event;
  std::vector<std::tuple<std::string, std::string>> extensions;
  // The required attributes, where each goes, and whether it came.
  std::array<std::tuple<std::string_view, std::string*, bool>, 4> required{{{"specversion", &event.specversion, false},
                                                                            {"type", &event.ty, false},
                                                                            {"source", &event.source, false},
                                                                            {"id", &event.id, false}}};
  for (const auto& [key, encoded] : message.Metadata().value_or(::wasi::messaging::types::Metadata{})) {
    if (!key.starts_with(kPrefix)) continue;
    const std::string name = key.substr(kPrefix.size());
    auto value = PercentDecode(encoded);
    if (!value || !wasmq::is_valid_utf8(*value)) {
      return std::unexpected("the header '" + key + "' does not decode to UTF-8 text");
    }
    auto attribute = std::ranges::find(required, name, [](const auto& entry) { return std::get<0>(entry); });
    if (attribute != required.end()) {
      *std::get<1>(*attribute) = std::move(*value);
      std::get<2>(*attribute) = true;
    } else if (name == "dataschema") {
      event.dataschema = std::move(*value);
    } else if (name == "subject") {
      event.subject = std::move(*value);
    } else if (name == "time") {
      event.time = std::move(*value);
    } else if (IsExtensionName(name) && std::ranges::find(kReserved, name) == kReserved.end()) {
      extensions.emplace_back(name, std::move(*value));
    }
  }
  for (const auto& [name, field, present] : required) {
    if (!present)
      return std::unexpected("not a CloudEvent in the binary content mode: no 'ce-" + std::string(name) + "'");
  }
  event.datacontenttype = message.ContentType();
  if (!message.DataView().empty()) event.data = message.Data();
  if (!extensions.empty()) {
    std::ranges::sort(extensions);
    event.extensions = std::move(extensions);
  }
  return event;
}

}  // namespace wasmq::host::cloudevents
