// CloudEvents in the binary content mode (wasmq/host/cloudevents.hpp), from both ends:
// - whatever headers a peer sends, FromMessage returns an event whose strings are UTF-8, or an
//   error — never a crash;
// - every event ToMessage accepts comes back from FromMessage equal, up to the two documented
//   normalisations (empty data is none; extensions sorted, none when empty);
// - PercentDecode reverses PercentEncode for any bytes.

#include <wasmq/host/cloudevents.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/utf8.hpp>

#include "fuzz_input.hpp"

#include <algorithm>
#include <cstdlib>

namespace {

namespace cloudevents = wasmq::host::cloudevents;
using wasi::messaging::r1::types::Event;

void Check(bool condition) {
  if (!condition) std::abort();
}

std::optional<std::string> MaybeText(wasmq::fuzz::FuzzInput& in) {
  if (in.byte() % 2 == 0) return std::nullopt;
  return in.text();
}

bool AllUtf8(const Event& event) {
  bool ok = wasmq::is_valid_utf8(event.specversion) && wasmq::is_valid_utf8(event.ty) &&
            wasmq::is_valid_utf8(event.source) && wasmq::is_valid_utf8(event.id);
  for (const auto* field : {&event.dataschema, &event.subject, &event.time}) {
    ok = ok && (!*field || wasmq::is_valid_utf8(**field));
  }
  if (event.extensions) {
    for (const auto& [name, value] : *event.extensions)
      ok = ok && wasmq::is_valid_utf8(name) && wasmq::is_valid_utf8(value);
  }
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wasmq::fuzz::FuzzInput in(data, size);
  switch (in.byte() % 3) {
    case 0: {  // headers from a peer
      wasi::messaging::types::Message message(in.data());
      for (int entries = in.byte() % 12; entries > 0; --entries) {
        const std::string key = (in.byte() % 4 != 0 ? "ce-" : "") + in.text(12);
        message.AddMetadata(key, in.text());
      }
      if (in.byte() % 2 == 0) message.SetContentType(in.text());
      auto event = cloudevents::FromMessage(message);
      if (event) Check(AllUtf8(*event));
      break;
    }
    case 1: {  // an event a guest publishes
      Event event{.specversion = in.text(8), .ty = in.text(), .source = in.text(), .id = in.text()};
      if (in.byte() % 2 == 0) event.data = in.data();
      event.datacontenttype = MaybeText(in);
      event.dataschema = MaybeText(in);
      event.subject = MaybeText(in);
      event.time = MaybeText(in);
      if (in.byte() % 2 == 0) {
        event.extensions.emplace();
        for (int entries = in.byte() % 6; entries > 0; --entries) event.extensions->emplace_back(in.text(8), in.text());
      }
      auto message = cloudevents::ToMessage(event, "fuzz.events");
      if (!message) break;
      auto back = cloudevents::FromMessage(wasmq::host::Backend::Delivered(std::move(*message), nullptr));
      Check(back.has_value());
      if (event.data && event.data->empty()) event.data.reset();
      if (event.extensions) std::ranges::sort(*event.extensions);
      if (event.extensions && event.extensions->empty()) event.extensions.reset();
      Check(*back == event);
      break;
    }
    default: {
      const std::string bytes = in.text(256);
      Check(cloudevents::PercentDecode(cloudevents::PercentEncode(bytes)) == bytes);
      (void)cloudevents::PercentDecode(in.text(64));
      break;
    }
  }
  return 0;
}
