#pragma once
/// The production runtime: a Boost.Asio thread pool and steady timers.

#include <wasmq/runtime.hpp>

#include <boost/asio/thread_pool.hpp>

#include <cstddef>

namespace wasmq {

/// Runs broker work on a `boost::asio::thread_pool` of `threads` threads; timers are
/// `boost::asio::steady_timer`s on the same pool. The destructor waits for running work to end.
class ThreadPoolRuntime final : public Runtime {
 public:
  explicit ThreadPoolRuntime(std::size_t threads);
  ~ThreadPoolRuntime() override;
  ThreadPoolRuntime(const ThreadPoolRuntime&) = delete;
  ThreadPoolRuntime& operator=(const ThreadPoolRuntime&) = delete;

  [[nodiscard]] TimePoint now() const noexcept override;
  void post(Task task) override;
  void post_at(TimePoint when, Task task) override;

  /// Stops accepting timers' wake-ups and joins the threads; pending work is abandoned.
  void stop();
  /// The pool, for a host that wants to run its own work beside the broker's.
  boost::asio::thread_pool& pool() noexcept { return pool_; }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace wasmq
