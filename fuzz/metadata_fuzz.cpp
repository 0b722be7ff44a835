// A message's metadata: every sequence of add, set, remove and find on the facade's MetadataList
// (and through types::Message) agrees with a plain list that does everything by linear scan.

#include "fuzz_input.hpp"

#include <wasi/messaging/detail/metadata_list.hpp>
#include <wasi/messaging/types.hpp>

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <utility>

namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

void Require(bool condition) {
  if (!condition) std::abort();
}

Entries EntriesOf(const wasi::messaging::detail::MetadataList& list) {
  Entries out;
  list.ForEach([&](const std::string& key, const std::string& value) { out.emplace_back(key, value); });
  return out;
}

void ReferenceAdd(Entries& entries, const std::string& key, const std::string& value) {
  auto found = std::ranges::find(entries, key, &std::pair<std::string, std::string>::first);
  if (found != entries.end()) {
    found->second = value;
  } else {
    entries.emplace_back(key, value);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wasmq::fuzz::FuzzInput input(data, size);
  wasi::messaging::detail::MetadataList list;
  wasi::messaging::types::Message message(std::span<const std::uint8_t>{});
  Entries reference;
  while (!input.empty()) {
    const std::uint8_t op = input.byte();
    // Few distinct keys, so that adds collide with earlier ones and removes find something.
    const std::string key =
        input.byte() % 2 == 0 ? std::string(1, static_cast<char>('a' + input.byte() % 40)) : input.text(8);
    switch (op % 5) {
      case 0:
      case 1: {
        const std::string value = input.text(8);
        list.Add(key, value);
        message.AddMetadata(key, value);
        ReferenceAdd(reference, key, value);
        break;
      }
      case 2:
        list.Remove(key);
        message.RemoveMetadata(key);
        std::erase_if(reference, [&](const auto& entry) { return entry.first == key; });
        break;
      case 3: {
        const std::string* found = list.Find(key);
        auto expected = std::ranges::find(reference, key, &std::pair<std::string, std::string>::first);
        Require((found != nullptr) == (expected != reference.end()));
        if (found != nullptr) Require(*found == expected->second);
        break;
      }
      default: {  // replace everything, duplicates included
        wasi::messaging::types::Metadata replacement;
        Entries replaced;
        for (int n = input.byte() % 6; n > 0; --n) {
          std::string k = std::string(1, static_cast<char>('a' + input.byte() % 8));
          std::string v = input.text(4);
          ReferenceAdd(replaced, k, v);
          replacement.emplace_back(std::move(k), std::move(v));
        }
        list.Assign(replacement);
        message.SetMetadata(replacement);
        reference = std::move(replaced);
      }
    }
    Require(list.Size() == reference.size());
    std::size_t bytes = 0;
    for (const auto& [k, v] : reference) bytes += k.size() + v.size();
    Require(list.Bytes() == bytes);
    Require(message.SizeBytes() == bytes);
  }
  Require(EntriesOf(list) == reference);
  wasi::messaging::types::Metadata as_tuples;
  for (const auto& [k, v] : reference) as_tuples.emplace_back(k, v);
  Require(message.Metadata().value_or(wasi::messaging::types::Metadata{}) == as_tuples);
  return 0;
}
