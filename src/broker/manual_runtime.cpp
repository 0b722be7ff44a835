#include <wasmq/manual_runtime.hpp>

#include <chrono>

namespace wasmq {

ManualRuntime::ManualRuntime() : now_(TimePoint(std::chrono::hours(1)).time_since_epoch().count()) {}

TimePoint ManualRuntime::now() const noexcept {
  // acquire: pairs with set_now()'s release, so a reader that sees a time also sees what the
  // thread that moved the clock wrote before. No lock: the broker reads the clock per delivery.
  return TimePoint(Duration(now_.load(std::memory_order_acquire)));
}

void ManualRuntime::set_now(TimePoint when) noexcept {
  now_.store(when.time_since_epoch().count(), std::memory_order_release);  // release: see now()
}

void ManualRuntime::post(Task task) {
  std::lock_guard lock(mutex_);
  ready_.push_back(std::move(task));
}

void ManualRuntime::post_at(TimePoint when, Task task) {
  std::lock_guard lock(mutex_);
  timers_.emplace(when, std::move(task));
}

bool ManualRuntime::run_one() {
  Task task;
  {
    std::lock_guard lock(mutex_);
    if (ready_.empty()) return false;
    task = std::move(ready_.front());
    ready_.pop_front();
  }
  task();  // outside the lock: tasks post more tasks
  return true;
}

std::size_t ManualRuntime::run_until_idle() {
  std::size_t ran = 0;
  while (run_one()) ++ran;
  return ran;
}

std::size_t ManualRuntime::advance(Duration step) {
  std::size_t ran = run_until_idle();
  TimePoint target;
  {
    std::lock_guard lock(mutex_);
    target = now() + step;
  }
  while (true) {
    Task task;
    {
      std::lock_guard lock(mutex_);
      auto first = timers_.begin();
      if (first == timers_.end() || first->first > target) {
        set_now(target);
        break;
      }
      if (first->first > now()) set_now(first->first);  // time jumps to each deadline in turn
      task = std::move(first->second);
      timers_.erase(first);
    }
    task();
    ++ran;
    ran += run_until_idle();
  }
  return ran + run_until_idle();
}

bool ManualRuntime::wait_until(const std::function<bool()>& done, TimePoint deadline) {
  while (!done()) {
    if (run_one()) continue;
    const TimePoint next = next_timer();
    const TimePoint current = now();
    if (next != TimePoint::max() && next <= deadline) {
      advance(next > current ? next - current : Duration::zero());
      continue;
    }
    if (deadline != TimePoint::max() && deadline > current) advance(deadline - current);
    return done();
  }
  return true;
}

std::size_t ManualRuntime::pending_tasks() const {
  std::lock_guard lock(mutex_);
  return ready_.size();
}

std::size_t ManualRuntime::pending_timers() const {
  std::lock_guard lock(mutex_);
  return timers_.size();
}

TimePoint ManualRuntime::next_timer() const {
  std::lock_guard lock(mutex_);
  return timers_.empty() ? TimePoint::max() : timers_.begin()->first;
}

}  // namespace wasmq
