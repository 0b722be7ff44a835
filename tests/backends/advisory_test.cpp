// JetStream's max-deliveries advisory, parsed from JSON that anything able to publish on the
// advisory subject may have sent.

#include "advisory.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wasmq::backends::nats_detail {
namespace {

// As nats-server 2.9 sends it (fields it adds later are ignored).
constexpr std::string_view server_advisory =
    R"({"type":"io.nats.jetstream.advisory.v1.max_deliver","id":"kdNsGkQmYVgd1t2r3Kr1Xy",)"
    R"("timestamp":"2026-11-30T10:00:00.000000001Z","stream":"WASMQ_orders","consumer":"wasmq",)"
    R"("stream_seq":42,"deliveries":3,"domain":"hub"})";

TEST(AdvisoryTest, ReadsTheServersAdvisory) {
  auto advisory = ParseMaxDeliveriesAdvisory(server_advisory);
  ASSERT_TRUE(advisory);
  EXPECT_EQ(advisory->stream, "WASMQ_orders");
  EXPECT_EQ(advisory->consumer, "wasmq");
  EXPECT_EQ(advisory->stream_seq, 42u);
  EXPECT_EQ(advisory->deliveries, 3u);
}

TEST(AdvisoryTest, ReadsEscapesAndWhitespaceAsJsonDoes) {
  auto advisory = ParseMaxDeliveriesAdvisory(
      "{ \"stream\" : \"S\\u0031\", \"type\": \"io.nats.jetstream.advisory.v1.max_deliver\",\n"
      "  \"consumer\": \"c\\\"q\", \"stream_seq\": 7 }");
  ASSERT_TRUE(advisory);
  EXPECT_EQ(advisory->stream, "S1");
  EXPECT_EQ(advisory->consumer, "c\"q");
  EXPECT_EQ(advisory->deliveries, 0u) << "optional";
}

TEST(AdvisoryTest, AnythingElseIsNotAnAdvisory) {
  const std::string valid_rest = R"("stream":"S","consumer":"C","stream_seq":1})";
  for (const std::string& body : {
           std::string(""),
           std::string("not json"),
           std::string(R"(["io.nats.jetstream.advisory.v1.max_deliver"])"),
           std::string(R"({"type":"io.nats.jetstream.advisory.v1.terminated",)") + valid_rest,
           std::string(R"({"type":"io.nats.jetstream.advisory.v1.max_deliver","stream":"S","consumer":"C"})"),
           std::string(
               R"({"type":"io.nats.jetstream.advisory.v1.max_deliver","stream":1,"consumer":"C","stream_seq":1})"),
           std::string(
               R"({"type":"io.nats.jetstream.advisory.v1.max_deliver","stream":"S","consumer":"C","stream_seq":-1})"),
           std::string(
               R"({"type":"io.nats.jetstream.advisory.v1.max_deliver","stream":"S","consumer":"C","stream_seq":"1"})"),
           std::string(
               R"({"type":"io.nats.jetstream.advisory.v1.max_deliver","stream":"S","consumer":"C","stream_seq":1.5})"),
           std::string(R"({"type":"io.nats.jetstream.advisory.v1.max_deliver",)") + valid_rest.substr(0, 20),
           std::string(R"({"stream_seq":1,"x":")") + std::string(max_advisory_bytes, 'x') + "\"}",
           std::string(100'000, '['),
       }) {
    EXPECT_FALSE(ParseMaxDeliveriesAdvisory(body)) << body.substr(0, 120);
  }
}

}  // namespace
}  // namespace wasmq::backends::nats_detail
