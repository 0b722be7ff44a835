#pragma once
/// An immutable, reference-counted byte buffer: fan-out and dead-lettering share it, never copy it.

#include <cstddef>
#include <cstdint>
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
  /// Takes the bytes without copying them.
  explicit Payload(std::vector<std::uint8_t>&& bytes)
      : bytes_(std::make_shared<const std::vector<std::uint8_t>>(std::move(bytes))) {}
  /// Copies the bytes once.
  static Payload copy_of(std::span<const std::uint8_t> bytes) {
    return Payload(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
  }
  static Payload copy_of(std::string_view text) { return Payload(std::vector<std::uint8_t>(text.begin(), text.end())); }

  [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept {
    return bytes_ ? std::span<const std::uint8_t>(*bytes_) : std::span<const std::uint8_t>();
  }
  [[nodiscard]] std::string_view as_string() const noexcept {
    auto view = bytes();
    return {reinterpret_cast<const char*>(view.data()), view.size()};
  }
  [[nodiscard]] std::size_t size() const noexcept { return bytes_ ? bytes_->size() : 0; }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  /// True when both refer to the same buffer (no copy was made between them).
  [[nodiscard]] bool shares_buffer_with(const Payload& other) const noexcept {
    return bytes_ && bytes_ == other.bytes_;
  }

 private:
  std::shared_ptr<const std::vector<std::uint8_t>> bytes_;
};

}  // namespace wasmq
