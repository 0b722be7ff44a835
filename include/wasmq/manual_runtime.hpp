#pragma once
/// A runtime driven by hand: tests decide when work runs and how time passes.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/runtime.hpp>

#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

/// A deterministic runtime for tests: posted tasks wait until `run_until_idle()`, timers fire
/// only when `advance()` moves the clock past them. Nothing runs on another thread.
///
/// Thread-safe: tasks may be posted from any thread; run them from one thread at a time.
class ManualRuntime final : public Runtime {
 public:
  /// The clock starts at an arbitrary fixed point, the same for every instance.
  ManualRuntime();

  [[nodiscard]] TimePoint now() const noexcept override;
  void post(Task task) override;
  void post_at(TimePoint when, Task task) override;

  /// Runs posted tasks until `done()`; when none is left, moves the clock to the next timer (if
  /// before `deadline`) and fires it, or else to `deadline`. Returns done(). Never blocks: with
  /// no deadline and nothing left to run, it returns false at once.
  bool wait_until(const std::function<bool()>& done, TimePoint deadline) override;
  void notify_waiters() override {}

  /// Runs the oldest posted task, if any. Returns whether one ran.
  bool run_one();
  /// Runs posted tasks, including those they post, until none is left. Returns how many ran.
  std::size_t run_until_idle();
  /// Moves the clock forward by `step`, firing due timers in deadline order (ties in the order they
  /// were set) and running posted work to idle after each. Returns the number of tasks run.
  std::size_t advance(Duration step);
  /// Tasks posted and not yet run.
  [[nodiscard]] std::size_t pending_tasks() const;
  /// Timers set and not yet fired.
  [[nodiscard]] std::size_t pending_timers() const;
  /// The deadline of the earliest pending timer, or TimePoint::max() if none.
  [[nodiscard]] TimePoint next_timer() const;

 private:
  void set_now(TimePoint when) noexcept;  // under mutex_, so that advance() calls do not interleave

  mutable std::mutex mutex_;
  std::atomic<Duration::rep> now_;  // the clock, in ticks; read without the lock
  // Posted tasks, oldest at ready_head_: a ring that grows but never shrinks, so that posting
  // and running allocate nothing once it is as large as the most tasks ever waiting (a deque
  // allocates and frees a block every few tasks).
  std::vector<Task> ready_;
  std::size_t ready_head_ = 0;
  std::size_t ready_count_ = 0;
  std::multimap<TimePoint, Task> timers_;  // multimap keeps insertion order among equal keys
};

}  // namespace wasmq

WASMQ_PUBLIC_END
