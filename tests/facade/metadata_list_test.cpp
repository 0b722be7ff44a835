// A message's metadata: insertion order, unique keys, and constant-time add and remove — checked
// against a plain list that does everything the slow, obvious way.

#include <wasi/messaging/detail/metadata_list.hpp>
#include <wasi/messaging/types.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace wasi::messaging {
namespace {

using detail::MetadataList;
using Entries = std::vector<std::pair<std::string, std::string>>;

Entries entries_of(const MetadataList& list) {
  Entries out;
  list.ForEach([&](const std::string& key, const std::string& value) { out.emplace_back(key, value); });
  return out;
}

/// The obvious implementation: a linear scan for everything.
struct ReferenceList {
  Entries entries;
  void add(const std::string& key, const std::string& value) {
    auto found = std::ranges::find(entries, key, &std::pair<std::string, std::string>::first);
    if (found != entries.end()) {
      found->second = value;
    } else {
      entries.emplace_back(key, value);
    }
  }
  void remove(const std::string& key) {
    std::erase_if(entries, [&](const auto& entry) { return entry.first == key; });
  }
  [[nodiscard]] std::size_t bytes() const {
    std::size_t total = 0;
    for (const auto& [key, value] : entries) total += key.size() + value.size();
    return total;
  }
};

TEST(MetadataListTest, AddOverwritesInPlaceAndRemoveKeepsTheOrderOfTheRest) {
  MetadataList list;
  list.Add("a", "1");
  list.Add("b", "2");
  list.Add("c", "3");
  list.Add("a", "one");
  list.Remove("b");
  list.Remove("missing");
  EXPECT_EQ(entries_of(list), (Entries{{"a", "one"}, {"c", "3"}}));
  EXPECT_EQ(list.Size(), 2u);
  EXPECT_EQ(list.Bytes(), 6u);
  ASSERT_NE(list.Find("c"), nullptr);
  EXPECT_EQ(*list.Find("c"), "3");
  EXPECT_EQ(list.Find("b"), nullptr);
}

TEST(MetadataListTest, AssignKeepsTheFirstPositionAndTheLastValueOfADuplicate) {
  MetadataList list;
  const types::Metadata with_duplicates{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"", "empty key"}, {"", "again"}};
  list.Assign(with_duplicates);
  EXPECT_EQ(entries_of(list), (Entries{{"a", "3"}, {"b", "2"}, {"", "again"}}));
}

// Long enough to go through the index, with removals enough to compact it more than once.
TEST(MetadataListTest, MatchesAPlainListThroughThousandsOfRandomOperations) {
  std::mt19937 random(20261130);
  MetadataList list;
  ReferenceList reference;
  for (int step = 0; step < 20'000; ++step) {
    std::string key = "k";
    key += std::to_string(random() % 300);
    switch (random() % 4) {
      case 0:
      case 1: {
        const std::string value = std::to_string(step);
        list.Add(key, value);
        reference.add(key, value);
        break;
      }
      case 2:
        list.Remove(key);
        reference.remove(key);
        break;
      default: {
        const std::string* found = list.Find(key);
        auto expected = std::ranges::find(reference.entries, key, &std::pair<std::string, std::string>::first);
        ASSERT_EQ(found != nullptr, expected != reference.entries.end()) << "step " << step;
        if (found != nullptr) {
          ASSERT_EQ(*found, expected->second) << "step " << step;
        }
      }
    }
    ASSERT_EQ(list.Size(), reference.entries.size()) << "step " << step;
    ASSERT_EQ(list.Bytes(), reference.bytes()) << "step " << step;
    if (step % 97 == 0) {
      ASSERT_EQ(entries_of(list), reference.entries) << "step " << step;
    }
  }
  EXPECT_EQ(entries_of(list), reference.entries);
}

// Short lists have no index and long ones their own: a copy must find keys and change alone.
TEST(MetadataListTest, ACopyOfAShortOrIndexedListIsIndependent) {
  for (const std::size_t length : {std::size_t{3}, MetadataList::index_from + 5}) {
    MetadataList original;
    for (std::size_t i = 0; i < length; ++i) original.Add("k" + std::to_string(i), std::to_string(i));
    MetadataList copy(original);
    MetadataList assigned;
    assigned.Add("stale", "x");
    assigned = original;
    original.Remove("k0");
    original.Add("k1", "changed");
    original.Add("new", "n");
    for (const MetadataList* list : {&copy, &assigned}) {
      EXPECT_EQ(list->Size(), length) << length;
      ASSERT_NE(list->Find("k0"), nullptr) << length;
      EXPECT_EQ(*list->Find("k1"), "1") << length;
      EXPECT_EQ(list->Find("new"), nullptr) << length;
      EXPECT_EQ(list->Find("stale"), nullptr) << length;
      EXPECT_EQ(*list->Find("k" + std::to_string(length - 1)), std::to_string(length - 1)) << length;
    }
    copy.Remove("k2");  // through the copy's own index when it has one
    EXPECT_EQ(copy.Find("k2"), nullptr);
    EXPECT_NE(assigned.Find("k2"), nullptr);
    EXPECT_NE(original.Find("k2"), nullptr);
  }
}

TEST(MetadataListTest, AMessagesSetMetadataCollapsesDuplicateKeys) {
  types::Message message(std::span<const std::uint8_t>{});
  const types::Metadata with_duplicates{{"k", "1"}, {"k", "2"}};
  message.SetMetadata(with_duplicates);
  EXPECT_EQ(*message.Metadata(), (types::Metadata{{"k", "2"}}));
  EXPECT_EQ(message.MetadataEntries(), 1u);
  EXPECT_EQ(message.SizeBytes(), 2u);
}

}  // namespace
}  // namespace wasi::messaging
