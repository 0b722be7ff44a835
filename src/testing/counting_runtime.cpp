#include "counting_runtime.hpp"

#include <algorithm>

namespace wasmq::testkit::detail {

void CountingRuntime::post(Task task) {
  {
    std::lock_guard lock(mutex_);
    ++running_;  // counted before it is posted, so that idle is never seen while it is queued
  }
  inner_.post([this, task = std::move(task)]() mutable {
    task();
    finished();
  });
}

void CountingRuntime::post_at(TimePoint when, Task task) {
  std::multimap<TimePoint, std::size_t>::iterator timer;
  {
    std::lock_guard lock(mutex_);
    timer = timers_.emplace(when, next_timer_++);
  }
  inner_.post_at(when, [this, timer, task = std::move(task)]() mutable {
    {
      // From a pending timer to a running task in one step: never idle in between.
      std::lock_guard lock(mutex_);
      timers_.erase(timer);
      ++running_;
    }
    task();
    finished();
  });
}

void CountingRuntime::finished() {
  std::lock_guard lock(mutex_);
  if (--running_ == 0) idle_.notify_all();
}

bool CountingRuntime::wait_for_idle(TimePoint deadline) {
  std::unique_lock lock(mutex_);
  while (true) {
    const TimePoint now = inner_.now();
    const bool timer_due = !timers_.empty() && timers_.begin()->first <= now;
    if (running_ == 0 && !timer_due) return true;
    if (now >= deadline) return false;
    // Wake when work finishes, or when the next timer falls due (then wait for it to run).
    TimePoint until = deadline;
    if (!timers_.empty() && timers_.begin()->first > now) until = std::min(until, timers_.begin()->first);
    idle_.wait_for(lock, until - now);
  }
}

std::size_t CountingRuntime::outstanding() const {
  std::lock_guard lock(mutex_);
  const TimePoint now = inner_.now();
  std::size_t due = 0;
  for (auto it = timers_.begin(); it != timers_.end() && it->first <= now; ++it) ++due;
  return running_ + due;
}

}  // namespace wasmq::testkit::detail
