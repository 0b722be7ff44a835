// Testing a subscriber on wildcard topics: the Ledger books every order event on orders.> (a
// fan-out it shares with the mailer) and every dead letter. Runs threaded too, with wait_for_idle.

#include "guests/ledger.hpp"
#include "guests/mailer.hpp"

#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace shop {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using wasmq::testing::Harness;
using wasmq::testing::OnTopic;
using wasmq::testing::TrafficKind;
using wasmq::testing::WithMetadata;

TEST(LedgerTest, BooksOrderEventsAndRevenue) {
  Harness harness;
  Ledger ledger;

  EXPECT_TRUE(
      harness.deliver(ledger, "orders.created", "ord-1 sku-book 2 2500", {.metadata = {{"total-cents", "2500"}}})
          .accepted());
  EXPECT_TRUE(harness.deliver(ledger, "orders.packed", "ord-1 sku-book 2").accepted());
  EXPECT_TRUE(harness
                  .deliver(ledger, "orders.failed", "ord-4 sku-x 1",
                           {.metadata = {{"order-id", "ord-4"}, {"reason", "no price"}}})
                  .accepted());
  EXPECT_TRUE(harness.deliver(ledger, "orders.unknown", "?").accepted());  // not an error: ignored

  const Books books = ledger.Snapshot();
  EXPECT_EQ(books.created, 1);
  EXPECT_EQ(books.packed, 1);
  EXPECT_EQ(books.failed, 1);
  EXPECT_EQ(books.revenue_cents, 2500);
  EXPECT_THAT(books.failures, ElementsAre("ord-4: no price"));
}

TEST(LedgerTest, ReadsWhyADeadLetterDied) {
  Harness harness;
  ASSERT_TRUE(harness.broker().declare_queue("fulfilment.dead"));
  ASSERT_TRUE(
      harness.broker().declare_queue("fulfilment.jobs", {.max_deliveries = 2, .dead_letter = "fulfilment.dead"}));
  auto ledger = std::make_shared<Ledger>();
  auto books_dead = harness.subscribe(ledger, {.topic = "fulfilment.dead", .queue = true});
  auto failing = wasmq::testing::guest_from(
      [](wasi::messaging::types::Message&&) -> std::expected<void, wasi::messaging::types::Error> {
        return std::unexpected(wasi::messaging::types::Error::Other("no box fits"));
      });
  auto jobs = harness.subscribe(failing, {.topic = "fulfilment.jobs", .queue = true, .outcome = {.retry_delay = 0s}});

  ASSERT_TRUE(harness.publish("fulfilment.jobs", "ord-3 sku-lamp 500"));
  harness.run_until_idle();

  EXPECT_THAT(ledger->Snapshot().dead_letters, ElementsAre(HasSubstr("ord-3: max_deliveries after 2 deliveries")));
}

TEST(LedgerTest, SharesEveryOrderWithTheMailerOnAThreadedBroker) {
  Harness harness({.threads = 2});
  auto ledger = std::make_shared<Ledger>();
  auto mailer = std::make_shared<Mailer>();
  auto books = harness.subscribe(ledger, {.topic = "orders.>"}, harness.guest("ledger", {.publish = {}}));
  auto mails = harness.subscribe(mailer, {.topic = "orders.created"}, harness.guest("mailer", {.publish = {"mail.>"}}));
  ASSERT_TRUE(books && mails);

  for (int n = 1; n <= 50; ++n) {
    const std::string id = "ord-" + std::to_string(n);
    ASSERT_TRUE(harness.publish("orders.created", id + " sku-mug 1 800", {{"order-id", id}, {"total-cents", "800"}}));
  }
  ASSERT_TRUE(harness.wait_for_idle(30s));  // exact: every delivery and every mail is done

  EXPECT_EQ(ledger->Snapshot().created, 50);
  EXPECT_EQ(ledger->Snapshot().revenue_cents, 50 * 800);
  EXPECT_EQ(harness.traffic().on_topic("mail.outbox").size(), 50u);  // 50 sends, no reader
  EXPECT_THAT(harness.traffic().on_topic("mail.outbox")[0], WithMetadata("order-id", "ord-1"));
  const auto report = harness.check_history();  // one consumer per subscription: order is exact
  EXPECT_TRUE(report.ok()) << report;
  EXPECT_EQ(report.accepted, 100u);
}

TEST(MailerTest, MayNotPublishOutsideMail) {
  Harness harness;
  Mailer mailer;
  auto outcome = harness.deliver(mailer, "orders.created", "ord-1 sku-book 2 2500",
                                 {.as = harness.guest("mailer", {.publish = {"notifications.>"}})});
  EXPECT_TRUE(outcome.rejected()) << outcome;
  EXPECT_EQ(outcome.error->GetKind(), wasi::messaging::types::Error::Kind::kPermissionDenied);
  EXPECT_THAT(harness.traffic().of_kind(TrafficKind::sent), ::testing::IsEmpty());
}

}  // namespace
}  // namespace shop
