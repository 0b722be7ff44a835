#include <wasmq/payload.hpp>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace wasmq {
namespace {

std::string text_of(std::size_t size) {
  std::string text(size, '\0');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
  return text;
}

TEST(PayloadTest, UpToTheInlineCapacityTheBytesLiveInline) {
  for (std::size_t size : {std::size_t{1}, std::size_t{16}, Payload::inline_capacity}) {
    const Payload payload = Payload::copy_of(text_of(size));
    EXPECT_TRUE(payload.is_inline()) << size;
    EXPECT_EQ(payload.as_string(), text_of(size));
    EXPECT_FALSE(payload.shares_buffer_with(payload)) << "an inline payload has no shared buffer";
  }
}

TEST(PayloadTest, PastTheInlineCapacityCopiesShareOneBuffer) {
  const Payload payload = Payload::copy_of(text_of(Payload::inline_capacity + 1));
  EXPECT_FALSE(payload.is_inline());
  const Payload copy = payload;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the test
  EXPECT_TRUE(copy.shares_buffer_with(payload));
  EXPECT_EQ(copy.bytes().data(), payload.bytes().data());
  EXPECT_EQ(copy.as_string(), text_of(Payload::inline_capacity + 1));
}

TEST(PayloadTest, AVectorIsTakenWithoutACopyWhateverItsSize) {
  std::vector<std::uint8_t> bytes = {1, 2, 3};
  const std::uint8_t* data = bytes.data();
  const Payload payload(std::move(bytes));
  EXPECT_FALSE(payload.is_inline());
  EXPECT_EQ(payload.bytes().data(), data);
}

TEST(PayloadTest, CopiesAndMovesKeepTheBytesInBothForms) {
  for (std::size_t size : {std::size_t{0}, std::size_t{5}, Payload::inline_capacity, std::size_t{1000}}) {
    const std::string text = text_of(size);
    Payload original = Payload::copy_of(text);
    Payload copied(original);
    Payload moved(std::move(original));
    EXPECT_EQ(copied.as_string(), text) << size;
    EXPECT_EQ(moved.as_string(), text) << size;
    Payload assigned = Payload::copy_of("other");
    assigned = copied;
    EXPECT_EQ(assigned.as_string(), text) << size;
    Payload move_assigned = Payload::copy_of(text_of(2000));
    move_assigned = std::move(moved);
    EXPECT_EQ(move_assigned.as_string(), text) << size;
    auto& self = assigned;
    assigned = self;
    EXPECT_EQ(assigned.as_string(), text) << size;
    EXPECT_EQ(Payload().size(), 0u);
    EXPECT_TRUE(Payload().empty());
  }
}

}  // namespace
}  // namespace wasmq
