#pragma once
/// One delivery at a time inside one guest, as the component model has it for a WebAssembly
/// instance: other threads wait their turn, and the thread already inside (a guest waiting in
/// `request` while its thread helps the broker run other work) is refused instead of deadlocking.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/host/host.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

WASMQ_PUBLIC_BEGIN

namespace wasmq::host {

class Turn {
 public:
  /// Held while a delivery is inside the guest.
  class Held {
   public:
    explicit Held(Turn& turn) : turn_(turn), lock_(turn.mutex_) {
      turn_.inside_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    }
    ~Held() { turn_.inside_.store(std::thread::id(), std::memory_order_relaxed); }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    Turn& turn_;
    std::lock_guard<std::mutex> lock_;
  };

  /// Whether this thread is inside already (then taking the turn would re-enter the guest).
  [[nodiscard]] bool HeldByThisThread() const noexcept {
    // Relaxed: only this thread ever stores its own id, so a match cannot be stale.
    return inside_.load(std::memory_order_relaxed) == std::this_thread::get_id();
  }

 private:
  std::mutex mutex_;
  std::atomic<std::thread::id> inside_;  // default: no thread
};

/// `guest`, handling one delivery at a time (a re-entrant delivery ends in `other`, so that the
/// broker offers it again later). For native guests written, like WebAssembly ones, without locks.
std::shared_ptr<incoming_handler::Guest> OneAtATime(std::shared_ptr<incoming_handler::Guest> guest);

}  // namespace wasmq::host

WASMQ_PUBLIC_END
