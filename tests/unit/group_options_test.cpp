// The second member of a subscription group joins the first member's queue: options that differ
// from it are refused rather than silently ignored.

#include "support/broker_fixture.hpp"

namespace wasmq {
namespace {

using testing_support::BrokerTest;

using GroupOptionsTest = BrokerTest;

TEST_F(GroupOptionsTest, AMemberWithOtherQueueOptionsIsRefused) {
  auto noop = [](Delivery&) {};
  auto first = broker.subscribe("orders.>", {.group = "billing", .queue = QueueOptions{.max_deliveries = 3}}, noop);
  ASSERT_TRUE(first);
  auto second = broker.subscribe("orders.>", {.group = "billing", .queue = QueueOptions{.max_deliveries = 5}}, noop);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::already_exists);
  EXPECT_NE(second.error().message().find("group 'billing'"), std::string::npos) << second.error();
  auto receiver = broker.subscribe_receiver("orders.>", {.group = "billing", .queue = QueueOptions{.max_length = 9}});
  EXPECT_EQ(receiver.error().code, Errc::already_exists) << "pull members too";
}

TEST_F(GroupOptionsTest, AMemberWithTheSameOptionsOrNoneJoins) {
  auto noop = [](Delivery&) {};
  auto first = broker.subscribe("orders.>", {.group = "billing", .queue = QueueOptions{.max_deliveries = 3}}, noop);
  auto same = broker.subscribe("orders.>", {.group = "billing", .queue = QueueOptions{.max_deliveries = 3}}, noop);
  auto none = broker.subscribe("orders.>", {.group = "billing"}, noop);
  ASSERT_TRUE(first && same && none);
  ASSERT_EQ(broker.stats().queues.size(), 1u) << "one queue for the group";
  EXPECT_EQ(broker.stats().queues[0].consumers, 3u);
}

}  // namespace
}  // namespace wasmq
