#pragma once
/// Where the broker runs work and reads time: the seam between production and deterministic tests.

#include <chrono>
#include <functional>
#include <wasmq/detail/visibility.hpp>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

/// Runs the broker's asynchronous work (consumer dispatch, timers) and tells the time.
///
/// Implementations: `ThreadPoolRuntime` (Boost.Asio thread pool, production) and `ManualRuntime`
/// (nothing runs until the test says so; time moves only by `advance`). All members are
/// thread-safe. A runtime must outlive every broker that uses it.
class Runtime {
 public:
  /// Move-only, so that a task owning a `shared_ptr` (the broker's are) is kept without a heap
  /// allocation: libstdc++'s move_only_function holds up to 24 bytes in place, where
  /// std::function holds only what is trivially copyable.
  using Task = std::move_only_function<void()>;

  virtual ~Runtime() = default;

  /// The current time on this runtime's clock.
  [[nodiscard]] virtual TimePoint now() const noexcept = 0;
  /// Runs `task` soon, on some thread of the runtime.
  virtual void post(Task task) = 0;
  /// Runs `task` once `now() >= when`.
  virtual void post_at(TimePoint when, Task task) = 0;

  /// Waits until `done()` holds or `deadline` passes on this runtime's clock; returns done().
  /// Called from one of the runtime's own threads (a handler waiting for a reply), it runs the
  /// runtime's other work meanwhile, so that the work it waits for cannot be starved — even on a
  /// one-thread runtime. Whoever makes `done()` true must then call notify_waiters().
  virtual bool wait_until(const std::function<bool()>& done, TimePoint deadline) = 0;
  /// Wakes the callers of wait_until() to check their condition again.
  virtual void notify_waiters() = 0;
  /// Whether the runtime runs work on threads of its own, beside its callers: only then may an
  /// idle consumer keep itself scheduled for a moment before it sleeps (ConsumerOptions::idle_poll).
  [[nodiscard]] virtual bool runs_in_parallel() const noexcept { return false; }
};

}  // namespace wasmq

WASMQ_PUBLIC_END
