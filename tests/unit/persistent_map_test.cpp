// The routing snapshot's map: updates return a new map and leave the old one as it was.

#include "detail/persistent_map.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace wasmq::detail {
namespace {

TEST(PersistentMapTest, AnEmptyMapFindsNothing) {
  const PersistentMap<int> map;
  EXPECT_EQ(map.find("a"), nullptr);
  EXPECT_TRUE(map.empty());
  EXPECT_TRUE(map.erase("a").empty());
}

TEST(PersistentMapTest, UpdatesLeaveEarlierVersionsUnchanged) {
  const PersistentMap<int> empty;
  const auto one = empty.set("a", 1);
  const auto two = one.set("b", 2);
  const auto replaced = two.set("a", 10);
  const auto erased = replaced.erase("b");
  EXPECT_EQ(empty.find("a"), nullptr);
  EXPECT_EQ(*one.find("a"), 1);
  EXPECT_EQ(one.find("b"), nullptr);
  EXPECT_EQ(*two.find("a"), 1);
  EXPECT_EQ(*two.find("b"), 2);
  EXPECT_EQ(*replaced.find("a"), 10);
  EXPECT_EQ(replaced.size(), 2u);
  EXPECT_EQ(erased.find("b"), nullptr);
  EXPECT_EQ(*erased.find("a"), 10);
  EXPECT_EQ(erased.size(), 1u);
}

TEST(PersistentMapTest, FindEntryGivesTheStoredKeyBesideItsValue) {
  const auto map = PersistentMap<int>{}.set("a", 1).set("b", 2);
  const auto* entry = map.find_entry("b");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->first, "b");
  EXPECT_EQ(entry->second, 2);
  EXPECT_EQ(map.find_entry("c"), nullptr);
}

TEST(PersistentMapTest, AgreesWithStdMapOverRandomUpdates) {
  std::mt19937_64 random(42);
  std::map<std::string, int> expected;
  PersistentMap<int> map;
  for (int step = 0; step < 50000; ++step) {
    const std::string key = "k" + std::to_string(random() % 5000);
    if (random() % 3 == 0) {
      expected.erase(key);
      map = map.erase(key);
    } else {
      expected[key] = step;
      map = map.set(key, step);
    }
    ASSERT_EQ(map.size(), expected.size()) << step;
  }
  for (int k = 0; k < 5000; ++k) {
    const std::string key = "k" + std::to_string(k);
    const int* found = map.find(key);
    const auto it = expected.find(key);
    ASSERT_EQ(found != nullptr, it != expected.end()) << key;
    if (found != nullptr) {
      EXPECT_EQ(*found, it->second) << key;
    }
  }
}

}  // namespace
}  // namespace wasmq::detail
