// Testing a responder: Pricing answers quotes with Reply. Deliver it a request directly (with a
// reply address) and look at what it sent; or ask it through the broker with a real request.

#include "guests/pricing.hpp"

#include <wasi/messaging/request_reply.hpp>
#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace shop {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using wasmq::testkit::Harness;
using wasmq::testkit::message_of;
using wasmq::testkit::OnTopic;
using wasmq::testkit::text_of;
using wasmq::testkit::TrafficKind;
using wasmq::testkit::WithPayload;
namespace types = wasi::messaging::types;

Pricing MakePricing() { return Pricing({{"sku-book", 1250}, {"sku-mug", 800}}); }

TEST(PricingTest, AnswersAKnownSkuWithItsPriceInCents) {
  Harness harness;
  Pricing pricing = MakePricing();

  auto outcome = harness.deliver(pricing, "pricing.quote", "sku-mug", {.reply_to = "_INBOX.test"});

  EXPECT_TRUE(outcome.accepted()) << outcome;
  EXPECT_THAT(harness.traffic().of_kind(TrafficKind::sent),
              ElementsAre(AllOf(OnTopic("_INBOX.test"), WithPayload("800"))));
}

TEST(PricingTest, StaysSilentForAnUnknownSku) {
  Harness harness;
  Pricing pricing = MakePricing();

  auto outcome = harness.deliver(pricing, "pricing.quote", "sku-yacht", {.reply_to = "_INBOX.test"});

  EXPECT_TRUE(outcome.accepted()) << outcome;
  EXPECT_THAT(harness.traffic().of_kind(TrafficKind::sent), IsEmpty());
}

TEST(PricingTest, AMessageThatIsNotARequestCannotBeAnsweredAndIsRetried) {
  Harness harness;
  Pricing pricing = MakePricing();

  auto outcome = harness.deliver(pricing, "pricing.quote", "sku-book");  // no reply address

  EXPECT_TRUE(outcome.released()) << outcome;
}

TEST(PricingTest, AnswersRealRequestsThroughTheBroker) {
  Harness harness;
  auto pricing = std::make_shared<Pricing>(MakePricing());
  auto subscription = harness.subscribe(pricing, {.topic = "pricing.quote"});
  ASSERT_TRUE(subscription);

  auto scope = harness.as_guest();  // the test acts as a guest calling pricing
  auto client = types::Client::Connect("inproc");
  ASSERT_TRUE(client);
  auto replies =
      wasi::messaging::request_reply::Request(*client, "pricing.quote", message_of("sku-book"), std::nullopt);

  ASSERT_TRUE(replies) << replies.error().Message();
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ(text_of(replies->front()), "1250");
  EXPECT_EQ(replies->front().ContentType(), "text/plain");
}

}  // namespace
}  // namespace shop
