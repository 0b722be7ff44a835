// The route cache's inline comparison of a topic with the last one routed: it agrees with
// std::string_view's == at every length, for every position of a difference, and reads no byte
// outside either text.

#include "detail/same_text.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <string>

namespace wasmq::detail {
namespace {

TEST(SameTextTest, AgreesWithEqualityForEveryPositionOfADifference) {
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string a(length, 'a');
    for (std::size_t i = 0; i < length; ++i) a[i] = static_cast<char>('a' + i % 26);
    const std::string same = a;
    EXPECT_TRUE(same_text(a, same)) << length;
    for (std::size_t position = 0; position < length; ++position) {
      for (const char other : {'\0', 'Z', '\xff'}) {
        std::string b = a;
        b[position] = other;
        ASSERT_EQ(same_text(a, b), a == b) << length << " bytes, differing at " << position;
      }
    }
  }
}

TEST(SameTextTest, TextsOfDifferentLengthsDiffer) {
  EXPECT_FALSE(same_text("jobs", "jobs."));
  EXPECT_FALSE(same_text("", "a"));
  EXPECT_FALSE(same_text("orders.eu.created", "orders.eu.create"));
  EXPECT_TRUE(same_text("", ""));
}

TEST(SameTextTest, ReadsNoByteOutsideEitherText) {
  // Under AddressSanitizer, a read past either end of a heap buffer of each length fails here.
  for (std::size_t length = 1; length <= 24; ++length) {
    const auto a = std::make_unique<char[]>(length);
    const auto b = std::make_unique<char[]>(length);
    for (std::size_t i = 0; i < length; ++i) a[i] = b[i] = 'x';
    EXPECT_TRUE(same_text({a.get(), length}, {b.get(), length}));
  }
}

}  // namespace
}  // namespace wasmq::detail
