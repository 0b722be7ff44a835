#include <wasmq/thread_pool_runtime.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace wasmq {

namespace {
// The runtime whose thread this is, so that wait_until() knows to help instead of sleeping.
thread_local const ThreadPoolRuntime* own_runtime = nullptr;
// How long a helping waiter runs handlers before it looks at its condition again. A waiter on a
// runtime thread cannot be woken by a condition variable while it runs handlers.
constexpr auto helping_slice = std::chrono::milliseconds(1);
}  // namespace

struct ThreadPoolRuntime::State {
  boost::asio::io_context context;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{boost::asio::make_work_guard(context)};
  std::vector<std::thread> threads;
  std::mutex waiters_mutex;
  std::condition_variable waiters_cv;
};

ThreadPoolRuntime::ThreadPoolRuntime(std::size_t threads) : state_(std::make_unique<State>()) {
  state_->threads.reserve(threads);
  for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i) {
    state_->threads.emplace_back([this] {
      own_runtime = this;
      state_->context.run();
    });
  }
}

boost::asio::io_context& ThreadPoolRuntime::context() noexcept { return state_->context; }

ThreadPoolRuntime::~ThreadPoolRuntime() { stop(); }

TimePoint ThreadPoolRuntime::now() const noexcept { return Clock::now(); }

void ThreadPoolRuntime::post(Task task) { boost::asio::post(state_->context, std::move(task)); }

void ThreadPoolRuntime::post_at(TimePoint when, Task task) {
  // The timer lives as long as its wait: the completion handler owns it.
  auto timer = std::make_shared<boost::asio::steady_timer>(state_->context, when);
  timer->async_wait([timer, task = std::move(task)](const boost::system::error_code& error) mutable {
    if (!error) task();
  });
}

bool ThreadPoolRuntime::wait_until(const std::function<bool()>& done, TimePoint deadline) {
  if (own_runtime == this) {
    // case (1): a handler of ours waits. Run other handlers meanwhile: the one it waits for may be
    // queued behind it, and on a one-thread runtime nobody else would ever run it.
    while (!done()) {
      const TimePoint current = now();
      if (current >= deadline || state_->context.stopped()) return done();
      state_->context.run_one_until(std::min(deadline, current + helping_slice));
    }
    return true;
  }
  // case (2): an outside thread waits; it sleeps until notified or the deadline.
  std::unique_lock lock(state_->waiters_mutex);
  if (deadline == TimePoint::max()) {
    state_->waiters_cv.wait(lock, done);
    return true;
  }
  return state_->waiters_cv.wait_until(lock, deadline, done);
}

void ThreadPoolRuntime::notify_waiters() {
  std::lock_guard lock(state_->waiters_mutex);
  state_->waiters_cv.notify_all();
}

void ThreadPoolRuntime::stop() {
  state_->work.reset();
  state_->context.stop();
  for (auto& thread : state_->threads) {
    if (!thread.joinable()) continue;
    if (thread.get_id() == std::this_thread::get_id()) {
      thread.detach();  // stopped from one of its own handlers: it ends when that handler returns
    } else {
      thread.join();
    }
  }
}

}  // namespace wasmq
