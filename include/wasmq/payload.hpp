#pragma once
/// Immutable message bytes: small payloads live inline (no allocation), larger ones in one shared
/// buffer that fan-out and dead-lettering share, never copy.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <utility>
#include <vector>
#include <wasmq/detail/visibility.hpp>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

/// Bytes of a message seen in place: what SharedMessage::payload() returns. Valid while what it
/// was taken from lives.
class PayloadView {
 public:
  PayloadView() noexcept = default;
  explicit PayloadView(std::span<const std::uint8_t> bytes) noexcept : bytes_(bytes) {}

  [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept { return bytes_; }
  [[nodiscard]] std::string_view as_string() const noexcept {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  [[nodiscard]] std::size_t size() const noexcept { return bytes_.size(); }
  [[nodiscard]] bool empty() const noexcept { return bytes_.empty(); }

 private:
  std::span<const std::uint8_t> bytes_{};
};

/// Immutable bytes of a message. Thread-safe for concurrent reads and copies.
///
/// Up to `inline_capacity` bytes are stored inside the Payload itself (and so inside the broker's
/// pooled message block): making, publishing and dropping a small message allocates nothing.
/// Larger payloads are one reference-counted buffer: copying such a Payload copies a pointer.
class Payload {
 public:
  /// Payloads up to this many bytes are stored inline by copy_of().
  static constexpr std::size_t inline_capacity = 64;

  Payload() noexcept {}  // NOLINT(modernize-use-equals-default): the union has a non-trivial member
  /// Takes the bytes without copying them (one allocation: the shared owner of the vector).
  explicit Payload(std::vector<std::uint8_t>&& bytes) {
    if (bytes.empty()) return;
    auto owner = std::make_shared<const std::vector<std::uint8_t>>(std::move(bytes));
    size_ = owner->size();
    new (&shared_) Shared(owner, owner->data());  // aliases into the vector
    heap_ = true;
  }
  /// Copies the bytes once: inline up to inline_capacity, else into one allocation that holds the
  /// count and the bytes together.
  static Payload copy_of(std::span<const std::uint8_t> bytes) {
    Payload payload;
    if (bytes.empty()) return payload;
    payload.size_ = bytes.size();
    if (bytes.size() <= inline_capacity) {
      std::memcpy(payload.inline_, bytes.data(), bytes.size());
      return payload;
    }
    auto buffer = std::make_shared_for_overwrite<std::uint8_t[]>(bytes.size());
    std::memcpy(buffer.get(), bytes.data(), bytes.size());
    new (&payload.shared_) Shared(std::move(buffer));
    payload.heap_ = true;
    return payload;
  }
  static Payload copy_of(std::string_view text) {
    return copy_of(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }

  Payload(const Payload& other) : size_(other.size_), heap_(other.heap_) {
    if (heap_) {
      new (&shared_) Shared(other.shared_);
    } else {
      copy_inline(other);
    }
  }
  Payload(Payload&& other) noexcept : size_(other.size_), heap_(other.heap_) {
    if (heap_) {
      new (&shared_) Shared(std::move(other.shared_));
    } else {
      copy_inline(other);
    }
  }
  Payload& operator=(const Payload& other) {
    if (this != &other) {
      Payload copy(other);
      *this = std::move(copy);
    }
    return *this;
  }
  Payload& operator=(Payload&& other) noexcept {
    if (this != &other) {
      reset();
      size_ = other.size_;
      heap_ = other.heap_;
      if (heap_) {
        new (&shared_) Shared(std::move(other.shared_));
      } else {
        copy_inline(other);
      }
    }
    return *this;
  }
  ~Payload() { reset(); }

  [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept { return {data(), size_}; }
  [[nodiscard]] std::string_view as_string() const noexcept { return {reinterpret_cast<const char*>(data()), size_}; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] PayloadView view() const noexcept { return PayloadView(bytes()); }
  /// True when the bytes are stored inside this Payload (no buffer of their own).
  [[nodiscard]] bool is_inline() const noexcept { return !heap_; }
  /// True when both refer to the same shared buffer (no copy was made between them). Inline
  /// payloads have no shared buffer: always false for them.
  [[nodiscard]] bool shares_buffer_with(const Payload& other) const noexcept {
    return heap_ && other.heap_ && shared_ == other.shared_;
  }

 private:
  using Shared = std::shared_ptr<const std::uint8_t[]>;

  [[nodiscard]] const std::uint8_t* data() const noexcept { return heap_ ? shared_.get() : inline_; }
  // In 16-byte steps of a constant size, not size_ bytes at once: each step is one vector move in
  // place, where a copy of a variable size is a call to memmove (three per published message:
  // made, moved into the message, moved into the broker's block). Not the whole buffer either: a
  // small payload then writes only the cache line it needs in the pooled block. Every byte of the
  // buffer is initialised (zeroed when the union is made), so a step may copy past size_.
  void copy_inline(const Payload& other) noexcept {
    static_assert(inline_capacity % 16 == 0);
    for (std::size_t offset = 0; offset < size_; offset += 16) {
      std::memcpy(inline_ + offset, other.inline_ + offset, 16);
    }
  }
  void reset() noexcept {
    if (heap_) shared_.~Shared();
    heap_ = false;
    size_ = 0;
  }

  union {
    Shared shared_;                           // heap_ == true
    std::uint8_t inline_[inline_capacity]{};  // heap_ == false: the first size_ bytes
  };
  std::size_t size_ = 0;
  bool heap_ = false;
};

}  // namespace wasmq

WASMQ_PUBLIC_END
