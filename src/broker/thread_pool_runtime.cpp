#include <wasmq/thread_pool_runtime.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

namespace wasmq {

ThreadPoolRuntime::ThreadPoolRuntime(std::size_t threads) : pool_(threads) {}

ThreadPoolRuntime::~ThreadPoolRuntime() { stop(); }

TimePoint ThreadPoolRuntime::now() const noexcept { return Clock::now(); }

void ThreadPoolRuntime::post(Task task) { boost::asio::post(pool_, std::move(task)); }

void ThreadPoolRuntime::post_at(TimePoint when, Task task) {
  // The timer lives as long as its wait: the completion handler owns it.
  auto timer = std::make_shared<boost::asio::steady_timer>(pool_.get_executor(), when);
  timer->async_wait([timer, task = std::move(task)](const boost::system::error_code& error) {
    if (!error) task();
  });
}

void ThreadPoolRuntime::stop() {
  pool_.stop();
  pool_.join();
}

}  // namespace wasmq
