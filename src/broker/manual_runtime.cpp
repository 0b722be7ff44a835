#include <wasmq/manual_runtime.hpp>

#include <algorithm>
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
  if (ready_count_ == ready_.size()) {  // full: double the ring, oldest first
    std::vector<Task> grown(std::max<std::size_t>(16, 2 * ready_.size()));
    for (std::size_t i = 0; i < ready_count_; ++i) grown[i] = std::move(ready_[(ready_head_ + i) % ready_.size()]);
    ready_ = std::move(grown);
    ready_head_ = 0;
  }
  ready_[(ready_head_ + ready_count_) % ready_.size()] = std::move(task);
  ++ready_count_;
}

void ManualRuntime::post_at(TimePoint when, Task task) {
  std::lock_guard lock(mutex_);
  timers_.emplace(when, std::move(task));
}

bool ManualRuntime::run_one() {
  Task task;
  {
    std::lock_guard lock(mutex_);
    if (ready_count_ == 0) return false;
    task = std::move(ready_[ready_head_]);
    ready_head_ = (ready_head_ + 1) % ready_.size();
    --ready_count_;
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
  return ready_count_;
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
