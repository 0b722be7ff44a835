// CloudEvents in the binary content mode: the mapping revision R1's host uses on every backend.

#include <wasmq/host/cloudevents.hpp>
#include <wasmq/host/host.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wasmq::host::cloudevents {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;
using wasi::messaging::r1::types::Event;

Event Minimal() { return {.specversion = "1.0", .ty = "t", .source = "/s", .id = "1"}; }

wasi::messaging::types::Message Delivered(wasmq::Message message) {
  return Backend::Delivered(std::move(message), nullptr);
}

TEST(CloudEventsTest, HeaderValuesArePercentEncodedAsTheBindingsSay) {
  EXPECT_EQ(PercentEncode("plain-value_1.0"), "plain-value_1.0");
  EXPECT_EQ(PercentEncode(" a b "), "%20a%20b%20");
  EXPECT_EQ(PercentEncode("100% \"sure\""), "100%25%20%22sure%22");
  EXPECT_EQ(PercentEncode("café\n"), "caf%C3%A9%0A");
  EXPECT_EQ(PercentDecode("caf%C3%A9%0a"), "café\n");
  EXPECT_EQ(PercentDecode("%4"), std::nullopt);
  EXPECT_EQ(PercentDecode("%zz"), std::nullopt);
  EXPECT_EQ(PercentDecode("%"), std::nullopt);
}

TEST(CloudEventsTest, AttributesBecomeCePrefixedEntriesAndDataThePayload) {
  Event event = Minimal();
  event.subject = "a b";
  event.datacontenttype = "text/plain";
  event.data = std::vector<std::uint8_t>{'h', 'i'};
  event.extensions = {{{"traceparent", "00-1"}}};
  auto message = ToMessage(event, "orders");
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->topic, "orders");
  EXPECT_EQ(message->content_type, "text/plain");
  EXPECT_EQ(message->payload.size(), 2U);
  EXPECT_THAT(message->metadata, Contains(Pair("ce-specversion", "1.0")));
  EXPECT_THAT(message->metadata, Contains(Pair("ce-type", "t")));
  EXPECT_THAT(message->metadata, Contains(Pair("ce-subject", "a%20b")));
  EXPECT_THAT(message->metadata, Contains(Pair("ce-traceparent", "00-1")));
}

TEST(CloudEventsTest, WhatIsNotAnEventIsRefusedWithTheReason) {
  const auto refused = [](Event event) {
    auto message = ToMessage(event, "t");
    return message ? std::string("accepted") : message.error();
  };
  Event no_source = Minimal();
  no_source.source.clear();
  EXPECT_THAT(refused(no_source), HasSubstr("'source' is empty"));
  Event upper = Minimal();
  upper.extensions = {{{"Trace", "x"}}};
  EXPECT_THAT(refused(upper), HasSubstr("lowercase letters and digits"));
  Event too_long = Minimal();
  too_long.extensions = {{{std::string(21, 'a'), "x"}}};
  EXPECT_THAT(refused(too_long), HasSubstr("1 to 20"));
  Event reserved = Minimal();
  reserved.extensions = {{{"subject", "x"}}};
  EXPECT_THAT(refused(reserved), HasSubstr("attribute's"));
  Event twice = Minimal();
  twice.extensions = {{{"a", "1"}, {"a", "2"}}};
  EXPECT_THAT(refused(twice), HasSubstr("given twice"));
  Event not_utf8 = Minimal();
  not_utf8.time = std::string("\xff");
  EXPECT_THAT(refused(not_utf8), HasSubstr("not UTF-8"));
}

TEST(CloudEventsTest, ADeliveredMessageNeedsTheRequiredAttributes) {
  wasmq::Message message{.topic = "t", .metadata = {{"ce-specversion", "1.0"}, {"ce-type", "t"}, {"ce-source", "s"}}};
  auto event = FromMessage(Delivered(message));
  ASSERT_FALSE(event);
  EXPECT_THAT(event.error(), HasSubstr("no 'ce-id'"));
  message.metadata.emplace_back("ce-id", "%zz");
  EXPECT_THAT(FromMessage(Delivered(message)).error(), HasSubstr("does not decode"));
}

TEST(CloudEventsTest, EmptyDataIsNoDataAndOnlyCeEntriesThatNameExtensionsAreExtensions) {
  wasmq::Message message{.topic = "t",
                         .metadata = {{"ce-specversion", "1.0"},
                                      {"ce-type", "t"},
                                      {"ce-source", "s"},
                                      {"ce-id", "1"},
                                      {"ce-zeta", "z"},
                                      {"ce-alpha", "a"},
                                      {"ce-datacontenttype", "spoofed"},
                                      {"ce-Bad-Name", "x"},
                                      {"wasmq-dl-reason", "rejected"}}};
  auto event = FromMessage(Delivered(message));
  ASSERT_TRUE(event) << event.error();
  EXPECT_EQ(event->data, std::nullopt);
  EXPECT_EQ(event->datacontenttype, std::nullopt);
  ASSERT_TRUE(event->extensions);
  EXPECT_EQ(*event->extensions, (std::vector<std::tuple<std::string, std::string>>{{"alpha", "a"}, {"zeta", "z"}}));
}

}  // namespace
}  // namespace wasmq::host::cloudevents
