#include <wasmq/manual_runtime.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace wasmq {
namespace {

using namespace std::chrono_literals;

TEST(ManualRuntimeTest, PostedTasksWaitForRunUntilIdle) {
  ManualRuntime runtime;
  int ran = 0;
  runtime.post([&] { ++ran; });
  EXPECT_EQ(ran, 0);
  EXPECT_EQ(runtime.pending_tasks(), 1u);
  EXPECT_EQ(runtime.run_until_idle(), 1u);
  EXPECT_EQ(ran, 1);
}

TEST(ManualRuntimeTest, RunUntilIdleRunsTasksPostedByTasks) {
  ManualRuntime runtime;
  std::vector<int> order;
  runtime.post([&] {
    order.push_back(1);
    runtime.post([&] { order.push_back(3); });
  });
  runtime.post([&] { order.push_back(2); });
  EXPECT_EQ(runtime.run_until_idle(), 3u);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(ManualRuntimeTest, TimersFireInDeadlineOrderWithTimeAtTheirDeadline) {
  ManualRuntime runtime;
  const TimePoint start = runtime.now();
  std::vector<std::pair<int, Duration>> fired;
  runtime.post_at(start + 20ms, [&] { fired.emplace_back(2, runtime.now() - start); });
  runtime.post_at(start + 10ms, [&] { fired.emplace_back(1, runtime.now() - start); });
  runtime.post_at(start + 10ms, [&] { fired.emplace_back(11, runtime.now() - start); });
  runtime.advance(5ms);
  EXPECT_TRUE(fired.empty());
  runtime.advance(15ms);
  ASSERT_EQ(fired.size(), 3u);
  EXPECT_EQ(fired[0], std::make_pair(1, Duration(10ms)));
  EXPECT_EQ(fired[1], std::make_pair(11, Duration(10ms)));
  EXPECT_EQ(fired[2], std::make_pair(2, Duration(20ms)));
  EXPECT_EQ(runtime.now() - start, Duration(20ms));
}

TEST(ManualRuntimeTest, TimersSetByTimersWithinTheStepFire) {
  ManualRuntime runtime;
  int fired = 0;
  runtime.post_at(runtime.now() + 1s, [&] {
    ++fired;
    runtime.post_at(runtime.now() + 1s, [&] { ++fired; });
  });
  runtime.advance(2s);
  EXPECT_EQ(fired, 2);
  EXPECT_EQ(runtime.pending_timers(), 0u);
}

TEST(ManualRuntimeTest, WaitUntilRunsTasksUntilTheConditionHolds) {
  ManualRuntime runtime;
  int ran = 0;
  for (int i = 0; i < 5; ++i) runtime.post([&] { ++ran; });
  EXPECT_TRUE(runtime.wait_until([&] { return ran == 3; }, TimePoint::max()));
  EXPECT_EQ(ran, 3) << "stops as soon as the condition holds";
  EXPECT_EQ(runtime.pending_tasks(), 2u);
}

TEST(ManualRuntimeTest, WaitUntilJumpsToTimersBeforeTheDeadline) {
  ManualRuntime runtime;
  const TimePoint start = runtime.now();
  bool fired = false;
  runtime.post_at(start + 5s, [&] { fired = true; });
  EXPECT_TRUE(runtime.wait_until([&] { return fired; }, start + 10s));
  EXPECT_EQ(runtime.now(), start + 5s) << "time moved to the timer, no further";
}

TEST(ManualRuntimeTest, WaitUntilGivesUpAtTheDeadlineWithTheClockThere) {
  ManualRuntime runtime;
  const TimePoint start = runtime.now();
  runtime.post_at(start + 1h, [] {});
  EXPECT_FALSE(runtime.wait_until([] { return false; }, start + 2s));
  EXPECT_EQ(runtime.now(), start + 2s);
  EXPECT_EQ(runtime.pending_timers(), 1u) << "a timer after the deadline stays pending";
}

TEST(ManualRuntimeTest, WaitUntilWithoutDeadlineReturnsWhenNothingIsLeft) {
  ManualRuntime runtime;
  EXPECT_FALSE(runtime.wait_until([] { return false; }, TimePoint::max())) << "never blocks";
}

}  // namespace
}  // namespace wasmq
