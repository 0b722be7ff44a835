#pragma once
// The queue a user might write first: std::mutex + std::deque + std::condition_variable.

#include <condition_variable>
#include <deque>
#include <mutex>

namespace wasmq::bench {

template <typename T>
class MutexQueue {
 public:
  void push(T value) {
    {
      std::lock_guard lock(mutex_);
      items_.push_back(std::move(value));
    }
    ready_.notify_one();
  }
  T pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return !items_.empty(); });
    T value = std::move(items_.front());
    items_.pop_front();
    return value;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
};

}  // namespace wasmq::bench
