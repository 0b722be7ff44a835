// The publish path's inline name check, which reads eight bytes at a time: it agrees with the
// rule written one byte at a time, at every length and position and across word boundaries, and
// whatever it accepts the full validation accepts too.

#include "detail/plain_name.hpp"

#include <wasmq/name.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>

namespace wasmq::detail {
namespace {

// The rule, one byte at a time: printable ASCII except `*` and `>`, dots between non-empty tokens.
bool PlainByBytes(std::string_view text) {
  if (text.empty() || text.size() > max_name_length) return false;
  char previous = '.';  // the start counts as a separator: a leading dot is an empty token
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte > 0x7e || c == '*' || c == '>') return false;
    if (c == '.' && previous == '.') return false;
    previous = c;
  }
  return previous != '.';
}

void ExpectAgrees(const std::string& text) {
  ASSERT_EQ(plain_name(text), PlainByBytes(text)) << "\"" << text << "\" (" << text.size() << " bytes)";
  if (plain_name(text)) {
    ASSERT_TRUE(validate_name(text).has_value()) << text;
  }
}

TEST(PlainNameTest, AgreesOnEveryStringOfLettersAndDotsUpToEighteenBytes) {
  // Every placement of dots, so every pair of neighbours inside a word, across two words and in
  // the overlapping last word is seen with each of the four combinations.
  for (std::size_t length = 0; length <= 18; ++length) {
    for (std::uint32_t bits = 0; bits < (1U << length); ++bits) {
      std::string text(length, 'a');
      for (std::size_t i = 0; i < length; ++i) {
        if ((bits >> i) & 1U) text[i] = '.';
      }
      ExpectAgrees(text);
    }
  }
}

TEST(PlainNameTest, AgreesOnEveryByteValueAtEveryPosition) {
  const std::string base = "orders.eu.west.shipping.created.v2.x";  // 36 bytes, dots throughout
  for (std::size_t length = 1; length <= base.size(); ++length) {
    for (std::size_t position = 0; position < length; ++position) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string text = base.substr(0, length);
        text[position] = static_cast<char>(byte);
        ExpectAgrees(text);
      }
    }
  }
}

TEST(PlainNameTest, AgreesOnRandomTextUpToPastTheLengthLimit) {
  std::mt19937 random(20261203);
  const std::string alphabet = "ab.-_9~!*> \x7f\x80\xff\t";
  for (int round = 0; round < 200000; ++round) {
    const std::size_t length = random() % (max_name_length + 8);
    std::string text(length, 'a');
    // Mostly letters, so that long texts still come out plain now and then.
    for (char& c : text) {
      if (random() % 8 == 0) c = alphabet[random() % alphabet.size()];
    }
    ExpectAgrees(text);
  }
}

TEST(PlainNameTest, TheLengthLimitIsInclusive) {
  EXPECT_TRUE(plain_name(std::string(max_name_length, 'a')));
  EXPECT_FALSE(plain_name(std::string(max_name_length + 1, 'a')));
  EXPECT_FALSE(plain_name(""));
}

TEST(PlainNameTest, ReadsNoByteOutsideTheText) {
  // Under AddressSanitizer, a read past either end of a heap buffer of each length fails here.
  for (std::size_t length = 1; length <= 40; ++length) {
    const auto buffer = std::make_unique<char[]>(length);
    std::fill_n(buffer.get(), length, 'a');
    EXPECT_TRUE(plain_name(std::string_view(buffer.get(), length)));
  }
}

}  // namespace
}  // namespace wasmq::detail
