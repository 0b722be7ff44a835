// A push handler's delivery borrows its message from its in-flight slot (no reference count moves
// per delivery): whatever ends the holding while the handler still has the delivery — the lock
// sweeper, the handler's own release or reject, the consumer closed from inside the handler, a
// throw — the message it reads stays alive, even once another consumer has taken and accepted
// it. Each test makes that other consumer free the message inside the handler, so that under
// AddressSanitizer a message nobody kept a reference to is a use after free.

#include "support/broker_fixture.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace wasmq {
namespace {

using namespace std::chrono_literals;
using testing_support::BrokerTest;
using testing_support::text_of;

// Longer than a payload kept inline, so that the message owns memory and is really freed.
const std::string kText(200, 'm');

class BorrowedDeliveryTest : public BrokerTest {
 protected:
  void SetUp() override { ASSERT_TRUE(broker.declare_queue("jobs", {.lock_duration = 1s, .max_deliveries = 10})); }

  /// A second consumer of the queue, accepting whatever it gets: opened on demand, inside a
  /// handler, so that it runs only when the test wants it to.
  void open_other() {
    auto opened = broker.consume("jobs", {}, [this](Delivery& delivery) {
      ASSERT_TRUE(delivery.accept());
      ++accepted_by_other;
    });
    ASSERT_TRUE(opened);
    other = std::move(*opened);
  }

  /// Opens `first` on `queue` with `handler`, publishes kText there and runs until idle.
  void deliver_with(Handler handler, std::string_view queue = "jobs") {
    auto opened = broker.consume(queue, {}, std::move(handler));
    ASSERT_TRUE(opened);
    first = std::move(*opened);
    publish(queue, kText);
    runtime.run_until_idle();
  }

  Consumer first;
  Consumer other;
  int accepted_by_other = 0;
  std::string read_after;
};

TEST_F(BorrowedDeliveryTest, AHandlerReadsItsMessageAfterTheLockExpiredAndAnotherConsumerAcceptedIt) {
  deliver_with([this](Delivery& delivery) {
    if (delivery.delivery_count() > 1) return;  // not reached: the other consumer takes it
    runtime.advance(2s);                        // the sweeper puts it back in the queue
    open_other();
    runtime.run_until_idle();  // the other consumer accepts it: the queue lets it go
    EXPECT_EQ(accepted_by_other, 1);
    read_after = text_of(delivery);
    EXPECT_EQ(delivery.accept().error().code, Errc::lock_lost);
  });
  EXPECT_EQ(read_after, kText);
  EXPECT_EQ(stats_of("jobs").accepted, 1u);
}

TEST_F(BorrowedDeliveryTest, ADeliveryMovedOutAfterItsLockExpiredOwnsItsMessage) {
  std::vector<Delivery> kept;
  deliver_with([this, &kept](Delivery& delivery) {
    if (!kept.empty()) {
      ASSERT_TRUE(delivery.accept());  // the next message, in the slot the kept one had
      return;
    }
    runtime.advance(2s);
    kept.push_back(std::move(delivery));
    open_other();
    runtime.run_until_idle();
  });
  other.close();
  publish("jobs", "next");  // installed into the same slot, over the entry the kept one came from
  runtime.run_until_idle();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(text_of(kept[0]), kText);
  EXPECT_EQ(kept[0].accept().error().code, Errc::lock_lost);
}

TEST_F(BorrowedDeliveryTest, AHandlerReadsItsMessageAfterAcceptingIt) {
  // The accept lets the queue's reference go: the delivery has taken it over.
  deliver_with([this](Delivery& delivery) {
    ASSERT_TRUE(delivery.accept());
    read_after = text_of(delivery);
  });
  EXPECT_EQ(read_after, kText);
}

TEST_F(BorrowedDeliveryTest, AHandlerReadsItsMessageAfterReleasingItAndAnotherConsumerAcceptedIt) {
  deliver_with([this](Delivery& delivery) {
    if (delivery.delivery_count() > 1) return;
    ASSERT_TRUE(delivery.release());
    open_other();
    runtime.run_until_idle();
    EXPECT_EQ(accepted_by_other, 1);
    read_after = text_of(delivery);
  });
  EXPECT_EQ(read_after, kText);
}

TEST_F(BorrowedDeliveryTest, AHandlerReadsItsMessageAfterRejectingIt) {
  ASSERT_TRUE(broker.declare_queue("jobs.dead"));
  ASSERT_TRUE(broker.declare_queue("rejects", {.dead_letter = "jobs.dead"}));
  auto dead = broker.consume("jobs.dead", {}, [](Delivery& delivery) { ASSERT_TRUE(delivery.accept()); });
  ASSERT_TRUE(dead);
  deliver_with(
      [this](Delivery& delivery) {
        ASSERT_TRUE(delivery.reject("no"));
        runtime.run_until_idle();  // the dead letter is taken and accepted; the original is let go
        read_after = text_of(delivery);
      },
      "rejects");
  EXPECT_EQ(read_after, kText);
  EXPECT_EQ(stats_of("jobs.dead").accepted, 1u);
}

TEST_F(BorrowedDeliveryTest, AHandlerReadsItsMessageAfterClosingItsOwnConsumer) {
  deliver_with([this](Delivery& delivery) {
    first.close();  // gives back what it holds, this delivery's message included
    open_other();
    runtime.run_until_idle();
    EXPECT_EQ(accepted_by_other, 1);
    read_after = text_of(delivery);
    EXPECT_EQ(delivery.accept().error().code, Errc::lock_lost);
  });
  EXPECT_EQ(read_after, kText);
}

TEST(BorrowedDeliveryHookTest, TheErrorHookKeepsTheMessageOfAHandlerThatThrew) {
  SharedMessage reported;
  ManualRuntime runtime;
  BrokerOptions options;
  options.on_handler_error = [&reported](const HandlerError& error) { reported = error.message; };
  Broker broker(runtime, std::move(options));
  ASSERT_TRUE(broker.declare_queue("jobs"));
  // Throws on the first delivery (the message goes back), accepts the second (the queue lets it go).
  auto consumer = broker.consume("jobs", {}, [](Delivery& delivery) {
    if (delivery.delivery_count() == 1) throw std::runtime_error("no");
    ASSERT_TRUE(delivery.accept());
  });
  ASSERT_TRUE(consumer);
  ASSERT_TRUE(broker.publish(testing_support::make_message("jobs", kText)));
  runtime.run_until_idle();
  EXPECT_EQ(broker.queue_stats("jobs")->accepted, 1u);
  ASSERT_TRUE(reported);
  EXPECT_EQ(reported.payload().as_string(), kText) << "the hook's copy is a reference of its own";
}

}  // namespace
}  // namespace wasmq
