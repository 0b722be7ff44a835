#pragma once
/// An immutable, reference-counted byte buffer: fan-out and dead-lettering share it, never copy it.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace wasmq {

/// Immutable bytes shared by every copy of a message. Copying a Payload copies a pointer.
/// Thread-safe for concurrent reads and copies.
class Payload {
 public:
  Payload() = default;
  /// Takes the bytes without copying them (one allocation: the shared owner of the vector).
  explicit Payload(std::vector<std::uint8_t>&& bytes) {
    if (bytes.empty()) return;
    auto owner = std::make_shared<const std::vector<std::uint8_t>>(std::move(bytes));
    size_ = owner->size();
    bytes_ = std::shared_ptr<const std::uint8_t[]>(owner, owner->data());  // aliases into the vector
  }
  /// Copies the bytes once, into one allocation that holds the count and the bytes together.
  static Payload copy_of(std::span<const std::uint8_t> bytes) {
    Payload payload;
    if (bytes.empty()) return payload;
    auto buffer = std::make_shared_for_overwrite<std::uint8_t[]>(bytes.size());
    std::memcpy(buffer.get(), bytes.data(), bytes.size());
    payload.bytes_ = std::move(buffer);
    payload.size_ = bytes.size();
    return payload;
  }
  static Payload copy_of(std::string_view text) {
    return copy_of(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }

  [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept { return {bytes_.get(), size_}; }
  [[nodiscard]] std::string_view as_string() const noexcept {
    return {reinterpret_cast<const char*>(bytes_.get()), size_};
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// True when both refer to the same buffer (no copy was made between them).
  [[nodiscard]] bool shares_buffer_with(const Payload& other) const noexcept {
    return bytes_ && bytes_ == other.bytes_;
  }

 private:
  std::shared_ptr<const std::uint8_t[]> bytes_;
  std::size_t size_ = 0;
};

}  // namespace wasmq
