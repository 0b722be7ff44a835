#pragma once
// An immutable map from strings to values whose updates return a new map sharing all but the
// changed path with the old one (a hash array mapped trie: 32-way branches on 5 bits of the hash
// at a time, leaves holding the entries of one full hash). A lookup follows about log32(n) nodes;
// an update copies that path — so the routing snapshot changes in O(log n) for one subscribe or
// unsubscribe, not O(n), while any number of readers keep using older snapshots without locks.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wasmq::detail {

template <class Value>
class PersistentMap {
 public:
  using Entry = std::pair<std::string, Value>;

  /// The value under `key`, or null. Valid while this map (or a copy of it) lives.
  [[nodiscard]] const Value* find(std::string_view key) const noexcept {
    const Entry* entry = find_entry(key);
    return entry != nullptr ? &entry->second : nullptr;
  }

  /// The entry (key and value) under `key`, or null. Valid while this map (or a copy of it) lives.
  [[nodiscard]] const Entry* find_entry(std::string_view key) const noexcept {
    const std::size_t hash = hash_of(key);
    const Node* node = root_.get();
    for (unsigned shift = 0; node != nullptr; shift += bits) {
      if (node->leaf) {
        if (node->hash != hash) return nullptr;
        for (const Entry& entry : node->entries) {
          if (entry.first == key) return &entry;
        }
        return nullptr;
      }
      const std::uint32_t bit = std::uint32_t{1} << ((hash >> shift) & mask);
      if ((node->bitmap & bit) == 0) return nullptr;
      node = node->children[position(node->bitmap, bit)].get();
    }
    return nullptr;
  }

  /// A map with `key` set to `value` (replacing what was there).
  [[nodiscard]] PersistentMap set(std::string_view key, Value value) const {
    bool added = false;
    PersistentMap result;
    result.root_ = insert(root_, hash_of(key), 0, key, std::move(value), added);
    result.size_ = size_ + (added ? 1 : 0);
    return result;
  }

  /// A map without `key` (this map's root when it was not there).
  [[nodiscard]] PersistentMap erase(std::string_view key) const {
    bool removed = false;
    PersistentMap result;
    result.root_ = remove(root_, hash_of(key), 0, key, removed);
    result.size_ = size_ - (removed ? 1 : 0);
    return result;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

 private:
  static constexpr unsigned bits = 5;
  static constexpr std::size_t mask = (std::size_t{1} << bits) - 1;

  struct Node;
  using NodePtr = std::shared_ptr<const Node>;
  struct Node {
    bool leaf = false;
    std::uint32_t bitmap = 0;       // branch: which of the 32 children exist
    std::vector<NodePtr> children;  // branch: in bit order
    std::size_t hash = 0;           // leaf: the full hash of every entry
    std::vector<Entry> entries;     // leaf: one per key (several on a collision)
  };

  static std::size_t hash_of(std::string_view key) noexcept { return std::hash<std::string_view>{}(key); }
  static std::size_t position(std::uint32_t bitmap, std::uint32_t bit) noexcept {
    return static_cast<std::size_t>(std::popcount(bitmap & (bit - 1)));
  }
  static NodePtr leaf_of(std::size_t hash, std::string_view key, Value value) {
    auto leaf = std::make_shared<Node>();
    leaf->leaf = true;
    leaf->hash = hash;
    leaf->entries.emplace_back(std::string(key), std::move(value));
    return leaf;
  }

  // Returns the node that replaces `node` on the path to `key`. Two different hashes differ in
  // some 5-bit group below bit 64, so splitting leaves ends before `shift` passes 64.
  static NodePtr insert(const NodePtr& node, std::size_t hash, unsigned shift, std::string_view key, Value value,
                        bool& added) {
    if (!node) {
      added = true;
      return leaf_of(hash, key, std::move(value));
    }
    if (node->leaf) {
      if (node->hash == hash) {
        auto copy = std::make_shared<Node>(*node);
        for (auto& [name, existing] : copy->entries) {
          if (name == key) {
            existing = std::move(value);
            return copy;
          }
        }
        copy->entries.emplace_back(std::string(key), std::move(value));
        added = true;
        return copy;
      }
      // Two hashes share this path so far: a branch that holds the old leaf, then insert below it.
      auto branch = std::make_shared<Node>();
      branch->bitmap = std::uint32_t{1} << ((node->hash >> shift) & mask);
      branch->children.push_back(node);
      return insert(branch, hash, shift, key, std::move(value), added);
    }
    const std::uint32_t bit = std::uint32_t{1} << ((hash >> shift) & mask);
    const std::size_t at = position(node->bitmap, bit);
    auto copy = std::make_shared<Node>(*node);
    if ((node->bitmap & bit) != 0) {
      copy->children[at] = insert(node->children[at], hash, shift + bits, key, std::move(value), added);
    } else {
      copy->bitmap |= bit;
      copy->children.insert(copy->children.begin() + static_cast<std::ptrdiff_t>(at),
                            leaf_of(hash, key, std::move(value)));
      added = true;
    }
    return copy;
  }

  static NodePtr remove(const NodePtr& node, std::size_t hash, unsigned shift, std::string_view key, bool& removed) {
    if (!node) return node;
    if (node->leaf) {
      if (node->hash != hash) return node;
      for (std::size_t i = 0; i < node->entries.size(); ++i) {
        if (node->entries[i].first != key) continue;
        removed = true;
        if (node->entries.size() == 1) return nullptr;
        auto copy = std::make_shared<Node>(*node);
        copy->entries.erase(copy->entries.begin() + static_cast<std::ptrdiff_t>(i));
        return copy;
      }
      return node;
    }
    const std::uint32_t bit = std::uint32_t{1} << ((hash >> shift) & mask);
    if ((node->bitmap & bit) == 0) return node;
    const std::size_t at = position(node->bitmap, bit);
    NodePtr child = remove(node->children[at], hash, shift + bits, key, removed);
    if (child == node->children[at]) return node;
    if (!child && node->children.size() == 1) return nullptr;
    // A branch left with one leaf is that leaf: lookups stay as short as the map is small.
    if (!child && node->children.size() == 2 && node->children[1 - at]->leaf) return node->children[1 - at];
    auto copy = std::make_shared<Node>(*node);
    if (child) {
      copy->children[at] = std::move(child);
    } else {
      copy->bitmap &= ~bit;
      copy->children.erase(copy->children.begin() + static_cast<std::ptrdiff_t>(at));
    }
    return copy;
  }

  NodePtr root_;
  std::size_t size_ = 0;
};

}  // namespace wasmq::detail
