// The production runtime: real threads, real timers; tests wait on conditions with deadlines.

#include <wasmq/wasmq.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace wasmq {
namespace {

/// Waits until `done()` holds or the deadline passes; returns done().
template <class Predicate>
bool wait_until(std::mutex& mutex, std::condition_variable& cv, Predicate done, Duration limit = 10s) {
  std::unique_lock lock(mutex);
  return cv.wait_for(lock, limit, done);
}

TEST(ThreadPoolRuntimeTest, RunsPostedTasksAndTimers) {
  ThreadPoolRuntime runtime(2);
  std::mutex mutex;
  std::condition_variable cv;
  int ran = 0;
  TimePoint timer_fired_at{};
  const TimePoint start = runtime.now();
  runtime.post([&] {
    std::lock_guard lock(mutex);
    ++ran;
    cv.notify_all();
  });
  runtime.post_at(start + 20ms, [&] {
    std::lock_guard lock(mutex);
    ++ran;
    timer_fired_at = runtime.now();
    cv.notify_all();
  });
  ASSERT_TRUE(wait_until(mutex, cv, [&] { return ran == 2; }));
  EXPECT_GE(timer_fired_at - start, 20ms);
}

TEST(ThreadPoolRuntimeTest, DeliversEndToEndOnRealThreads) {
  ThreadPoolRuntime runtime(2);
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("q"));
  std::mutex mutex;
  std::condition_variable cv;
  int accepted = 0;
  auto consumer = broker.consume("q", {}, [&](Delivery& delivery) {
    ASSERT_TRUE(delivery.accept());
    std::lock_guard lock(mutex);
    ++accepted;
    cv.notify_all();
  });
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(broker.publish({.topic = "q", .payload = Payload::copy_of("x")}));
  ASSERT_TRUE(wait_until(mutex, cv, [&] { return accepted == 100; }));
}

TEST(ThreadPoolRuntimeTest, CloseWaitsForARunningHandler) {
  ThreadPoolRuntime runtime(2);
  Broker broker(runtime);
  // Unlimited deliveries: once released, the message is redelivered until close() takes effect,
  // however long the closing thread takes to be scheduled.
  ASSERT_TRUE(broker.declare_queue("q", {.max_deliveries = 0}));
  std::mutex mutex;
  std::condition_variable cv;
  bool entered = false, may_return = false, returned = false;
  auto consumer = broker.consume("q", {}, [&](Delivery&) {
    std::unique_lock lock(mutex);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return may_return; });
    returned = true;
  });
  ASSERT_TRUE(broker.publish({.topic = "q", .payload = Payload::copy_of("x")}));
  ASSERT_TRUE(wait_until(mutex, cv, [&] { return entered; }));
  std::thread closer([&] {
    consumer->close();
    std::lock_guard lock(mutex);
    EXPECT_TRUE(returned) << "close() returned while the handler was still running";
  });
  {
    std::lock_guard lock(mutex);
    may_return = true;
    cv.notify_all();
  }
  closer.join();
  EXPECT_EQ(broker.queue_stats("q")->depth, 1u) << "the unsettled delivery went back";
}

TEST(ThreadPoolRuntimeTest, AHandlerWaitingOnAOneThreadRuntimeRunsTheWorkItWaitsFor) {
  ThreadPoolRuntime runtime(1);
  std::atomic<bool> answered{false};
  std::mutex mutex;
  std::condition_variable cv;
  bool finished = false, waited_ok = false;
  runtime.post([&] {
    // The only thread waits for a task queued behind it: it must run that task itself.
    runtime.post([&] {
      answered = true;
      runtime.notify_waiters();
    });
    waited_ok = runtime.wait_until([&] { return answered.load(); }, runtime.now() + 10s);
    std::lock_guard lock(mutex);
    finished = true;
    cv.notify_all();
  });
  ASSERT_TRUE(wait_until(mutex, cv, [&] { return finished; }));
  EXPECT_TRUE(waited_ok);
}

TEST(ThreadPoolRuntimeTest, AnOutsideWaiterIsNotified) {
  ThreadPoolRuntime runtime(1);
  std::atomic<bool> done{false};
  runtime.post([&] {
    done = true;
    runtime.notify_waiters();
  });
  EXPECT_TRUE(runtime.wait_until([&] { return done.load(); }, runtime.now() + 10s));
  EXPECT_FALSE(runtime.wait_until([] { return false; }, runtime.now() + 10ms)) << "gives up at the deadline";
}

}  // namespace
}  // namespace wasmq

namespace wasmq {
namespace {

/// Waits up to ten seconds for `count` to reach `target`.
bool reaches(const std::atomic<int>& count, int target) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (count.load(std::memory_order_acquire) < target) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(IdlePollTest, AnIdlePollingConsumerHoldsNoThread) {
  ThreadPoolRuntime runtime(1);
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("a"));
  ASSERT_TRUE(broker.declare_queue("b"));
  std::atomic<int> a_handled{0};
  std::atomic<int> b_handled{0};
  auto count = [](std::atomic<int>& handled) {
    return [&handled](Delivery& delivery) {
      (void)delivery.accept();
      handled.fetch_add(1, std::memory_order_release);
    };
  };
  // `a` polls for an hour once idle; the runtime's one thread must still serve `b`, and `a`.
  auto a = broker.consume("a", {.idle_poll = std::chrono::hours(1)}, count(a_handled));
  auto b = broker.consume("b", {.idle_poll = Duration::zero()}, count(b_handled));
  ASSERT_TRUE(broker.publish({.topic = "a", .payload = Payload::copy_of("1")}));
  ASSERT_TRUE(reaches(a_handled, 1));
  ASSERT_TRUE(broker.publish({.topic = "b", .payload = Payload::copy_of("2")}));
  EXPECT_TRUE(reaches(b_handled, 1)) << "the polling consumer kept the only thread";
  ASSERT_TRUE(broker.publish({.topic = "a", .payload = Payload::copy_of("3")}));
  EXPECT_TRUE(reaches(a_handled, 2)) << "a message arriving while polling is taken without a wake-up";
  a->close();
}

}  // namespace
}  // namespace wasmq
