#pragma once
/// Where the broker runs work and reads time: the seam between production and deterministic tests.

#include <chrono>
#include <functional>

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
  using Task = std::function<void()>;

  virtual ~Runtime() = default;

  /// The current time on this runtime's clock.
  [[nodiscard]] virtual TimePoint now() const noexcept = 0;
  /// Runs `task` soon, on some thread of the runtime.
  virtual void post(Task task) = 0;
  /// Runs `task` once `now() >= when`.
  virtual void post_at(TimePoint when, Task task) = 0;
};

}  // namespace wasmq
