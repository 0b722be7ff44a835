#include <wasmq/manual_runtime.hpp>

#include <chrono>

namespace wasmq {

ManualRuntime::ManualRuntime() : now_(TimePoint(std::chrono::hours(1))) {}

TimePoint ManualRuntime::now() const noexcept {
  std::lock_guard lock(mutex_);
  return now_;
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
    target = now_ + step;
  }
  while (true) {
    Task task;
    {
      std::lock_guard lock(mutex_);
      auto first = timers_.begin();
      if (first == timers_.end() || first->first > target) {
        now_ = target;
        break;
      }
      if (first->first > now_) now_ = first->first;  // time jumps to each deadline in turn
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
