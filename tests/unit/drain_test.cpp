// Broker::drain: refuse new publishes (but those of handlers finishing their work), let what is
// queued and in flight finish, and say what is left.

#include "support/broker_fixture.hpp"

#include <atomic>
#include <memory>

namespace wasmq {
namespace {

using testing_support::make_message;

class DrainTest : public ::testing::Test {
 protected:
  ThreadPoolRuntime runtime{2};  // declared first: outlives the broker
  Broker broker{runtime};
};

TEST_F(DrainTest, FinishesWhatIsQueuedThenRefusesPublishes) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  std::atomic<int> accepted{0};
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(broker.publish(make_message("jobs", std::to_string(i))));
  auto consumer = broker.consume("jobs", {.batch_size = 1}, [&](Delivery& delivery) {
    if (delivery.accept()) accepted.fetch_add(1);
  });
  ASSERT_TRUE(consumer);
  const DrainReport report = broker.drain(10s);
  EXPECT_TRUE(report.finished) << report;
  EXPECT_EQ(report.waiting, 0u);
  EXPECT_EQ(report.in_flight, 0u);
  EXPECT_EQ(accepted.load(), 200);
  auto refused = broker.publish(make_message("jobs"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::closed);
  EXPECT_NE(refused.error().message().find("draining"), std::string::npos) << refused.error();
}

TEST_F(DrainTest, HandlersMayStillPublishOnwardWhileDraining) {
  ASSERT_TRUE(broker.declare_queue("orders"));
  ASSERT_TRUE(broker.declare_queue("invoices"));
  std::atomic<int> invoiced{0};
  auto forwarder = broker.consume("orders", {}, [&](Delivery& delivery) {
    if (broker.publish(make_message("invoices", delivery.message().payload.as_string()))) (void)delivery.accept();
  });
  auto invoicer = broker.consume("invoices", {}, [&](Delivery& delivery) {
    if (delivery.accept()) invoiced.fetch_add(1);
  });
  ASSERT_TRUE(forwarder && invoicer);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(broker.publish(make_message("orders")));
  const DrainReport report = broker.drain(10s);
  EXPECT_TRUE(report.finished) << report;
  EXPECT_EQ(invoiced.load(), 100) << "publishes from handlers finishing their work are taken";
}

TEST_F(DrainTest, QueuesNobodyConsumesDoNotHoldADrainButAreReported) {
  ASSERT_TRUE(broker.declare_queue("orders.dead"));
  ASSERT_TRUE(broker.publish(make_message("orders.dead", "letter")));
  const DrainReport report = broker.drain(10s);
  EXPECT_TRUE(report.finished);
  EXPECT_EQ(report.waiting, 1u);
  ASSERT_EQ(report.unfinished.size(), 1u);
  EXPECT_EQ(report.unfinished[0].name, "orders.dead");
}

TEST_F(DrainTest, ATimeoutReturnsWhatIsStillInFlight) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  auto held = std::make_shared<std::vector<Delivery>>();
  std::mutex held_mutex;
  auto keeper = broker.consume("jobs", {}, [&](Delivery& delivery) {
    std::lock_guard lock(held_mutex);
    held->push_back(std::move(delivery));  // never settled during the drain
  });
  ASSERT_TRUE(keeper);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(broker.publish(make_message("jobs")));
  const DrainReport report = broker.drain(50ms);
  EXPECT_FALSE(report.finished);
  EXPECT_EQ(report.in_flight + report.waiting, 3u) << report;
  keeper->close();
}

TEST(DrainOnAManualRuntime, DoesNotWaitAndSaysWhatIsLeft) {
  ManualRuntime runtime;
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("jobs"));
  auto consumer = broker.consume("jobs", {}, [](Delivery& delivery) { (void)delivery.accept(); });
  ASSERT_TRUE(consumer);
  ASSERT_TRUE(broker.publish(make_message("jobs")));
  DrainReport report = broker.drain(1h);  // returns at once: nothing runs unless the test runs it
  EXPECT_FALSE(report.finished);
  EXPECT_EQ(report.waiting, 1u);
  EXPECT_EQ(broker.publish(make_message("jobs")).error().code, Errc::closed);
  runtime.run_until_idle();
  report = broker.drain(1h);
  EXPECT_TRUE(report.finished);
  EXPECT_EQ(report.waiting + report.in_flight, 0u);
}

}  // namespace
}  // namespace wasmq
