#pragma once
/// A message's metadata as the facade keeps it: insertion order, unique keys, and add, find and
/// remove in constant time on average, so that a guest cannot make the host scan a long list on
/// every call.

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>
#include <wasmq/detail/visibility.hpp>

WASMQ_PUBLIC_BEGIN

namespace wasi::messaging::detail {

/// Insertion-ordered key/value pairs with unique keys. A short list is scanned; past
/// `index_from` entries a hash index finds keys. Removal leaves a tombstone, compacted away
/// once tombstones outnumber live entries (amortised constant time).
class MetadataList {
 public:
  /// Entries above which keys are found through the index.
  static constexpr std::size_t index_from = 16;

  MetadataList() = default;
  MetadataList(const MetadataList& other);
  MetadataList& operator=(const MetadataList& other);
  MetadataList(MetadataList&&) noexcept = default;
  MetadataList& operator=(MetadataList&&) noexcept = default;
  ~MetadataList() = default;

  /// Sets `key` to `value`: in place when the key is present (its position is kept), appended
  /// otherwise.
  void Add(std::string_view key, std::string_view value);
  /// The same, taking the strings (no copy).
  void AddOwned(std::string&& key, std::string&& value);
  /// Removes `key`; a missing key is not an error.
  void Remove(std::string_view key);
  /// Replaces everything with `entries`; a later duplicate key replaces the earlier one's value.
  void Assign(std::span<const std::tuple<std::string, std::string>> entries);
  void Clear() noexcept;
  void Reserve(std::size_t entries) { entries_.reserve(entries); }

  /// The value of `key`, or null.
  [[nodiscard]] const std::string* Find(std::string_view key) const;
  /// Live entries.
  [[nodiscard]] std::size_t Size() const noexcept { return live_; }
  [[nodiscard]] bool Empty() const noexcept { return live_ == 0; }
  /// The bytes of every live key and value.
  [[nodiscard]] std::size_t Bytes() const noexcept { return bytes_; }

  /// Calls `visit(key, value)` for each live entry, in insertion order.
  template <class Visit>
  void ForEach(Visit&& visit) const {
    for (const Entry& entry : entries_) {
      if (entry.live) visit(entry.key, entry.value);
    }
  }
  /// Moves each live entry out, in order, through `take(std::string&& key, std::string&& value)`;
  /// the list is empty afterwards.
  template <class Take>
  void TakeEach(Take&& take) {
    for (Entry& entry : entries_) {
      if (entry.live) take(std::move(entry.key), std::move(entry.value));
    }
    Clear();
  }

 private:
  struct Entry {
    std::string key{};
    std::string value{};
    bool live = true;
  };
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept { return std::hash<std::string_view>{}(key); }
  };

  [[nodiscard]] std::size_t position_of(std::string_view key) const;  // entries_.size() when absent
  void append(std::string&& key, std::string&& value);
  void build_index();
  void compact();

  std::vector<Entry> entries_;
  std::size_t live_ = 0;
  std::size_t bytes_ = 0;
  using Index = std::unordered_map<std::string, std::size_t, KeyHash, std::equal_to<>>;
  // key → position, made only past index_from entries: most messages have a few keys or none, and
  // an empty map still costs its clearing and freeing on every message destroyed.
  std::unique_ptr<Index> index_;
};

}  // namespace wasi::messaging::detail

WASMQ_PUBLIC_END
