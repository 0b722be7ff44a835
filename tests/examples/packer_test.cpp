// Testing workers on a queue: two Packers compete for fulfilment jobs; a poison job is retried and
// dead-lettered. Shows the work queue, the outcome policy and the dead-letter matchers together.

#include "guests/packer.hpp"

#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace shop {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::SizeIs;
using wasmq::DeadLetterReason;
using wasmq::testkit::DeadLettered;
using wasmq::testkit::Harness;
using wasmq::testkit::OnTopic;
using wasmq::testkit::WithMetadata;
using wasmq::testkit::WithPayload;

class PackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(harness.broker().declare_queue("fulfilment.dead"));
    ASSERT_TRUE(harness.broker().declare_queue(
        "fulfilment.jobs", {.lock_duration = 5s, .max_deliveries = 3, .dead_letter = "fulfilment.dead"}));
    for (const auto& packer : {first, second}) {
      auto subscribed = harness.subscribe(
          packer,
          {.topic = "fulfilment.jobs", .queue = true, .outcome = {.retry_delay = 1s}, .consumer = {.max_in_flight = 1}},
          harness.guest(packer->Name(), {.publish = {"orders.packed"}}));
      ASSERT_TRUE(subscribed) << subscribed.error().Message();
      subscriptions.push_back(std::move(*subscribed));
    }
    harness.run_until_idle();  // both packers start and wait for work
  }

  Harness harness;
  std::shared_ptr<Packer> first = std::make_shared<Packer>(Packer::Config{.name = "packer-1", .biggest_box = 100});
  std::shared_ptr<Packer> second = std::make_shared<Packer>(Packer::Config{.name = "packer-2", .biggest_box = 100});
  std::vector<wasmq::host::GuestSubscription> subscriptions;
};

TEST_F(PackerTest, PacksAJobAndSaysSo) {
  ASSERT_TRUE(harness.publish("fulfilment.jobs", "ord-1 sku-book 2"));
  harness.run_until_idle();

  EXPECT_THAT(harness.traffic().on_topic("orders.packed"),
              Contains(AllOf(WithPayload("ord-1 sku-book 2"), WithMetadata("order-id", "ord-1"))));
  EXPECT_EQ(first->Packed() + second->Packed(), 1u);
}

TEST_F(PackerTest, CompetingPackersShareTheJobsAndEachJobIsPackedOnce) {
  for (int n = 1; n <= 6; ++n) {
    ASSERT_TRUE(harness.publish("fulfilment.jobs", "ord-" + std::to_string(n) + " sku-mug 1"));
    harness.run_until_idle();  // one at a time, as they arrive
  }

  EXPECT_EQ(first->Packed(), 3u);  // idle consumers take turns
  EXPECT_EQ(second->Packed(), 3u);
  const auto report = harness.check_history();
  EXPECT_TRUE(report.ok()) << report;
  EXPECT_EQ(report.duplicated, 0u);
}

TEST_F(PackerTest, APoisonJobIsRetriedThenDeadLettered) {
  ASSERT_TRUE(harness.publish("fulfilment.jobs", "ord-3 sku-lamp 500"));
  harness.run_until_idle();
  harness.advance(1s);
  harness.advance(1s);

  EXPECT_THAT(harness.traffic().dead_letters(),
              ElementsAre(AllOf(DeadLettered(DeadLetterReason::max_deliveries, 3), WithPayload("ord-3 sku-lamp 500"))));
  // The dead letter itself carries the broker's record: a consumer of fulfilment.dead sees this.
  const auto letters = harness.traffic().in_queue("fulfilment.dead");
  ASSERT_THAT(letters, SizeIs(1));
  EXPECT_THAT(letters[0], AllOf(DeadLettered(DeadLetterReason::max_deliveries, 3),
                                WithMetadata(wasmq::dead_letter_keys::original_topic, "fulfilment.jobs")));
  EXPECT_THAT(harness.traffic().on_topic("orders.packed"), SizeIs(0));
}

TEST_F(PackerTest, AMalformedJobIsDeadLetteredAtOnce) {
  ASSERT_TRUE(harness.publish("fulfilment.jobs", "garbage"));
  harness.run_until_idle();

  EXPECT_THAT(harness.traffic().dead_letters(), ElementsAre(DeadLettered(DeadLetterReason::rejected, 1)));
}

TEST_F(PackerTest, AJobWhosePackerIsStoppedMidWayGoesToTheOtherPacker) {
  harness.faults().close_consumer_during_next_delivery("fulfilment.jobs");
  ASSERT_TRUE(harness.publish("fulfilment.jobs", "ord-1 sku-book 1"));
  harness.run_until_idle();

  EXPECT_EQ(harness.broker().queue_stats("fulfilment.jobs")->accepted, 1u);
  EXPECT_EQ(second->Packed(), 1u);  // the first packed too, but its result was lost with its consumer
  EXPECT_TRUE(harness.check_history().ok());
}

TEST_F(PackerTest, MayPublishOnlyWhereItsPermissionsAllow) {
  // A packer configured without publish rights cannot announce its work: the job is retried.
  Harness restricted;
  ASSERT_TRUE(restricted.broker().declare_queue("fulfilment.jobs"));
  Packer packer({.name = "packer-x"});
  auto outcome = restricted.deliver(packer, "fulfilment.jobs", "ord-1 sku-book 1",
                                    {.as = restricted.guest("packer-x", {.publish = {}})});
  EXPECT_TRUE(outcome.rejected()) << outcome;  // permission-denied is not worth a retry
}

}  // namespace
}  // namespace shop
