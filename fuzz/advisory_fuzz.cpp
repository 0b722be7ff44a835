// JetStream's max-deliveries advisory from arbitrary bytes: never a crash, a hang or an exception;
// what parses once parses the same after being written back out as JSON.

#include "advisory.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using wasmq::backends::nats_detail::ParseMaxDeliveriesAdvisory;
  const auto advisory = ParseMaxDeliveriesAdvisory(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!advisory) return 0;
  const nlohmann::json again = {{"type", "io.nats.jetstream.advisory.v1.max_deliver"},
                                {"stream", advisory->stream},
                                {"consumer", advisory->consumer},
                                {"stream_seq", advisory->stream_seq},
                                {"deliveries", advisory->deliveries}};
  // The parsed strings may hold any bytes; dump() replaces invalid UTF-8 rather than throwing.
  const auto reparsed =
      ParseMaxDeliveriesAdvisory(again.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (!reparsed || reparsed->stream_seq != advisory->stream_seq || reparsed->deliveries != advisory->deliveries) {
    std::abort();
  }
  return 0;
}
