// The observer hook: every event of every message, in order, with delivery counts and reasons.

#include "support/broker_fixture.hpp"

#include <algorithm>
#include <mutex>

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::Collector;
using testing_support::make_message;

struct Recorder final : Observer {
  void on_event(const Event& event) noexcept override {
    std::lock_guard lock(mutex);
    std::string line = std::string(to_string(event.kind)) + " " + std::string(event.queue) + " " +
                       std::string(event.message.payload().as_string()) + " #" + std::to_string(event.delivery_count);
    if (event.reason) line += " " + std::string(to_string(*event.reason));
    lines.push_back(std::move(line));
    times.push_back(event.time);
  }
  std::mutex mutex;
  std::vector<std::string> lines;
  std::vector<TimePoint> times;
};

class ObserverTest : public BrokerTest {
 protected:
  ObserverTest() : BrokerTest(BrokerOptions{.observer = recorder}) {}
  static inline std::shared_ptr<Recorder> recorder;
  void SetUp() override { recorder->lines.clear(); }
  static void SetUpTestSuite() { recorder = std::make_shared<Recorder>(); }
  static void TearDownTestSuite() { recorder.reset(); }
  std::vector<std::string>& lines() { return recorder->lines; }
};

TEST_F(ObserverTest, FollowsAMessageThroughItsLifecycle) {
  ASSERT_TRUE(broker.declare_queue("q"));
  auto receiver = broker.open_receiver("q");
  publish("q", "m");
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->release());
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->accept());
  EXPECT_EQ(lines(), (std::vector<std::string>{"published q m #0", "delivered q m #1", "released q m #1",
                                               "delivered q m #2", "accepted q m #2"}));
}

TEST_F(ObserverTest, ARejectionShowsTheLetterArrivingAndTheReason) {
  ASSERT_TRUE(broker.declare_queue("dead"));
  ASSERT_TRUE(broker.declare_queue("q", {.dead_letter = "dead"}));
  auto receiver = broker.open_receiver("q");
  publish("q", "bad");
  ASSERT_TRUE(receiver->receive(wasmq::Duration::zero())->reject("nope"));
  EXPECT_EQ(lines(), (std::vector<std::string>{"published q bad #0", "delivered q bad #1", "rejected q bad #1",
                                               "published dead bad #0", "dead_lettered q bad #1 rejected"}));
}

TEST_F(ObserverTest, RefusalsDropsAndExpiriesAreEvents) {
  ASSERT_TRUE(broker.declare_queue("full", {.max_length = 1}));
  ASSERT_TRUE(broker.declare_queue("ring", {.max_length = 1, .overflow = OverflowPolicy::drop_oldest}));
  ASSERT_TRUE(broker.declare_queue("ttl", {.message_ttl = 1s}));
  publish("full", "1");
  EXPECT_FALSE(broker.publish(make_message("full", "2")));
  publish("ring", "old");
  publish("ring", "new");
  publish("ttl", "stale");
  runtime.advance(1s);
  auto receiver = broker.open_receiver("ttl");
  EXPECT_FALSE(receiver->receive(wasmq::Duration::zero()));
  EXPECT_EQ(lines(), (std::vector<std::string>{"published full 1 #0", "refused full 2 #0", "published ring old #0",
                                               "dropped ring old #0 overflow", "published ring new #0",
                                               "published ttl stale #0", "dropped ttl stale #0 expired"}));
}

TEST_F(ObserverTest, FailedDeliveriesSayHowTheyFailed) {
  ASSERT_TRUE(broker.declare_queue("locks", {.lock_duration = 5s}));
  ASSERT_TRUE(broker.declare_queue("throws"));
  Collector holder;
  auto held = broker.consume("locks", {}, holder.handler());
  int calls = 0;
  auto thrower = broker.consume("throws", {}, [&](Delivery& delivery) {
    if (++calls == 1) throw std::runtime_error("bug");
    (void)delivery.accept();
  });
  publish("locks", "l");
  publish("throws", "t");
  runtime.run_until_idle();
  runtime.advance(5s);
  const auto& recorded = lines();
  EXPECT_NE(std::find(recorded.begin(), recorded.end(), "lock_expired locks l #1"), recorded.end());
  EXPECT_NE(std::find(recorded.begin(), recorded.end(), "handler_failed throws t #1"), recorded.end());
  EXPECT_NE(std::find(recorded.begin(), recorded.end(), "accepted throws t #2"), recorded.end());
}

TEST_F(ObserverTest, EventsCarryTheRuntimeTime) {
  ASSERT_TRUE(broker.declare_queue("q"));
  recorder->times.clear();
  runtime.advance(7s);
  const TimePoint when = runtime.now();
  publish("q");
  ASSERT_EQ(recorder->times.size(), 1u);
  EXPECT_EQ(recorder->times.front(), when);
}

TEST(EventKindTest, EveryKindHasAName) {
  for (int kind = 0; kind <= static_cast<int>(EventKind::dropped); ++kind) {
    EXPECT_NE(to_string(static_cast<EventKind>(kind)), "unknown");
  }
}

}  // namespace
}  // namespace wasmq
