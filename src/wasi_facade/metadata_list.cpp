#include <wasi/messaging/detail/metadata_list.hpp>

namespace wasi::messaging::detail {

MetadataList::MetadataList(const MetadataList& other)
    : entries_(other.entries_),
      live_(other.live_),
      bytes_(other.bytes_),
      index_(other.index_ ? std::make_unique<Index>(*other.index_) : nullptr) {}

MetadataList& MetadataList::operator=(const MetadataList& other) {
  if (this != &other) *this = MetadataList(other);
  return *this;
}

std::size_t MetadataList::position_of(std::string_view key) const {
  if (index_) {
    auto found = index_->find(key);
    return found == index_->end() ? entries_.size() : found->second;
  }
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].live && entries_[i].key == key) return i;
  }
  return entries_.size();
}

const std::string* MetadataList::Find(std::string_view key) const {
  const std::size_t at = position_of(key);
  return at == entries_.size() ? nullptr : &entries_[at].value;
}

void MetadataList::append(std::string&& key, std::string&& value) {
  bytes_ += key.size() + value.size();
  ++live_;
  if (index_) index_->emplace(key, entries_.size());
  entries_.push_back(Entry{std::move(key), std::move(value), true});
  if (!index_ && live_ > index_from) build_index();
}

void MetadataList::Add(std::string_view key, std::string_view value) {
  if (const std::size_t at = position_of(key); at != entries_.size()) {
    std::string& held = entries_[at].value;
    bytes_ = bytes_ - held.size() + value.size();
    held.assign(value);
    return;
  }
  append(std::string(key), std::string(value));
}

void MetadataList::AddOwned(std::string&& key, std::string&& value) {
  if (const std::size_t at = position_of(key); at != entries_.size()) {
    std::string& held = entries_[at].value;
    bytes_ = bytes_ - held.size() + value.size();
    held = std::move(value);
    return;
  }
  append(std::move(key), std::move(value));
}

void MetadataList::Remove(std::string_view key) {
  const std::size_t at = position_of(key);
  if (at == entries_.size()) return;
  Entry& entry = entries_[at];
  bytes_ -= entry.key.size() + entry.value.size();
  --live_;
  if (index_) {
    index_->erase(index_->find(key));
    entry.live = false;
    entry.key = std::string();  // tombstone: its memory goes now, its slot at the next compaction
    entry.value = std::string();
    if (entries_.size() - live_ > live_) compact();
  } else {
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(at));  // short: a small shift
  }
}

void MetadataList::Assign(std::span<const std::tuple<std::string, std::string>> entries) {
  Clear();
  entries_.reserve(entries.size());
  for (const auto& [key, value] : entries) Add(std::string_view(key), std::string_view(value));
}

void MetadataList::Clear() noexcept {
  entries_.clear();
  index_.reset();
  live_ = 0;
  bytes_ = 0;
}

void MetadataList::build_index() {
  index_ = std::make_unique<Index>();
  index_->reserve(entries_.size() * 2);
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].live) index_->emplace(entries_[i].key, i);
  }
}

void MetadataList::compact() {
  std::erase_if(entries_, [](const Entry& entry) { return !entry.live; });
  index_.reset();
  if (live_ > index_from) build_index();
}

}  // namespace wasi::messaging::detail
