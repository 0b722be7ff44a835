// Allocations per message in steady state, counted by replacing the global allocator in this test
// binary only. Publishing takes the message's shared block from the message pool (warm after the
// first round), so it allocates nothing; delivering and settling allocate nothing; nor does a push
// consumer's wake-up. Payload buffers are built before
// counting starts: they are the caller's.

#include <wasmq/host/guest_instance.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/wasmq.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

namespace {
std::atomic<std::uint64_t> allocations{0};
std::atomic<std::uint64_t> deallocations{0};
std::atomic<std::uint64_t> allocated_bytes{0};
}  // namespace

// The replacements pair malloc with free; g++ 12 cannot see through operator delete(void*,
// size_t) forwarding to operator delete(void*) and warns that the pair is mismatched.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  allocated_bytes.fetch_add(size, std::memory_order_relaxed);
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept {
  if (memory != nullptr) deallocations.fetch_add(1, std::memory_order_relaxed);
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept { operator delete(memory); }
// The message pool takes its blocks with an alignment: counted too.
void* operator new(std::size_t size, std::align_val_t alignment) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  allocated_bytes.fetch_add(size, std::memory_order_relaxed);
  const auto align = static_cast<std::size_t>(alignment);
  if (void* memory = std::aligned_alloc(align, (size + align - 1) / align * align)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory, std::align_val_t) noexcept { operator delete(memory); }
void operator delete(void* memory, std::size_t, std::align_val_t) noexcept { operator delete(memory); }

namespace wasmq {
namespace {

using namespace std::chrono_literals;

constexpr int rounds = 4096;

std::vector<Message> prepared_messages(const char* topic) {
  std::vector<Message> messages;
  messages.reserve(rounds);
  for (int i = 0; i < rounds; ++i)
    messages.push_back({.topic = topic, .payload = Payload::copy_of("0123456789abcdef")});
  return messages;
}

/// Runs `cycle` once over warm-up messages (first snapshot, queue blocks, timers), lets the lock
/// sweeper go idle, then returns the allocations per message of a second, measured run.
template <class Cycle>
double allocations_per_message(ManualRuntime& runtime, const char* topic, Cycle&& cycle) {
  auto warm_up = prepared_messages(topic);
  cycle(warm_up);
  runtime.advance(1h);
  auto measured = prepared_messages(topic);
  const auto before = allocations.load();
  cycle(measured);
  const auto per_message = static_cast<double>(allocations.load() - before) / rounds;
  std::printf("allocations per message: %.4f\n", per_message);
  return per_message;
}

TEST(AllocationTest, ARefusedPublishAndAnEmptyPollAllocateNothing) {
  // The errors of hot paths are described lazily (wasmq::Error): refusing a publish to a full
  // queue costs no formatting, and polling an empty queue is no error at all.
  ManualRuntime runtime;
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("full", {.max_length = 1}));
  auto receiver = broker.open_receiver("full");
  ASSERT_TRUE(receiver);
  ASSERT_TRUE(broker.publish({.topic = "full", .payload = Payload::copy_of("x")}));
  auto cycle = [&](std::vector<Message>& messages) {
    for (auto& message : messages) {
      auto refused = broker.publish(std::move(message));
      ASSERT_FALSE(refused);
      ASSERT_EQ(refused.error().code, Errc::queue_full);
    }
  };
  EXPECT_EQ(allocations_per_message(runtime, "full", cycle), 0.0);
  auto refused = broker.publish({.topic = "full"});
  EXPECT_EQ(refused.error().message(), "queue 'full' is full (max_length 1)") << "written when read";

  ASSERT_TRUE(broker.declare_queue("empty"));
  auto empty = broker.open_receiver("empty");
  ASSERT_TRUE(empty);
  const auto before = allocations.load();
  for (int i = 0; i < rounds; ++i) {
    auto none = empty->try_receive();
    ASSERT_TRUE(none && !none->has_value());
  }
  EXPECT_EQ(allocations.load() - before, 0u);
}

// A published message that owns no memory is not destroyed when its last reference goes (its
// destructor would free nothing; see detail/message_pool.hpp). One that owns memory anywhere must
// still give all of it back: each message below owns memory in exactly one field, and the memory
// alive after they were published, delivered, accepted (or dead-lettered) and dropped must be what
// it was before.
TEST(AllocationTest, AMessageThatOwnsMemoryGivesAllOfItBack) {
  ManualRuntime runtime;
  Broker broker(runtime);
  const std::string long_name = "a.queue.name.longer.than.any.inline.string";
  const std::string long_text(64, 'x');
  ASSERT_TRUE(broker.declare_queue(long_name));
  ASSERT_TRUE(broker.declare_queue("short"));
  ASSERT_TRUE(broker.declare_queue("dead"));
  ASSERT_TRUE(broker.declare_queue("dies", {.dead_letter = "dead"}));
  auto long_receiver = broker.open_receiver(long_name);
  auto short_receiver = broker.open_receiver("short");
  auto dying_receiver = broker.open_receiver("dies");
  auto dead_receiver = broker.open_receiver("dead");
  ASSERT_TRUE(long_receiver && short_receiver && dying_receiver && dead_receiver);
  auto owning_messages = [&] {
    std::vector<Message> messages;
    messages.reserve(6);
    messages.push_back({.topic = long_name});
    messages.push_back({.topic = "short", .payload = Payload(std::vector<std::uint8_t>(16, 1))});
    messages.push_back({.topic = "short", .payload = Payload::copy_of(std::string(Payload::inline_capacity + 1, 'p'))});
    messages.push_back({.topic = "short", .content_type = long_text});
    messages.push_back({.topic = "short", .metadata = {{"k", "v"}}});
    messages.push_back({.topic = "short", .reply_to = long_text});
    return messages;
  };
  auto round = [&] {
    for (auto& message : owning_messages()) {
      auto& receiver = message.topic == long_name ? *long_receiver : *short_receiver;
      ASSERT_TRUE(broker.publish(std::move(message)));
      ASSERT_TRUE(receiver.receive(wasmq::Duration::zero())->accept());
    }
    // A dead letter owns its death record and the wasmq-dl-* metadata.
    ASSERT_TRUE(broker.publish({.topic = "dies", .payload = Payload::copy_of("x")}));
    ASSERT_TRUE(dying_receiver->receive(wasmq::Duration::zero())->reject("no"));
    ASSERT_TRUE(dead_receiver->receive(wasmq::Duration::zero())->accept());
  };
  round();  // warm: pool blocks, queue blocks, routing snapshots
  runtime.advance(1h);
  const auto live_before = allocations.load() - deallocations.load();
  for (int i = 0; i < 64; ++i) round();
  runtime.advance(1h);
  EXPECT_EQ(allocations.load() - deallocations.load(), live_before) << "memory a message owned was never freed";
}

TEST(AllocationTest, PullPathAllocatesNothingPerMessage) {
  ManualRuntime runtime;
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("steady"));
  auto receiver = broker.open_receiver("steady");
  auto cycle = [&](std::vector<Message>& messages) {
    for (auto& message : messages) {
      ASSERT_TRUE(broker.publish(std::move(message)));
      auto delivery = receiver->receive(wasmq::Duration::zero());
      ASSERT_TRUE(delivery);
      ASSERT_TRUE(delivery->accept());
    }
  };
  const double per_message = allocations_per_message(runtime, "steady", cycle);
  // The published Message's block comes from the message pool once it is warm, so nothing is
  // allocated per message. The lock sweeper's timer adds a little (one std::function per lock
  // period, not per message).
  EXPECT_LE(per_message, 0.01) << per_message << " allocations per publish → receive → accept";
}

TEST(AllocationTest, FanOutAllocatesNothingWhateverTheNumberOfSubscriptions) {
  ManualRuntime runtime;
  Broker broker(runtime);
  std::vector<Receiver> receivers;
  for (int i = 0; i < 8; ++i) receivers.push_back(std::move(*broker.subscribe_receiver("fan.out")));
  auto cycle = [&](std::vector<Message>& messages) {
    for (auto& message : messages) {
      ASSERT_TRUE(broker.publish(std::move(message)));
      for (auto& receiver : receivers) ASSERT_TRUE(receiver.receive(wasmq::Duration::zero())->accept());
    }
  };
  const double per_message = allocations_per_message(runtime, "fan.out", cycle);
  EXPECT_LE(per_message, 0.01) << per_message << " allocations per message delivered to 8 subscriptions";
}

TEST(AllocationTest, PushPathAllocatesNothingEvenWithAWakeUpPerMessage) {
  // Each publish finds the consumer asleep and wakes it: one posted run per message. The run is a
  // Runtime::Task holding the consumer's shared_ptr, kept in place (a std::function would allocate
  // it), in the manual runtime's ring.
  ManualRuntime runtime;
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("push"));
  auto consumer = broker.consume("push", {}, [](Delivery& delivery) { (void)delivery.accept(); });
  std::size_t runs = 0;
  auto cycle = [&](std::vector<Message>& messages) {
    for (auto& message : messages) {
      ASSERT_TRUE(broker.publish(std::move(message)));
      runs += runtime.run_until_idle();
    }
  };
  const double per_message = allocations_per_message(runtime, "push", cycle);
  EXPECT_GE(runs, 2U * rounds);  // a run per message, warm-up and measured
  EXPECT_LE(per_message, 0.01) << per_message << " allocations per message on the push path";
}

/// Allocations per publish → receive → accept on a queue named `topic`, each message published
/// by `publish(broker)` (a warm-up run first; see allocations_per_message).
template <class Publish>
double steady_allocations(const std::string& topic, Publish publish) {
  ManualRuntime runtime;
  Broker broker(runtime);
  EXPECT_TRUE(broker.declare_queue(topic));
  auto receiver = broker.open_receiver(topic);
  auto cycle = [&](std::vector<Message>& messages) {
    for (std::size_t i = 0; i < messages.size(); ++i) {
      ASSERT_TRUE(publish(broker));
      auto delivery = receiver->receive(wasmq::Duration::zero());
      ASSERT_TRUE(delivery);
      ASSERT_EQ(delivery->message().topic(), topic);
      ASSERT_TRUE(delivery->accept());
    }
  };
  return allocations_per_message(runtime, topic.c_str(), cycle);
}

TEST(AllocationTest, ASmallMessageAllocatesNothingPayloadIncluded) {
  const std::vector<std::uint8_t> bytes(Payload::inline_capacity, 7);
  const double per_message = steady_allocations("steady", [&](Broker& broker) {
    // Built inside the counted loop, as a publisher would: the payload is inline, the topic
    // short enough for the string's own buffer.
    Message message;
    message.topic = "steady";
    message.payload = Payload::copy_of(bytes);
    return broker.publish(std::move(message));
  });
  EXPECT_LE(per_message, 0.01) << per_message << " allocations per message, payload of " << Payload::inline_capacity
                               << " bytes included";
}

// publish(topic, bytes) copies the bytes straight into the pooled block: nothing to allocate.
TEST(AllocationTest, PublishingBytesOnATopicAllocatesNothing) {
  const std::vector<std::uint8_t> bytes(Payload::inline_capacity, 7);
  const double per_message =
      steady_allocations("steady", [&](Broker& broker) { return broker.publish("steady", bytes); });
  EXPECT_LE(per_message, 0.01) << per_message << " allocations per publish(topic, bytes) → receive → accept";
}

// A topic longer than a string's own buffer shares the block's inline bytes with a small payload:
// 40 + 16 bytes, and 15 + 64 (the whole area), allocate nothing either.
TEST(AllocationTest, ALongTopicBesideASmallPayloadAllocatesNothing) {
  for (const auto& [topic, payload_size] :
       {std::pair<std::string, std::size_t>{"orders.eu-west-1.shipping.created.v2", 16},
        {"orders.shipped", Payload::inline_capacity}}) {
    const std::vector<std::uint8_t> bytes(payload_size, 7);
    const double per_message = steady_allocations(topic, [&](Broker& broker) { return broker.publish(topic, bytes); });
    EXPECT_LE(per_message, 0.01) << per_message << " allocations per message on " << topic << " with " << payload_size
                                 << " payload bytes";
  }
}

// The rarely-set fields live in a block of their own, from a pool too: a request (reply address,
// time to live, content type) allocates nothing per message either, once its strings fit the
// strings' own buffers.
TEST(AllocationTest, AMessageWithExtraFieldsAllocatesNothingPerMessage) {
  ManualRuntime runtime;
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("requests"));
  auto receiver = broker.open_receiver("requests");
  auto cycle = [&](std::vector<Message>& messages) {
    for (auto& message : messages) {
      message.content_type = "text/plain";
      message.reply_to = "inbox.1";
      message.time_to_live = std::chrono::seconds(30);
      ASSERT_TRUE(broker.publish(std::move(message)));
      auto delivery = receiver->receive(wasmq::Duration::zero());
      ASSERT_TRUE(delivery);
      ASSERT_EQ(delivery->message().reply_to(), "inbox.1");
      ASSERT_TRUE(delivery->accept());
    }
  };
  EXPECT_LE(allocations_per_message(runtime, "requests", cycle), 0.01);
}

// A queued 16 B message: its block (104 bytes) and its slot in the queue (16 bytes, in the queue's
// blocks of 32), all of it counted — more messages than the pool keeps, so that most are new.
TEST(AllocationTest, AQueuedSmallMessageHoldsAtMost128Bytes) {
  constexpr std::uint64_t queued = 100'000;
  ManualRuntime runtime;
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("held"));
  const std::uint64_t before = allocated_bytes.load();
  for (std::uint64_t i = 0; i < queued; ++i) {
    ASSERT_TRUE(broker.publish({.topic = "held", .payload = Payload::copy_of("0123456789abcdef")}));
  }
  const double per_message = static_cast<double>(allocated_bytes.load() - before) / queued;
  std::printf("bytes per queued message: %.1f\n", per_message);
  EXPECT_LE(per_message, 128.0);
  EXPECT_GE(per_message, 100.0) << "the pool's blocks are counted";
}

TEST(AllocationTest, ABrokerFreesItsQueuesWhenDestroyedOnTheThreadThatPublished) {
  ManualRuntime runtime;
  const auto live = [] { return allocations.load() - deallocations.load(); };
  const auto before = live();
  {
    Broker broker(runtime);
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(broker.declare_queue("q." + std::to_string(i)));
    // This thread's route cache now holds the broker's routing snapshot, and with it every queue.
    ASSERT_TRUE(broker.publish({.topic = "q.0", .payload = Payload::copy_of("x")}));
  }
  // Left: at most the message pool's block and this thread's moodycamel bookkeeping — not 1,000
  // queues kept alive until this thread's next publish to another broker evicts the snapshot.
  EXPECT_LT(live() - before, 100u);
}

TEST(AllocationTest, APayloadPastTheInlineCapacityIsOneAllocation) {
  const std::vector<std::uint8_t> small(Payload::inline_capacity, 7);
  const std::vector<std::uint8_t> large(Payload::inline_capacity + 1, 7);
  auto before = allocations.load();
  Payload inline_payload = Payload::copy_of(small);
  EXPECT_EQ(allocations.load() - before, 0u);
  before = allocations.load();
  Payload shared_payload = Payload::copy_of(large);
  EXPECT_EQ(allocations.load() - before, 1u);
  before = allocations.load();
  Payload copies[] = {inline_payload, shared_payload};
  EXPECT_EQ(allocations.load() - before, 0u) << "copies share or copy inline, never allocate";
  EXPECT_EQ(copies[1].bytes().data(), shared_payload.bytes().data());
}

namespace host = wasmq::host;

/// A guest's resource table as a wasm runtime makes it (Sharing::kOneCallAtATime), over a
/// registry of `broker` when one is given.
struct OneCallTable {
  explicit OneCallTable(Broker* broker = nullptr) {
    if (broker != nullptr) registry->AddBroker("main", *broker);
  }
  std::shared_ptr<host::ConnectionRegistry> registry = std::make_shared<host::ConnectionRegistry>();
  host::GuestInstance instance{std::make_shared<const host::GuestContext>(host::GuestContext{"guest", {}, registry}),
                               host::GuestInstance::Sharing::kOneCallAtATime};
};

// A WebAssembly guest's round trip through its resource table, under Sharing::kOneCallAtATime as
// the wasm runtimes use it: a delivered 16 B message adopted and read through a borrow, a message
// made from its data and sent on, the delivered one dropped. The table keeps the blocks of the
// resources that go (GuestInstance::kSpareBlocks), so the round trip allocates nothing.
TEST(AllocationTest, AGuestsRoundTripThroughItsResourceTableAllocatesNothing) {
  namespace types = wasi::messaging::types;
  ManualRuntime runtime;
  Broker broker(runtime);
  ASSERT_TRUE(broker.declare_queue("echo"));
  OneCallTable table(&broker);
  host::GuestInstance& instance = table.instance;
  auto client = instance.ClientConnect("inproc");
  ASSERT_TRUE(client && *client);
  auto receiver = broker.open_receiver("echo");
  ASSERT_TRUE(receiver);
  const std::vector<std::uint8_t> data(16, 7);
  auto round_trips = [&] {
    for (int i = 0; i < rounds; ++i) {
      auto delivered = instance.AdoptMessage(types::Message(data));
      ASSERT_TRUE(delivered);
      host::Call<host::Handle> made;
      {
        auto borrowed = instance.BorrowMessage(*delivered);
        ASSERT_TRUE(borrowed);
        made = instance.MessageNew((*borrowed)->DataView());
      }
      ASSERT_TRUE(made);
      ASSERT_TRUE(instance.MessageDrop(*delivered));
      auto sent = instance.ProducerSend(**client, "echo", *made);
      ASSERT_TRUE(sent && *sent);
      auto delivery = receiver->try_receive();
      ASSERT_TRUE(delivery && *delivery);
      ASSERT_TRUE((*delivery)->accept());
    }
  };
  round_trips();  // warm: the table's slots and spare blocks, the message pool, the queue's blocks
  runtime.advance(1h);
  const auto before = allocations.load();
  round_trips();
  const auto per_round_trip = static_cast<double>(allocations.load() - before) / rounds;
  std::printf("allocations per round trip: %.4f\n", per_round_trip);
  EXPECT_LE(per_round_trip, 0.01);
  EXPECT_EQ(instance.Size(), 1u) << "only the client is left";
}

// The spare blocks are bounded: after 100 messages are dropped, making 100 more takes the
// kSpareBlocks kept ones and allocates a block for each of the others.
TEST(AllocationTest, AGuestsResourceTableKeepsAtMostItsSpareBlocks) {
  OneCallTable table;
  host::GuestInstance& instance = table.instance;
  const std::vector<std::uint8_t> data(16, 7);
  constexpr std::size_t count = 100;
  std::vector<host::Handle> handles;
  handles.reserve(count);
  auto make_all = [&] {
    for (std::size_t i = 0; i < count; ++i) {
      auto made = instance.MessageNew(data);
      ASSERT_TRUE(made);
      handles.push_back(*made);
    }
  };
  make_all();
  for (host::Handle handle : handles) ASSERT_TRUE(instance.MessageDrop(handle));
  handles.clear();
  const auto before = allocations.load();
  make_all();
  EXPECT_EQ(allocations.load() - before, count - host::GuestInstance::kSpareBlocks);
}

// A block kept as a spare holds nothing: what a dropped message owned is freed at the drop.
TEST(AllocationTest, AGuestsDroppedMessageFreesItsMemoryAtTheDrop) {
  OneCallTable table;
  host::GuestInstance& instance = table.instance;
  const std::vector<std::uint8_t> large(4096, 7);                     // past the inline capacity: a buffer of its own
  auto warm = instance.MessageNew(std::vector<std::uint8_t>(16, 7));  // grows the list of free slots
  ASSERT_TRUE(warm);
  ASSERT_TRUE(instance.MessageDrop(*warm));
  auto made = instance.MessageNew(large);
  ASSERT_TRUE(made);
  const auto live_before = allocations.load() - deallocations.load();
  ASSERT_TRUE(instance.MessageDrop(*made));
  EXPECT_EQ(allocations.load() - deallocations.load(), live_before - 1) << "the payload's buffer is freed";
}

}  // namespace
}  // namespace wasmq
