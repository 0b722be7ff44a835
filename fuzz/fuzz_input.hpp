#pragma once
// Reads a fuzzer's input as a sequence of small decisions: a byte, a number, a short string.
// Past the end every read returns zero or empty, so any input is a complete program.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wasmq::fuzz {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : bytes_(data, size) {}

  [[nodiscard]] bool empty() const noexcept { return at_ >= bytes_.size(); }

  std::uint8_t byte() noexcept { return empty() ? 0 : bytes_[at_++]; }

  std::uint32_t u32() noexcept {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | byte();
    return value;
  }

  /// A string of up to `max` bytes, its length read first.
  std::string text(std::size_t max = 32) {
    const std::size_t length = std::min<std::size_t>(byte() % (max + 1), bytes_.size() - std::min(at_, bytes_.size()));
    std::string out(reinterpret_cast<const char*>(bytes_.data() + at_), length);
    at_ += length;
    return out;
  }

  std::vector<std::uint8_t> data(std::size_t max = 64) {
    const std::string bytes = text(max);
    return {bytes.begin(), bytes.end()};
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
};

}  // namespace wasmq::fuzz
