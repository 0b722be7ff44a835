#include <wasmq/host/reply_inbox.hpp>

#include <sys/random.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace wasmq::host {

namespace {

constexpr std::size_t kTokenBytes = 16;

/// Random bytes drawn from the kernel a page at a time, so that a request costs no system call.
struct RandomPool {
  std::array<std::uint8_t, 4096> bytes{};
  std::size_t used = bytes.size();
  pid_t owner = 0;  // a forked child must not hand out its parent's remaining bytes again

  void Refill() {
    std::size_t filled = 0;
    while (filled < bytes.size()) {
      const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
      if (got < 0) {
        if (errno == EINTR) continue;
        // No randomness means no unguessable address: refuse rather than make a guessable one.
        throw std::runtime_error("getrandom failed: reply addresses cannot be made");
      }
      filled += static_cast<std::size_t>(got);
    }
    used = 0;
    owner = getpid();
  }
};

thread_local RandomPool pool;

}  // namespace

bool IsUnderInbox(std::string_view name_or_pattern) noexcept {
  return name_or_pattern.starts_with(kInboxToken) &&
         (name_or_pattern.size() == kInboxToken.size() || name_or_pattern[kInboxToken.size()] == '.');
}

std::string NewReplyToken() {
  if (pool.bytes.size() - pool.used < kTokenBytes || pool.owner != getpid()) pool.Refill();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token(kTokenBytes * 2, '0');
  for (std::size_t i = 0; i < kTokenBytes; ++i) {
    std::uint8_t& byte = pool.bytes[pool.used + i];
    token[2 * i] = kHex[byte >> 4];
    token[2 * i + 1] = kHex[byte & 0xf];
    byte = 0;  // drawn once: a token never repeats from this buffer
  }
  pool.used += kTokenBytes;
  return token;
}

}  // namespace wasmq::host
