#include <wasmq/name.hpp>
#include <wasmq/utf8.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wasmq {
namespace {

TEST(NameTest, AcceptsDottedTokens) {
  EXPECT_TRUE(validate_name("orders"));
  EXPECT_TRUE(validate_name("orders.eu.created"));
  EXPECT_TRUE(validate_name("a-b_c.d$e"));
}

TEST(NameTest, IsValidNameSaysWhatValidateNameSays) {
  // Plain ASCII names take the one-pass check; the others (UTF-8, wildcards, bad bytes, a name
  // at and past the length limit) the full one.
  const std::vector<std::string> names = {"orders",
                                          "orders.eu.created",
                                          "a-b_c.d$e",
                                          "commandes.\xc3\xa9t\xc3\xa9",
                                          "a.*",
                                          "a.>",
                                          "*",
                                          "",
                                          ".",
                                          "a.",
                                          "a..b",
                                          "a b",
                                          "a\xff",
                                          std::string(max_name_length, 'x'),
                                          std::string(max_name_length + 1, 'x')};
  for (const std::string& name : names) {
    EXPECT_EQ(is_valid_name(name), validate_name(name).has_value()) << testing::PrintToString(name);
  }
  EXPECT_TRUE(is_valid_name("commandes.\xc3\xa9t\xc3\xa9"));
  EXPECT_FALSE(is_valid_name("a.*"));
}

TEST(NameTest, RejectsEmptyNameAndEmptyTokens) {
  for (std::string bad : {"", ".", "a.", ".a", "a..b"}) {
    auto result = validate_name(bad);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code, Errc::invalid_name) << bad;
  }
}

TEST(NameTest, RejectsSpacesAndControlCharacters) {
  for (const std::string& bad : std::vector<std::string>{"a b", "a\tb", std::string("a\0b", 3), "a\x7f", "new\nline"}) {
    auto result = validate_name(bad);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::invalid_name);
  }
  EXPECT_NE(validate_name("a\x01").error().message().find("\\x01"), std::string::npos)
      << "control characters are shown escaped in the message";
}

TEST(NameTest, AcceptsUtf8AndRejectsEverythingThatIsNotUtf8) {
  EXPECT_TRUE(validate_name("commandes.\xc3\xa9t\xc3\xa9"));    // é, two bytes
  EXPECT_TRUE(validate_name("\xe2\x82\xac.\xf0\x9f\x93\xa6"));  // €, three; 📦, four
  EXPECT_TRUE(validate_pattern("\xe6\xb3\xa8\xe6\x96\x87.*"));  // 注文.*
  const std::vector<std::string> bad = {
      "a\xff",             // never valid
      "a\x80",             // a lone continuation byte
      "a\xc3",             // truncated two-byte sequence
      "a\xe2\x82",         // truncated three-byte sequence
      "\xc0\xaf",          // overlong '/'
      "\xe0\x80\xaf",      // overlong, three bytes
      "\xf0\x80\x80\xaf",  // overlong, four bytes
      "\xed\xa0\x80",      // a UTF-16 surrogate (U+D800)
      "\xf4\x90\x80\x80",  // above U+10FFFF
      "\xf5\x80\x80\x80",  // a lead byte that cannot start anything
      "\xc3\x28",          // a lead byte followed by ASCII
  };
  for (const auto& name : bad) {
    auto as_name = validate_name(name);
    ASSERT_FALSE(as_name) << testing::PrintToString(name);
    EXPECT_EQ(as_name.error().code, Errc::invalid_name);
    EXPECT_NE(as_name.error().message().find("UTF-8"), std::string::npos) << as_name.error().message();
    EXPECT_TRUE(is_valid_utf8(as_name.error().message())) << "the error's sentence escapes the bad bytes";
    EXPECT_FALSE(validate_pattern(name + ".>")) << testing::PrintToString(name);
  }
}

TEST(Utf8Test, FindsANonAsciiByteAtEveryPositionOfEveryLength) {
  // ASCII text is decided a word at a time, the last word overlapping the one before it: a byte
  // that is not ASCII must be seen wherever it sits, including in that overlap and in texts too
  // short for a word.
  for (std::size_t length = 1; length <= 40; ++length) {
    const std::string ascii(length, 'a');
    EXPECT_TRUE(is_valid_utf8(ascii)) << length;
    for (std::size_t at = 0; at < length; ++at) {
      std::string bad = ascii;
      bad[at] = '\xff';  // never valid in UTF-8
      EXPECT_FALSE(is_valid_utf8(bad)) << "0xFF at " << at << " of " << length;
      std::string lone = ascii;
      lone[at] = '\x80';  // a continuation byte with no lead
      EXPECT_FALSE(is_valid_utf8(lone)) << "0x80 at " << at << " of " << length;
      if (at + 1 < length) {
        std::string two = ascii;
        two[at] = '\xc3';  // U+00E9, two bytes: valid
        two[at + 1] = '\xa9';
        EXPECT_TRUE(is_valid_utf8(two)) << "U+00E9 at " << at << " of " << length;
        two[at + 1] = 'a';  // a lead byte without its continuation
        EXPECT_FALSE(is_valid_utf8(two)) << "a truncated sequence at " << at << " of " << length;
      }
    }
  }
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8(std::string(1, '\0')));
}

TEST(NameTest, RejectsWildcardsInNames) {
  for (std::string bad : {"*", ">", "a.*", "a.>", "a*b"}) {
    auto result = validate_name(bad);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code, Errc::wildcard_in_name) << bad;
  }
}

TEST(NameTest, RejectsOverlongNames) {
  EXPECT_TRUE(validate_name(std::string(max_name_length, 'a')));
  EXPECT_EQ(validate_name(std::string(max_name_length + 1, 'a')).error().code, Errc::invalid_name);
}

TEST(PatternTest, AcceptsWholeTokenWildcards) {
  EXPECT_TRUE(validate_pattern("a.*.c"));
  EXPECT_TRUE(validate_pattern("*"));
  EXPECT_TRUE(validate_pattern(">"));
  EXPECT_TRUE(validate_pattern("a.>"));
  EXPECT_TRUE(validate_pattern("*.*.>"));
  EXPECT_TRUE(validate_pattern("plain.name"));
}

TEST(PatternTest, RejectsMisplacedWildcards) {
  for (std::string bad : {"a.>.c", ">.a", "a*", "a.b>", "*a.b"}) {
    auto result = validate_pattern(bad);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code, Errc::invalid_pattern) << bad;
  }
  EXPECT_EQ(validate_pattern("a..*").error().code, Errc::invalid_name);
}

TEST(PatternTest, MatchesLikeNats) {
  EXPECT_TRUE(matches("a.b", "a.b"));
  EXPECT_FALSE(matches("a.b", "a.b.c"));
  EXPECT_TRUE(matches("a.*", "a.b"));
  EXPECT_FALSE(matches("a.*", "a"));
  EXPECT_FALSE(matches("a.*", "a.b.c"));
  EXPECT_TRUE(matches("a.>", "a.b"));
  EXPECT_TRUE(matches("a.>", "a.b.c.d"));
  EXPECT_FALSE(matches("a.>", "a"));
  EXPECT_TRUE(matches(">", "x"));
  EXPECT_FALSE(matches(">", ""));
  EXPECT_TRUE(matches("*.b.*", "a.b.c"));
  EXPECT_FALSE(matches("*.b.*", "a.x.c"));
}

TEST(PatternTest, CoversComparesPatternsAsSetsOfNames) {
  EXPECT_TRUE(covers(">", "a.b.*"));
  EXPECT_TRUE(covers("orders.>", "orders.*"));
  EXPECT_TRUE(covers("orders.>", "orders.eu.new"));
  EXPECT_TRUE(covers("orders.*", "orders.new"));
  EXPECT_TRUE(covers("orders.*", "orders.*"));
  EXPECT_TRUE(covers("*.new", "orders.new"));
  EXPECT_FALSE(covers("orders.*", "orders.>"));
  EXPECT_FALSE(covers("orders.new", "orders.*"));
  EXPECT_FALSE(covers("orders.*", "orders"));
  EXPECT_FALSE(covers("orders.>", "orders"));
  EXPECT_FALSE(covers("orders.*", "orders.a.b"));
  EXPECT_FALSE(covers("billing.>", "orders.x"));
}

TEST(PatternTest, HasWildcardLooksAtWholeTokens) {
  EXPECT_TRUE(has_wildcard("a.*"));
  EXPECT_TRUE(has_wildcard(">"));
  EXPECT_FALSE(has_wildcard("a.b"));
}

}  // namespace
}  // namespace wasmq
