// A publish that some bounded targets refuse and others take: the receipt names the refusers,
// and publish_to() retries them alone, so a retry duplicates nothing into the others.

#include "support/broker_fixture.hpp"

namespace wasmq {
namespace {

using testing_support::BrokerTest;
using testing_support::make_message;

class PublishReceiptTest : public BrokerTest {
 protected:
  // Two subscriptions on one topic: "wide" unbounded, "narrow" holding one message and refusing more.
  void subscribe_both() {
    auto wide = broker.subscribe_receiver("events.>", {.group = "wide"});
    auto narrow = broker.subscribe_receiver(
        "events.>",
        {.group = "narrow", .queue = QueueOptions{.max_length = 1, .overflow = OverflowPolicy::reject_publish}});
    ASSERT_TRUE(wide && narrow);
    wide_ = std::move(*wide);
    narrow_ = std::move(*narrow);
  }
  std::string narrow_name() {
    for (const QueueStats& queue : broker.stats().queues) {
      if (queue.name.find("narrow") != std::string::npos) return queue.name;
    }
    return {};
  }
  Receiver wide_;
  Receiver narrow_;
};

TEST_F(PublishReceiptTest, PublishingAMessageByReferenceLeavesItAsItWas) {
  auto receiver = broker.subscribe_receiver("events.>", {});
  ASSERT_TRUE(receiver);
  Message message = make_message("events.a", "a payload past the inline size of sixty-four bytes, so it is shared");
  message.content_type = "text/plain";
  message.metadata = {{"k", "v"}};
  const Message before = message;
  ASSERT_TRUE(broker.publish(message));
  ASSERT_TRUE(broker.publish_to(broker.stats().queues.front().name, message));
  EXPECT_EQ(message.topic, before.topic);
  EXPECT_TRUE(std::ranges::equal(message.payload.bytes(), before.payload.bytes()));
  EXPECT_EQ(message.content_type, before.content_type);
  EXPECT_EQ(message.metadata, before.metadata);
  for (int copy = 0; copy < 2; ++copy) {
    auto delivery = receiver->try_receive();
    ASSERT_TRUE(delivery && *delivery);
    EXPECT_TRUE(std::ranges::equal((*delivery)->message().payload().bytes(), before.payload.bytes()));
    EXPECT_EQ((*delivery)->message().metadata(), before.metadata);
  }
}

TEST_F(PublishReceiptTest, ACompletePublishHasNoRefusals) {
  subscribe_both();
  auto receipt = broker.publish(make_message("events.a", "1"));
  ASSERT_TRUE(receipt) << receipt.error();
  EXPECT_EQ(receipt->routed, 2u);
  EXPECT_TRUE(receipt->complete());
}

TEST_F(PublishReceiptTest, APartlyRefusedPublishSucceedsAndNamesTheRefusers) {
  subscribe_both();
  publish("events.a", "1");
  auto receipt = broker.publish(make_message("events.a", "2"));
  ASSERT_TRUE(receipt) << "the wide subscription took it: not an error, or a retry would duplicate it there";
  EXPECT_EQ(receipt->routed, 1u);
  ASSERT_EQ(receipt->refused.size(), 1u);
  EXPECT_FALSE(receipt->complete());
  EXPECT_EQ(receipt->refused[0].queue, narrow_name());
  EXPECT_EQ(receipt->refused[0].error.code, Errc::queue_full);
  EXPECT_EQ(receipt->refused[0].error.message(), "queue '" + narrow_name() + "' is full (max_length 1)");
}

TEST_F(PublishReceiptTest, PublishToRetriesTheRefuserAloneWithoutDuplicatingIntoTheOthers) {
  subscribe_both();
  publish("events.a", "1");
  auto receipt = broker.publish(make_message("events.a", "2"));
  ASSERT_TRUE(receipt && receipt->refused.size() == 1);
  // Room again in the narrow one, then the retry goes to it alone.
  auto first = narrow_.receive(Duration::zero());
  ASSERT_TRUE(first && first->accept());
  ASSERT_TRUE(broker.publish_to(receipt->refused[0].queue, make_message("events.a", "2")));
  auto retried = narrow_.receive(Duration::zero());
  ASSERT_TRUE(retried);
  EXPECT_EQ(testing_support::text_of(*retried), "2");
  std::vector<std::string> wide_texts;
  while (auto delivery = wide_.receive(Duration::zero())) {
    wide_texts.push_back(testing_support::text_of(*delivery));
    ASSERT_TRUE(delivery->accept());
  }
  EXPECT_EQ(wide_texts, (std::vector<std::string>{"1", "2"})) << "each exactly once in the wide subscription";
}

TEST_F(PublishReceiptTest, APublishEveryTargetRefusedIsAnError) {
  subscribe_both();
  publish("events.a", "1");
  wide_.close();  // the wide subscription goes: only the full narrow one matches
  auto refused = broker.publish(make_message("events.a", "2"));
  ASSERT_FALSE(refused) << "nothing took it: a retry duplicates nothing";
  EXPECT_EQ(refused.error().code, Errc::queue_full);
}

TEST_F(PublishReceiptTest, PublishToRefusesAnUnknownQueueAndBadMessages) {
  EXPECT_EQ(broker.publish_to("nope", make_message("events.a")).error().code, Errc::no_such_queue);
  ASSERT_TRUE(broker.declare_queue("jobs"));
  EXPECT_EQ(broker.publish_to("jobs", make_message("bad name")).error().code, Errc::invalid_name);
  ASSERT_TRUE(broker.publish_to("jobs", make_message("any.topic", "x")));
  EXPECT_EQ(stats_of("jobs").depth, 1u) << "offered to the named queue whatever the topic";
}

}  // namespace
}  // namespace wasmq
