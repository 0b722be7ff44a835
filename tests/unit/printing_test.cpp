// Errors, stats, events and drain reports print themselves (operator<<), for logs and test output.

#include "support/broker_fixture.hpp"

#include <sstream>

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::make_message;

template <class T>
std::string printed(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

using PrintingTest = BrokerTest;

TEST_F(PrintingTest, ErrorsPrintTheirCodeAndSentence) {
  EXPECT_EQ(printed(Errc::queue_full), "queue_full");
  EXPECT_EQ(printed(Error{Errc::invalid_name, "name '' is empty"}), "invalid_name: name '' is empty");
  auto refused = broker.consume("nope", {}, [](Delivery&) {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(printed(refused.error()), "no_such_queue: " + refused.error().message());
}

TEST_F(PrintingTest, StatsPrintEveryCounterOnALine) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  publish("jobs");
  const std::string queue = printed(stats_of("jobs"));
  EXPECT_EQ(queue.find("queue jobs published=1 refused=0 delivered=0"), 0u) << queue;
  EXPECT_NE(queue.find(" depth=1 "), std::string::npos) << queue;
  const std::string broker_text = printed(broker.stats());
  EXPECT_EQ(broker_text.find("broker published=1 unrouted=0 queues=1 consumers=0\nqueue jobs "), 0u) << broker_text;
}

TEST_F(PrintingTest, DeadLetterReasonsPrintByName) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  publish("jobs");
  auto receiver = broker.open_receiver("jobs");
  ASSERT_TRUE(receiver);
  auto delivery = receiver->receive(Duration::zero());
  ASSERT_TRUE(delivery && delivery->reject("bad"));
  EXPECT_NE(printed(stats_of("jobs")).find(" dropped.rejected=1"), std::string::npos);
  EXPECT_EQ(printed(DeadLetterReason::max_deliveries), "max_deliveries");
}

TEST_F(PrintingTest, EventsPrintWhatHappenedToWhichMessage) {
  const auto message = SharedMessage::of(make_message("orders.new"));
  const Event event{.kind = EventKind::dead_lettered,
                    .queue = "orders",
                    .message = message,
                    .delivery_count = 3,
                    .reason = DeadLetterReason::max_deliveries};
  EXPECT_EQ(printed(event), "dead_lettered queue=orders topic=orders.new delivery_count=3 reason=max_deliveries");
}

}  // namespace
}  // namespace wasmq
