// Testing a subscriber on wildcard topics: the Ledger books every order event on orders.> (a
// fan-out it shares with the mailer) and every dead letter. Runs threaded too, with wait_for_idle.

#include "guests/ledger.hpp"
#include "guests/mailer.hpp"

#include <wasmq/host/turn.hpp>
#include <wasmq/testing/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace shop {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using wasmq::testkit::Harness;
using wasmq::testkit::OnTopic;
using wasmq::testkit::TrafficKind;
using wasmq::testkit::WithMetadata;

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
  auto failing = wasmq::testkit::guest_from(
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
  // The ledger has no locks, as a WebAssembly guest has none: its host gives it one delivery at
  // a time across its two subscriptions.
  auto serial_ledger = wasmq::host::OneAtATime(ledger);
  const auto ledger_guest =
      harness.guest("ledger", {.publish = {"ledger.books"}, .subscribe = {"orders.>", "mail.outbox"}});
  auto books = harness.subscribe(serial_ledger, {.topic = "orders.>"}, ledger_guest);
  auto mail_books = harness.subscribe(serial_ledger, {.topic = "mail.outbox"}, ledger_guest);
  auto mails = harness.subscribe(mailer, {.topic = "orders.created"}, harness.guest("mailer", {.publish = {"mail.>"}}));
  ASSERT_TRUE(books && mail_books && mails);

  for (int n = 1; n <= 50; ++n) {
    const std::string id = "ord-" + std::to_string(n);
    ASSERT_TRUE(harness.publish("orders.created", id + " sku-mug 1 800", {{"order-id", id}, {"total-cents", "800"}}));
  }
  ASSERT_TRUE(harness.wait_for_idle(30s));  // exact: every delivery and every mail is done

  EXPECT_EQ(ledger->Snapshot().created, 50);
  EXPECT_EQ(ledger->Snapshot().mailed, 50);
  EXPECT_EQ(ledger->Snapshot().revenue_cents, 50 * 800);
  const auto sent_on = [&harness](std::string_view topic) {
    return harness.traffic().select([topic](const wasmq::testkit::TrafficEvent& event) {
      return event.kind == TrafficKind::sent && event.topic() == topic;
    });
  };
  EXPECT_EQ(sent_on("mail.outbox").size(), 50u);
  EXPECT_THAT(sent_on("mail.outbox")[0], WithMetadata("order-id", "ord-1"));
  // One report per booking; the books in the reports only grow, and the largest is the final one.
  const auto reports = sent_on("ledger.books");
  ASSERT_EQ(reports.size(), 100u);
  std::optional<Books> last;
  for (const auto& report : reports) {
    auto parsed = Books::Parse(report.text());
    ASSERT_TRUE(parsed) << report.text();
    if (!last || parsed->created + parsed->mailed > last->created + last->mailed) last = parsed;
  }
  EXPECT_EQ(*last, ledger->Snapshot());
}

TEST(LedgerTest, BooksReadBackFromTheirReport) {
  Books books{.created = 2, .failed = 1, .packed = 1, .mailed = 2, .revenue_cents = 3300};
  books.packed_by["packer-1"] = 1;
  books.dead_letters.push_back("ord-3: max_deliveries after 3 deliveries (no box)");
  books.failures.push_back("ord-4: no price for sku-x within 100 ms");
  EXPECT_EQ(Books::Parse(books.ToText()), books);
  EXPECT_EQ(Books::Parse("created 1"), std::nullopt);      // no newline: not a whole report
  EXPECT_EQ(Books::Parse("created one\n"), std::nullopt);  // not a number
  EXPECT_EQ(Books::Parse("shipped 1\n"), std::nullopt);    // not a fact the ledger keeps
}

}  // namespace
}  // namespace shop
