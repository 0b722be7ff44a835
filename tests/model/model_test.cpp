// Model-based test: random sequences of publish, receive, accept, release, reject, extend, drop,
// close and advance-time on one queue, each step checked against a simple reference model.
//
// The model tracks each message's state and delivery count. It does not predict which waiting
// message a receive returns — only redeliveries may go out of order — so it checks instead that
// (a) the message was waiting, (b) its delivery count is the model's plus one, and (c) a first
// delivery is the oldest waiting message never delivered. Dead letters are drained after each
// step and checked against the reason the model allows. Invariants after every step: the queue's
// counters equal the model's, published = accepted + dead-lettered + depth + delayed + in flight,
// and the held count never exceeds max_length.

#include <wasmq/wasmq.hpp>

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace wasmq {
namespace {

using namespace std::chrono_literals;

enum class State { waiting, delayed, in_flight, accepted, dead };

struct ModelMessage {
  State state = State::waiting;
  std::uint32_t delivery_count = 0;
  std::optional<TimePoint> expires_at;
  TimePoint delayed_until{};
  TimePoint lock_deadline{};
  int holder = -1;  // receiver index while in flight
};

struct Held {
  int receiver;
  std::uint64_t id;
  Delivery delivery;
};

struct Scenario {
  std::size_t max_length;
  OverflowPolicy overflow;
};
void PrintTo(const Scenario& scenario, std::ostream* out) {
  *out << "max_length " << scenario.max_length
       << (scenario.overflow == OverflowPolicy::drop_oldest ? " drop_oldest" : " reject_publish");
}

class Model {
 public:
  static constexpr std::uint32_t max_deliveries = 3;
  static constexpr std::uint32_t max_in_flight = 3;
  static constexpr Duration lock = 10s;
  static constexpr int receivers = 2;

  Model(std::uint32_t seed, Scenario scenario) : random_(seed), scenario_(scenario), broker_(runtime_) {
    EXPECT_TRUE(broker_.declare_queue("dlq"));
    EXPECT_TRUE(broker_.declare_queue("q", {.lock_duration = lock,
                                            .max_deliveries = max_deliveries,
                                            .max_length = scenario.max_length,
                                            .overflow = scenario.overflow,
                                            .dead_letter = "dlq"}));
    dead_receiver_ = std::move(*broker_.open_receiver("dlq", {.max_in_flight = 1}));
    for (int r = 0; r < receivers; ++r) receivers_.push_back(open_receiver());
  }

  void run(int steps) {
    for (int step = 0; step < steps && !::testing::Test::HasFailure(); ++step) {
      SCOPED_TRACE("step " + std::to_string(step));
      switch (pick(9)) {
        case 0:
        case 1: publish(); break;
        case 2:
        case 3: receive(); break;
        case 4: settle(); break;
        case 5: advance(); break;
        case 6: extend(); break;
        case 7: drop_handle(); break;
        case 8:
          if (pick(4) == 0)
            close_receiver();
          else
            publish();
          break;
      }
      drain_dead_letters();
      check_invariants();
    }
  }

 private:
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }

  Receiver open_receiver() { return std::move(*broker_.open_receiver("q", {.max_in_flight = max_in_flight})); }

  std::size_t count(State state) const {
    std::size_t n = 0;
    for (const auto& [id, message] : messages_) n += message.state == state ? 1 : 0;
    return n;
  }
  std::size_t held_by_queue() const { return count(State::waiting) + count(State::delayed) + count(State::in_flight); }
  bool expired(const ModelMessage& message) const {
    return message.expires_at && *message.expires_at <= runtime_.now();
  }

  void publish() {
    const std::uint64_t id = next_id_++;
    Message message{.topic = "q", .payload = Payload::copy_of("m" + std::to_string(id))};
    message.metadata = {{"id", std::to_string(id)}};
    std::optional<TimePoint> expires_at;
    if (pick(4) == 0) {
      message.time_to_live = 15s;
      expires_at = runtime_.now() + 15s;
    }
    const bool full = scenario_.max_length != 0 && held_by_queue() >= scenario_.max_length;
    const bool can_drop = scenario_.overflow == OverflowPolicy::drop_oldest && count(State::waiting) > 0;
    pending_overflow_ = full && can_drop;
    auto receipt = broker_.publish(std::move(message));
    if (full && !can_drop) {
      ASSERT_FALSE(receipt) << "publish into a full queue must be refused";
      EXPECT_EQ(receipt.error().code, Errc::queue_full);
      return;
    }
    ASSERT_TRUE(receipt) << receipt.error().message();
    messages_[id] = ModelMessage{.expires_at = expires_at};
    ++published_;
  }

  void receive() {
    const int r = static_cast<int>(pick(receivers));
    auto result = receivers_[static_cast<std::size_t>(r)].receive(wasmq::Duration::zero());
    std::size_t holding = 0;
    for (const auto& held : held_) holding += (held.receiver == r && live(held)) ? 1U : 0U;
    if (!result) {
      if (result.error().code == Errc::too_many_in_flight) {
        EXPECT_EQ(holding, max_in_flight);
        return;
      }
      ASSERT_EQ(result.error().code, Errc::timeout) << result.error().message();
      expect_no_live_waiting_ = true;  // checked after the dead letters of this step are drained
      return;
    }
    ASSERT_LT(holding, max_in_flight);
    const std::uint64_t id = std::stoull(std::string(*result->message().find_metadata("id")));
    ASSERT_TRUE(messages_.contains(id));
    ModelMessage& message = messages_[id];
    ASSERT_EQ(message.state, State::waiting) << "delivered message " << id << " was not waiting";
    ASSERT_FALSE(expired(message)) << "delivered message " << id << " past its time to live";
    ASSERT_EQ(result->delivery_count(), message.delivery_count + 1) << "delivery count of " << id;
    if (message.delivery_count == 0) {
      for (const auto& [other_id, other] : messages_) {
        if (other_id >= id) break;
        // Earlier never-delivered messages still waiting must have expired (and be dead-lettered
        // on the way): otherwise first deliveries went out of publish order.
        if (other.state == State::waiting && other.delivery_count == 0) {
          EXPECT_TRUE(expired(other)) << "first delivery of " << id << " overtook " << other_id;
        }
      }
    }
    message.state = State::in_flight;
    message.delivery_count = result->delivery_count();
    message.holder = r;
    message.lock_deadline = runtime_.now() + lock;
    held_.push_back(Held{r, id, std::move(*result)});
  }

  bool live(const Held& held) {
    const ModelMessage& message = messages_[held.id];
    return message.state == State::in_flight && message.holder == held.receiver &&
           message.delivery_count == held.delivery.delivery_count();
  }

  // Applies the model for a delivery that comes back (release, expiry, close, dropped handle).
  void come_back(std::uint64_t id, Duration delay) {
    ModelMessage& message = messages_[id];
    message.holder = -1;
    if (message.delivery_count >= max_deliveries) {
      message.state = State::dead;
      allowed_dead_[id] = DeadLetterReason::max_deliveries;
    } else if (delay > Duration::zero()) {
      message.state = State::delayed;
      message.delayed_until = runtime_.now() + delay;
    } else {
      message.state = State::waiting;
    }
  }

  void settle() {
    if (held_.empty()) return;
    const std::size_t index = pick(held_.size());
    Held held = std::move(held_[index]);
    held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(index));
    const bool is_live = live(held);
    Result<void> result;
    switch (pick(4)) {
      case 0:
        result = held.delivery.accept();
        if (is_live) messages_[held.id].state = State::accepted;
        break;
      case 1:
        result = held.delivery.release();
        if (is_live) come_back(held.id, Duration::zero());
        break;
      case 2: {
        const Duration delay = std::chrono::seconds(1 + pick(5));
        result = held.delivery.release(delay);
        if (is_live) come_back(held.id, delay);
        break;
      }
      case 3:
        result = held.delivery.reject("model");
        if (is_live) {
          messages_[held.id].state = State::dead;
          allowed_dead_[held.id] = DeadLetterReason::rejected;
        }
        break;
    }
    if (is_live) {
      EXPECT_TRUE(result) << result.error().message();
    } else {
      ASSERT_FALSE(result);
      EXPECT_EQ(result.error().code, Errc::lock_lost);
    }
  }

  void extend() {
    if (held_.empty()) return;
    Held& held = held_[pick(held_.size())];
    const bool is_live = live(held);
    auto result = held.delivery.extend_lock();
    EXPECT_EQ(result.has_value(), is_live);
    if (is_live) messages_[held.id].lock_deadline = runtime_.now() + lock;
    if (!is_live) held_.erase(held_.begin() + (&held - held_.data()));
  }

  void drop_handle() {
    if (held_.empty()) return;
    const std::size_t index = pick(held_.size());
    const bool is_live = live(held_[index]);
    const std::uint64_t id = held_[index].id;
    held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(index));  // the destructor releases
    if (is_live) come_back(id, Duration::zero());
  }

  void close_receiver() {
    const int r = static_cast<int>(pick(receivers));
    receivers_[static_cast<std::size_t>(r)].close();
    for (auto& [id, message] : messages_) {
      if (message.state == State::in_flight && message.holder == r) come_back(id, Duration::zero());
    }
    receivers_[static_cast<std::size_t>(r)] = open_receiver();
  }

  void advance() {
    const Duration step = std::chrono::milliseconds(pick(12001));
    runtime_.advance(step);
    const TimePoint now = runtime_.now();
    for (auto& [id, message] : messages_) {
      if (message.state == State::in_flight && message.lock_deadline <= now) {
        come_back(id, Duration::zero());  // no backoff configured
      } else if (message.state == State::delayed && message.delayed_until <= now) {
        message.state = State::waiting;
      }
    }
  }

  void drain_dead_letters() {
    while (true) {
      auto letter = dead_receiver_.receive(wasmq::Duration::zero());
      if (!letter) break;
      const SharedMessage& dead = letter->message();
      ASSERT_TRUE(dead.death());
      const std::uint64_t id = std::stoull(std::string(*dead.find_metadata("id")));
      ModelMessage& message = messages_[id];
      const DeadLetterReason reason = dead.death()->reason;
      EXPECT_EQ(dead.death()->delivery_count, message.delivery_count) << "dead letter " << id;
      switch (reason) {
        case DeadLetterReason::rejected:
        case DeadLetterReason::max_deliveries:
          EXPECT_TRUE(allowed_dead_.contains(id) && allowed_dead_[id] == reason)
              << "unexpected " << to_string(reason) << " of " << id;
          break;
        case DeadLetterReason::expired:
          EXPECT_EQ(message.state, State::waiting) << "expired " << id;
          EXPECT_TRUE(expired(message)) << "expired early: " << id;
          message.state = State::dead;
          break;
        case DeadLetterReason::overflow:
          EXPECT_TRUE(pending_overflow_) << "overflow without a full publish: " << id;
          EXPECT_EQ(message.state, State::waiting) << "dropped a message that was not waiting: " << id;
          pending_overflow_ = false;
          message.state = State::dead;
          break;
        case DeadLetterReason::removed: ADD_FAILURE() << "declared queues are never removed"; break;
      }
      allowed_dead_.erase(id);
      ++dead_;
      ASSERT_TRUE(letter->accept());
    }
    EXPECT_TRUE(allowed_dead_.empty()) << "a rejected or exhausted message did not reach the dead-letter queue";
    allowed_dead_.clear();
    EXPECT_FALSE(pending_overflow_) << "a drop-oldest publish dropped nothing";
    pending_overflow_ = false;
    if (expect_no_live_waiting_) {
      EXPECT_EQ(count(State::waiting), 0u) << "receive found nothing, yet the model has waiting messages";
      expect_no_live_waiting_ = false;
    }
  }

  void check_invariants() {
    auto stats = *broker_.queue_stats("q");
    EXPECT_EQ(stats.published, published_);
    EXPECT_EQ(stats.accepted, count(State::accepted));
    EXPECT_EQ(stats.dead_lettered_total(), dead_);
    EXPECT_EQ(stats.dropped_total(), 0u);
    EXPECT_EQ(stats.depth, count(State::waiting));
    EXPECT_EQ(stats.delayed, count(State::delayed));
    EXPECT_EQ(stats.in_flight, count(State::in_flight));
    EXPECT_EQ(stats.published,
              stats.accepted + stats.dead_lettered_total() + stats.depth + stats.delayed + stats.in_flight);
    if (scenario_.max_length != 0) {
      EXPECT_LE(stats.depth + stats.delayed + stats.in_flight, scenario_.max_length);
    }
    EXPECT_EQ(count(State::dead), dead_);
  }

  std::mt19937 random_;
  Scenario scenario_;
  ManualRuntime runtime_;
  Broker broker_;
  Receiver dead_receiver_;
  std::vector<Receiver> receivers_;
  std::map<std::uint64_t, ModelMessage> messages_;
  std::vector<Held> held_;
  std::map<std::uint64_t, DeadLetterReason> allowed_dead_;
  std::uint64_t next_id_ = 1;
  std::uint64_t published_ = 0;
  std::uint64_t dead_ = 0;
  bool pending_overflow_ = false;
  bool expect_no_live_waiting_ = false;
};

class ModelTest : public ::testing::TestWithParam<Scenario> {};

TEST_P(ModelTest, RandomOperationSequencesMatchTheModel) {
  for (std::uint32_t seed = 1; seed <= 250 && !HasFailure(); ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Model model(seed, GetParam());
    model.run(400);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Bounds, ModelTest,
    ::testing::Values(Scenario{0, OverflowPolicy::reject_publish}, Scenario{4, OverflowPolicy::reject_publish},
                      Scenario{4, OverflowPolicy::drop_oldest}, Scenario{8, OverflowPolicy::drop_oldest}),
    [](const auto& param_info) {
      return "MaxLength" + std::to_string(param_info.param.max_length) +
             (param_info.param.overflow == OverflowPolicy::drop_oldest ? "DropOldest" : "RejectPublish");
    });

}  // namespace
}  // namespace wasmq
