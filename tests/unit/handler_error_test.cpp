// The error hook: a push handler that throws is a failed delivery, and the hook is told what it
// threw (its text and the exception itself), which queue, which consumer, which message.

#include "support/broker_fixture.hpp"

#include <stdexcept>
#include <vector>

namespace wasmq {
namespace {

using testing_support::make_message;

struct Reported {
  std::string queue;
  std::uint64_t consumer = 0;
  std::string topic;
  std::uint32_t delivery_count = 0;
  std::string what;
  bool rethrows_runtime_error = false;
};

class HandlerErrorTest : public ::testing::Test {
 protected:
  BrokerOptions options_with_hook() {
    BrokerOptions options;
    options.on_handler_error = [this](const HandlerError& error) {
      Reported entry{std::string(error.queue), error.consumer, error.message ? std::string(error.message.topic()) : "",
                     error.delivery_count, error.what};
      try {
        std::rethrow_exception(error.exception);
      } catch (const std::runtime_error&) {
        entry.rethrows_runtime_error = true;
      } catch (...) {  // NOLINT(bugprone-empty-catch): only the runtime_error case is of interest
      }
      reported.push_back(std::move(entry));
    };
    return options;
  }
  std::vector<Reported> reported;
  ManualRuntime runtime;
  Broker broker{runtime, options_with_hook()};
};

TEST_F(HandlerErrorTest, TheHookGetsTheExceptionAndItsText) {
  ASSERT_TRUE(broker.declare_queue("jobs", {.max_deliveries = 2}));
  auto consumer = broker.consume("jobs", {}, [](Delivery&) { throw std::runtime_error("disk full"); });
  ASSERT_TRUE(consumer);
  ASSERT_TRUE(broker.publish(make_message("jobs")));
  runtime.run_until_idle();
  ASSERT_EQ(reported.size(), 2u) << "once per failed delivery, up to max_deliveries";
  EXPECT_EQ(reported[0].queue, "jobs");
  EXPECT_EQ(reported[0].consumer, consumer->stats().id);
  EXPECT_EQ(reported[0].topic, "jobs");
  EXPECT_EQ(reported[0].delivery_count, 1u);
  EXPECT_EQ(reported[1].delivery_count, 2u);
  EXPECT_EQ(reported[0].what, "disk full");
  EXPECT_TRUE(reported[0].rethrows_runtime_error);
  EXPECT_EQ(consumer->stats().handler_failures, 2u) << "still counted";
}

TEST_F(HandlerErrorTest, ANonStandardExceptionIsSaidToBeOne) {
  ASSERT_TRUE(broker.declare_queue("jobs", {.max_deliveries = 1}));
  auto consumer = broker.consume("jobs", {}, [](Delivery&) { throw 42; });
  ASSERT_TRUE(broker.publish(make_message("jobs")));
  runtime.run_until_idle();
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].what, "a non-standard exception");
  EXPECT_FALSE(reported[0].rethrows_runtime_error);
}

TEST(HandlerErrorHook, AThrowingHookIsSwallowedAndTheDeliveryStillFails) {
  ManualRuntime runtime;
  Broker broker(runtime, {.on_handler_error = [](const HandlerError&) { throw std::logic_error("hook"); }});
  ASSERT_TRUE(broker.declare_queue("jobs", {.max_deliveries = 1}));
  auto consumer = broker.consume("jobs", {}, [](Delivery&) { throw std::runtime_error("handler"); });
  ASSERT_TRUE(broker.publish(make_message("jobs")));
  runtime.run_until_idle();
  auto stats = broker.queue_stats("jobs");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->handler_failures, 1u);
  EXPECT_EQ(stats->dropped_total(), 1u) << "dead-lettered at max_deliveries as without a hook";
}

}  // namespace
}  // namespace wasmq
