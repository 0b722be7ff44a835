#pragma once
// A runtime that counts its outstanding work exactly, for Harness::wait_for_idle in threaded mode.

#include <wasmq/runtime.hpp>

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>

namespace wasmq::testkit::detail {

/// Wraps a runtime (a ThreadPoolRuntime) and knows when it is idle: no task posted and not yet
/// finished, and no timer due but not yet run. Timers not yet due are not work: a lock that
/// expires in 30 s does not keep a test waiting.
class CountingRuntime final : public Runtime {
 public:
  explicit CountingRuntime(Runtime& inner) : inner_(inner) {}

  [[nodiscard]] TimePoint now() const noexcept override { return inner_.now(); }
  void post(Task task) override;
  void post_at(TimePoint when, Task task) override;
  bool wait_until(const std::function<bool()>& done, TimePoint deadline) override {
    return inner_.wait_until(done, deadline);
  }
  void notify_waiters() override { inner_.notify_waiters(); }
  [[nodiscard]] bool runs_in_parallel() const noexcept override { return inner_.runs_in_parallel(); }

  /// Waits until idle or `deadline` (on the inner clock); returns whether idle.
  bool wait_for_idle(TimePoint deadline);
  /// Tasks posted or timers due and not finished.
  [[nodiscard]] std::size_t outstanding() const;

 private:
  void finished();

  Runtime& inner_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t running_ = 0;                       // posted (or fired) and not finished
  std::multimap<TimePoint, std::size_t> timers_;  // set and not yet fired, by deadline
  std::size_t next_timer_ = 0;
};

}  // namespace wasmq::testkit::detail
