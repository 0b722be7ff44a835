// A pull receiver's delivery holds a reference of its own to its message, beside the one its
// in-flight slot holds until the settle. While those two are all there are, the receive and the
// accept count them with plain stores (MessageAccess::share_held, drop_beside_another): the message
// must still outlive the accept, go with the last handle, and be counted right when other queues
// or handles hold it too. Each test publishes more messages after the accept, with other bytes, so
// that a block freed too early and handed out again reads wrong (and, under AddressSanitizer, a
// large payload freed too early is a use after free).

#include "support/broker_fixture.hpp"

#include <string>
#include <vector>

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::letters;
using testing_support::text_of;

using namespace std::chrono_literals;

// Inline in the message block, and in the extras (a shared buffer freed with the message).
const std::vector<std::size_t> kSizes = {16, 200};

class PulledMessageTest : public BrokerTest {
 protected:
  /// Declares `jobs` with `options` and opens a pull receiver on it.
  Receiver open_jobs(const QueueOptions& options = {}) {
    EXPECT_TRUE(broker.declare_queue("jobs", options));
    auto receiver = broker.open_receiver("jobs");
    EXPECT_TRUE(receiver);
    return receiver ? std::move(*receiver) : Receiver();
  }

  Delivery receive_from(Receiver& receiver) {
    auto delivery = receiver.receive(Duration::zero());
    EXPECT_TRUE(delivery) << "nothing to receive";
    return delivery ? std::move(*delivery) : Delivery();
  }

  /// Publishes, receives and accepts `count` more messages on `topic` (other letters each time),
  /// so that the pool hands out again any block freed meanwhile.
  void churn(std::string_view topic, Receiver& receiver, std::size_t size, int count = 4) {
    for (int i = 0; i < count; ++i) {
      publish(topic, letters(size, static_cast<char>('k' + i)));
      Delivery other = receive_from(receiver);
      ASSERT_TRUE(other.accept());
    }
  }
};

TEST_F(PulledMessageTest, AnAcceptedMessageReadsBackUntilItsDeliveryGoes) {
  Receiver receiver = open_jobs();
  for (const std::size_t size : kSizes) {
    const std::string text = letters(size, 'a');
    publish("jobs", text);
    Delivery delivery = receive_from(receiver);
    ASSERT_TRUE(delivery.accept());
    churn("jobs", receiver, size);
    EXPECT_EQ(text_of(delivery), text) << size << " bytes: the accept freed what the delivery still holds";
    const SharedMessage kept = delivery.message();  // a third handle: the count goes past two
    delivery = Delivery();
    churn("jobs", receiver, size);
    EXPECT_EQ(kept.payload().as_string(), text) << size << " bytes";
  }
  EXPECT_EQ(stats_of("jobs").accepted, 2u * 9u);
}

TEST_F(PulledMessageTest, AMessageCopiedBeforeTheAcceptOutlivesItsDelivery) {
  Receiver receiver = open_jobs();
  for (const std::size_t size : kSizes) {
    const std::string text = letters(size, 'b');
    publish("jobs", text);
    Delivery delivery = receive_from(receiver);
    SharedMessage kept = delivery.message();  // three references at the accept
    ASSERT_TRUE(delivery.accept());
    delivery = Delivery();
    churn("jobs", receiver, size);
    EXPECT_EQ(kept.payload().as_string(), text) << size << " bytes";
  }
}

TEST_F(PulledMessageTest, AMessageInTwoQueuesLivesUntilBothDeliveriesGo) {
  auto first = broker.subscribe_receiver("events.>");
  auto second = broker.subscribe_receiver("events.>");
  ASSERT_TRUE(first && second);
  for (const std::size_t size : kSizes) {
    const std::string text = letters(size, 'c');
    publish("events.a", text);
    Delivery one = receive_from(*first);
    Delivery two = receive_from(*second);
    ASSERT_EQ(one.message(), two.message()) << "one message, shared by both subscriptions";
    ASSERT_TRUE(one.accept());
    one = Delivery();
    // The other subscription's churn must not reuse the block: its delivery still holds it.
    for (int i = 0; i < 4; ++i) {
      publish("events.a", letters(size, static_cast<char>('k' + i)));
      ASSERT_TRUE(receive_from(*first).accept());
      ASSERT_TRUE(receive_from(*second).accept());
    }
    EXPECT_EQ(text_of(two), text) << size << " bytes";
    ASSERT_TRUE(two.accept());
    EXPECT_EQ(text_of(two), text) << size << " bytes";
  }
}

TEST_F(PulledMessageTest, AMessageReleasedAfterItsLockExpiredIsStillCountedRight) {
  // The sweeper takes the entry back while the first delivery still holds its reference; the
  // second delivery then finds three references (the old handle, its slot, its own).
  Receiver receiver = open_jobs({.lock_duration = 1s});
  for (const std::size_t size : kSizes) {
    const std::string text = letters(size, 'd');
    publish("jobs", text);
    Delivery stale = receive_from(receiver);
    runtime.advance(2s);
    runtime.run_until_idle();
    Delivery again = receive_from(receiver);
    EXPECT_EQ(again.delivery_count(), 2u);
    EXPECT_FALSE(stale.accept()) << "the lock expired";
    ASSERT_TRUE(again.accept());
    stale = Delivery();
    churn("jobs", receiver, size);
    EXPECT_EQ(text_of(again), text) << size << " bytes";
  }
}

}  // namespace
}  // namespace wasmq
