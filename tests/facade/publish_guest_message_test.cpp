// Backend::PublishGuestMessage: a guest's message that is only small data goes to the backend's
// PublishBytes (the embedded broker copies the bytes straight into its message); anything else
// goes to Publish as a broker Message, which moves a large payload's buffer instead of copying it.

#include "facade/facade_fixture.hpp"

#include <wasmq/host/host.hpp>

#include <string>
#include <vector>

namespace wasi::messaging {

namespace host = ::wasmq::host;
namespace {

using testing_support::bytes;

/// A backend that keeps what reached each of its two publishing entry points. PublishBytes is
/// not overridden: the default's Message is what Publish sees.
class TwoDoorBackend : public host::Backend {
 public:
  std::expected<void, types::Error> Publish(wasmq::Message&& message) override {
    published.push_back(std::move(message));
    return {};
  }
  std::expected<std::vector<types::Message>, types::Error> Request(wasmq::Message&&,
                                                                   std::optional<std::chrono::milliseconds>,
                                                                   std::uint32_t) override {
    return std::unexpected(types::Error::Other("not used"));
  }
  std::expected<SubscriptionHandle, types::Error> Subscribe(const host::Subscription&, DeliveryHandler) override {
    return std::unexpected(types::Error::Other("not used"));
  }

  std::vector<wasmq::Message> published;
};

/// The same, with a PublishBytes of its own.
class BytesDoorBackend final : public TwoDoorBackend {
 public:
  std::expected<void, types::Error> PublishBytes(std::string_view topic,
                                                 std::span<const std::uint8_t> payload) override {
    as_bytes.emplace_back(topic, std::string(payload.begin(), payload.end()));
    return {};
  }

  std::vector<std::pair<std::string, std::string>> as_bytes;
};

TEST(PublishGuestMessageTest, OnlySmallDataGoesToPublishBytes) {
  BytesDoorBackend backend;
  const std::string at_limit(wasmq::Payload::inline_capacity, 'a');
  ASSERT_TRUE(backend.PublishGuestMessage("t.small", types::Message(bytes(at_limit))));
  ASSERT_EQ(backend.as_bytes.size(), 1U);
  EXPECT_EQ(backend.as_bytes[0], std::make_pair(std::string("t.small"), at_limit));
  EXPECT_TRUE(backend.published.empty());
}

TEST(PublishGuestMessageTest, DataPastTheInlineSizeContentTypeOrMetadataGoToPublish) {
  BytesDoorBackend backend;
  const std::string past_limit(wasmq::Payload::inline_capacity + 1, 'b');
  types::Message large(bytes(past_limit));
  const std::uint8_t* buffer = large.DataView().data();
  ASSERT_TRUE(backend.PublishGuestMessage("t.large", std::move(large)));
  types::Message typed(bytes("{}"));
  typed.SetContentType("application/json");
  ASSERT_TRUE(backend.PublishGuestMessage("t.typed", std::move(typed)));
  types::Message tagged(bytes("x"));
  tagged.AddMetadata("k", "v");
  ASSERT_TRUE(backend.PublishGuestMessage("t.tagged", std::move(tagged)));

  EXPECT_TRUE(backend.as_bytes.empty());
  ASSERT_EQ(backend.published.size(), 3U);
  EXPECT_EQ(backend.published[0].topic, "t.large");
  EXPECT_EQ(backend.published[0].payload.bytes().data(), buffer) << "the large buffer moves, uncopied";
  EXPECT_EQ(backend.published[1].content_type, "application/json");
  EXPECT_EQ(backend.published[2].metadata, (wasmq::Metadata{{"k", "v"}}));
}

TEST(PublishGuestMessageTest, ABackendWithoutPublishBytesGetsTheSameMessageThroughPublish) {
  TwoDoorBackend backend;
  ASSERT_TRUE(backend.PublishGuestMessage("t.plain", types::Message(bytes("plain"))));
  ASSERT_EQ(backend.published.size(), 1U);
  const wasmq::Message& message = backend.published[0];
  EXPECT_EQ(message.topic, "t.plain");
  EXPECT_EQ(message.payload.as_string(), "plain");
  EXPECT_FALSE(message.content_type);
  EXPECT_TRUE(message.metadata.empty());
  EXPECT_FALSE(message.reply_to);
}

}  // namespace
}  // namespace wasi::messaging
