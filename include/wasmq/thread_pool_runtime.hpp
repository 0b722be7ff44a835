#pragma once
/// The production runtime: threads running a Boost.Asio io_context, and steady timers.

#include <wasmq/runtime.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

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
  boost::asio::io_context& context() noexcept { return context_; }

 private:
  boost::asio::io_context context_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  std::mutex waiters_mutex_;
  std::condition_variable waiters_cv_;
};

}  // namespace wasmq
