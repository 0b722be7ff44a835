// Testing a guest that calls other services: Checkout asks pricing for a quote (request-reply),
// then publishes an order event and a fulfilment job. The harness stands in for everything around
// it: a scripted pricing responder, a manual clock for the timeout, captured traffic to assert on.
// docs/testing.md walks through this file.

#include "guests/checkout.hpp"

#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace shop {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using wasi::messaging::types::Error;
using wasmq::testkit::canned;
using wasmq::testkit::Harness;
using wasmq::testkit::OnTopic;
using wasmq::testkit::silent;
using wasmq::testkit::TrafficKind;
using wasmq::testkit::WithMetadata;
using wasmq::testkit::WithPayload;
using Kind = Error::Kind;

class CheckoutTest : public ::testing::Test {
 protected:
  /// What the guest sent, in order (the harness captures every send).
  std::vector<wasmq::testkit::TrafficEvent> sent() { return harness.traffic().of_kind(TrafficKind::sent); }

  Harness harness;  // manual clock and executor: nothing runs until the test says so
  Checkout checkout{{.quote_timeout_ms = 100}};
};

TEST_F(CheckoutTest, APricedCheckoutBecomesAnOrderAndAJob) {
  harness.respond("pricing.quote", canned({"1250"}));

  auto outcome = harness.deliver(checkout, "checkout", "ord-1 sku-book 2");

  EXPECT_TRUE(outcome.accepted()) << outcome;
  EXPECT_THAT(sent(), ElementsAre(AllOf(OnTopic("pricing.quote"), WithPayload("sku-book")),
                                  OnTopic("_INBOX.>"),  // the responder's reply
                                  AllOf(OnTopic("orders.created"), WithPayload("ord-1 sku-book 2 2500"),
                                        WithMetadata("order-id", "ord-1"), WithMetadata("total-cents", "2500")),
                                  AllOf(OnTopic("fulfilment.jobs"), WithPayload("ord-1 sku-book 2"))));
}

TEST_F(CheckoutTest, AQuoteThatTimesOutFailsTheOrderWithoutARetry) {
  auto& pricing = harness.respond("pricing.quote", silent());
  const auto before = harness.now();

  auto outcome = harness.deliver(checkout, "checkout", "ord-4 sku-unlisted 1");

  EXPECT_TRUE(outcome.accepted()) << outcome;  // nothing a retry would fix
  EXPECT_EQ(harness.now() - before, 100ms);    // the manual clock jumped to the timeout
  EXPECT_THAT(pricing.requests(), ElementsAre("sku-unlisted"));
  EXPECT_THAT(harness.traffic().on_topic("orders.>"),
              ElementsAre(AllOf(OnTopic("orders.failed"), WithMetadata("order-id", "ord-4"),
                                WithMetadata("reason", "no price for sku-unlisted within 100 ms"))));
  EXPECT_THAT(harness.traffic().on_topic("fulfilment.>"), IsEmpty());
}

TEST_F(CheckoutTest, NoPricingServiceAtAllFailsTheOrderAtOnce) {
  auto outcome = harness.deliver(checkout, "checkout", "ord-7 sku-book 1");

  EXPECT_TRUE(outcome.accepted()) << outcome;
  EXPECT_THAT(harness.traffic().on_topic("orders.failed"),
              ElementsAre(WithMetadata("reason", ::testing::HasSubstr("no responders"))));
}

TEST_F(CheckoutTest, AMalformedCheckoutIsRejected) {
  auto outcome = harness.deliver(checkout, "checkout", "ord-8 sku-book lots");

  EXPECT_TRUE(outcome.rejected()) << outcome;
  EXPECT_THAT(sent(), IsEmpty());
}

TEST_F(CheckoutTest, ANonsenseQuoteIsRetriedLater) {
  harness.respond("pricing.quote", canned({"cheap"}));

  auto outcome = harness.deliver(checkout, "checkout", "ord-9 sku-book 1");

  EXPECT_TRUE(outcome.released()) << outcome;
  EXPECT_EQ(outcome.error->GetKind(), Kind::kOther);
}

TEST_F(CheckoutTest, AFailedSendIsRetriedByTheHost) {
  harness.respond("pricing.quote", canned({"800"}));
  harness.faults().fail_next_send("fulfilment.jobs");

  auto outcome = harness.deliver(checkout, "checkout", "ord-2 sku-mug 1");

  EXPECT_TRUE(outcome.released()) << outcome;
  EXPECT_EQ(outcome.error->GetKind(), Kind::kConnection);
}

// Through the broker, as the example host wires it: the checkout queue, redelivery after a failed
// send, and an end-to-end history check.
TEST_F(CheckoutTest, OnItsQueueEveryCheckoutEndsAcceptedExactlyOnce) {
  ASSERT_TRUE(harness.broker().declare_queue("checkout", {.max_deliveries = 3}));
  ASSERT_TRUE(harness.broker().declare_queue("fulfilment.jobs"));
  harness.respond("pricing.quote", canned({"800"}));
  // A stand-in for the packers: accepts every job.
  auto jobs = harness.subscribe(wasmq::testkit::guest_from([](auto&&) -> std::expected<void, Error> { return {}; }),
                                {.topic = "fulfilment.jobs", .queue = true});
  auto guest = std::make_shared<Checkout>(Checkout::Config{});
  auto subscription = harness.subscribe(guest, {.topic = "checkout", .queue = true, .outcome = {.retry_delay = 1s}},
                                        harness.guest("checkout"));
  ASSERT_TRUE(subscription) << subscription.error().Message();
  harness.faults().fail_next_send("orders.created");

  for (const char* line : {"ord-1 sku-mug 1", "ord-2 sku-mug 2", "ord-3 sku-mug 3"}) {
    ASSERT_TRUE(harness.publish("checkout", line));
  }
  harness.run_until_idle();
  harness.advance(1s);  // the retry of ord-1, whose first orders.created failed

  EXPECT_THAT(harness.traffic().on_topic("orders.created"),
              Contains(WithPayload("ord-1 sku-mug 1 800")).Times(2));  // the failed send and the retry
  const auto report = harness.check_history();
  EXPECT_TRUE(report.ok()) << report;
  EXPECT_EQ(harness.broker().queue_stats("checkout")->accepted, 3u);
  EXPECT_EQ(harness.broker().queue_stats("fulfilment.jobs")->accepted, 3u);
}

}  // namespace
}  // namespace shop
