#pragma once
/// The production runtime: threads running a Boost.Asio io_context, and steady timers.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/runtime.hpp>

#include <cstddef>
#include <memory>

WASMQ_PUBLIC_BEGIN

// Declared, not included: Boost.Asio stays out of wasmq's public headers (a host that uses
// context() includes <boost/asio/io_context.hpp> itself).
namespace boost::asio {
class io_context;  // NOLINT(readability-identifier-naming): Boost's name
}  // namespace boost::asio

namespace wasmq {

/// Runs broker work on `threads` threads sharing one `boost::asio::io_context`; timers are
/// `boost::asio::steady_timer`s on it. An io_context (rather than asio's thread_pool) lets a
/// handler that waits for a reply run other handlers meanwhile (`wait_until`). The destructor
/// stops the threads and joins them.
class ThreadPoolRuntime final : public Runtime {
 public:
  explicit ThreadPoolRuntime(std::size_t threads);
  ~ThreadPoolRuntime() override;
  ThreadPoolRuntime(const ThreadPoolRuntime&) = delete;
  ThreadPoolRuntime& operator=(const ThreadPoolRuntime&) = delete;

  [[nodiscard]] TimePoint now() const noexcept override;
  void post(Task task) override;
  void post_at(TimePoint when, Task task) override;
  bool wait_until(const std::function<bool()>& done, TimePoint deadline) override;
  void notify_waiters() override;
  [[nodiscard]] bool runs_in_parallel() const noexcept override { return true; }

  /// Stops the threads and joins them; pending work is abandoned. Idempotent.
  void stop();
  /// The io_context, for a host that wants to run its own work beside the broker's.
  boost::asio::io_context& context() noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace wasmq

WASMQ_PUBLIC_END
