// Guests written against the earlier revisions of wasi:messaging, tested with the testing kit: a
// harness broker on a manual clock, each revision's host session or subscription, and the traffic
// the kit records.

#include "guests/revisions/invoice_batcher.hpp"
#include "guests/revisions/order_auditor.hpp"
#include "guests/revisions/parcel_forwarder.hpp"
#include "guests/revisions/stock_watcher.hpp"

#include <wasmq/host/r1_session.hpp>
#include <wasmq/host/r2_session.hpp>
#include <wasmq/host/r3_guest.hpp>
#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace shop::revisions {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Pair;
using wasmq::testkit::DeadLettered;
using wasmq::testkit::Harness;
using wasmq::testkit::OnTopic;
using wasmq::testkit::TrafficKind;
using wasmq::testkit::WithMetadata;
using wasmq::testkit::WithPayload;
namespace r1 = wasi::messaging::r1;

TEST(OrderAuditorTest, QueuesOneAuditEventPerPlacedOrder) {
  Harness harness;
  ASSERT_TRUE(harness.broker().declare_queue("audit"));
  auto auditor = std::make_shared<OrderAuditor>();
  wasmq::host::r1::Session session(harness.guest("auditor"), auditor, {});
  {
    wasmq::host::r1::ScopedSession as(session);
    ASSERT_TRUE(auditor->Start());
  }
  wasmq::host::r1::Session shop(harness.guest("shop"), std::make_shared<OrderAuditor>(), {});
  {
    wasmq::host::r1::ScopedSession as(shop);
    ASSERT_TRUE(
        r1::pub::Publish(r1::types::Channel::Topic("orders.placed"), {.specversion = "1.0",
                                                                      .ty = "com.shop.order",
                                                                      .source = "/shop",
                                                                      .id = "o-42",
                                                                      .data = std::vector<std::uint8_t>{'4', '2'}}));
  }
  harness.run_until_idle();

  EXPECT_EQ(auditor->Audited(), 1U);
  EXPECT_THAT(harness.traffic().sent_to("audit"),
              ElementsAre(AllOf(WithPayload("42"), WithMetadata("ce-type", "com.shop.audit"),
                                WithMetadata("ce-orderid", "o-42"))));
  wasmq::host::r1::ScopedSession as(session);
  EXPECT_TRUE(auditor->Stop());
  EXPECT_EQ(session.Subscriptions(), 0U);
}

TEST(InvoiceBatcherTest, AddsUpWellFormedInvoicesAndDeadLettersTheRest) {
  Harness harness;
  ASSERT_TRUE(harness.broker().declare_queue("invoices.dead"));
  ASSERT_TRUE(harness.broker().declare_queue("invoices", {.max_deliveries = 2, .dead_letter = "invoices.dead"}));
  auto batcher = std::make_shared<InvoiceBatcher>();
  wasmq::host::r2::Session session(harness.guest("batcher"), batcher,
                                   {.queue_channels = {"invoices"}, .retry_delay = wasmq::Duration::zero()});
  {
    wasmq::host::r2::ScopedSession as(session);
    ASSERT_TRUE(batcher->Start());
  }
  for (const auto* invoice : {"1250", "not a number", "800"}) ASSERT_TRUE(harness.publish("invoices", invoice));

  auto first = session.DeliverWaiting({});   // all three in one batch
  auto second = session.DeliverWaiting({});  // the malformed one, retried, then out of deliveries
  harness.run_until_idle();

  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, 3U);
  EXPECT_EQ(*second, 1U);
  EXPECT_EQ(batcher->TotalCents(), 2050);
  EXPECT_THAT(harness.traffic().of_kind(TrafficKind::dead_lettered),
              ElementsAre(AllOf(WithPayload("not a number"), DeadLettered("max_deliveries", 2))));
}

TEST(ParcelForwarderTest, ForwardsEachParcelToTheTrackedTopic) {
  Harness harness;
  auto subscribed = wasmq::host::r3::SubscribeGuest(harness.guest("forwarder"), "inproc",
                                                    std::make_shared<ParcelForwarder>(), {.topic = "parcels.in"});
  ASSERT_TRUE(subscribed);
  ASSERT_TRUE(harness.publish("parcels.in", "box 7"));
  harness.run_until_idle();

  EXPECT_THAT(harness.traffic().sent_to("parcels.tracked"),
              ElementsAre(AllOf(OnTopic("parcels.tracked"), WithPayload("box 7"),
                                WithMetadata("forwarded-by", "parcel-forwarder"))));
}

TEST(StockWatcherTest, CountsUpdatesOnTheTopicsItNamed) {
  Harness harness;
  auto watcher = std::make_shared<StockWatcher>(std::vector<std::string>{"stock.mugs", "stock.books"});
  auto started = wasmq::host::r4::StartGuest(harness.guest("watcher"), "inproc", watcher);
  ASSERT_TRUE(started);
  for (const auto* topic : {"stock.mugs", "stock.books", "stock.mugs", "stock.lamps"}) {
    ASSERT_TRUE(harness.publish(topic, "1"));
  }
  harness.run_until_idle();

  EXPECT_THAT(watcher->Updates(), ElementsAre(Pair("stock.books", 1), Pair("stock.mugs", 2)));
  EXPECT_THAT(harness.traffic().of_kind(TrafficKind::accepted), ::testing::SizeIs(3));  // stock.lamps unwatched
}

}  // namespace
}  // namespace shop::revisions
