#include "advisory.hpp"

#include <nlohmann/json.hpp>
#include "host_names.hpp"

namespace wasmq::backends::nats_detail {

namespace {

constexpr std::string_view kMaxDeliverType = "io.nats.jetstream.advisory.v1.max_deliver";

const std::string* StringField(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return nullptr;
  return found->get_ptr<const std::string*>();
}

std::optional<std::uint64_t> UnsignedField(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_number_unsigned()) return std::nullopt;
  return found->get<std::uint64_t>();
}

}  // namespace

std::optional<MaxDeliveriesAdvisory> ParseMaxDeliveriesAdvisory(std::string_view json) {
  if (json.size() > max_advisory_bytes) return std::nullopt;
  // No exceptions: a malformed body comes back as a discarded value.
  const nlohmann::json body = nlohmann::json::parse(json, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return std::nullopt;
  const std::string* type = StringField(body, "type");
  if (type == nullptr || *type != kMaxDeliverType) return std::nullopt;
  const std::string* stream = StringField(body, "stream");
  const std::string* consumer = StringField(body, "consumer");
  const auto stream_seq = UnsignedField(body, "stream_seq");
  if (stream == nullptr || consumer == nullptr || !stream_seq) return std::nullopt;
  return MaxDeliveriesAdvisory{*stream, *consumer, *stream_seq, UnsignedField(body, "deliveries").value_or(0)};
}

}  // namespace wasmq::backends::nats_detail
