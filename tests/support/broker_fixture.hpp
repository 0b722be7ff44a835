#pragma once
// A broker on a manual runtime: tests decide when work runs and when time passes.

#include <wasmq/wasmq.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace wasmq::testing_support {

inline Message make_message(std::string_view topic, std::string_view text = "payload") {
  Message message;
  message.topic = std::string(topic);
  message.payload = Payload::copy_of(text);
  return message;
}

/// `size` letters running through the alphabet from `first`: a valid name, and text in which a
/// byte copied to the wrong place shows.
inline std::string letters(std::size_t size, char first = 'a') {
  std::string text(size, first);
  for (std::size_t i = 0; i < size; ++i)
    text[i] = static_cast<char>('a' + (static_cast<std::size_t>(first - 'a') + i) % 26);
  return text;
}

inline std::string text_of(const Delivery& delivery) { return std::string(delivery.message().payload().as_string()); }

/// Index of a reason in QueueStats::dead_lettered and QueueStats::dropped.
constexpr std::size_t at(DeadLetterReason reason) { return static_cast<std::size_t>(reason); }

class BrokerTest : public ::testing::Test {
 protected:
  explicit BrokerTest(BrokerOptions options = {}) : broker(runtime, std::move(options)) {}

  void publish(std::string_view topic, std::string_view text = "payload") {
    auto receipt = broker.publish(make_message(topic, text));
    ASSERT_TRUE(receipt.has_value()) << receipt.error().message();
  }

  QueueStats stats_of(std::string_view name) {
    auto stats = broker.queue_stats(name);
    EXPECT_TRUE(stats.has_value()) << (stats ? "" : stats.error().message());
    return stats ? *stats : QueueStats{};
  }

  /// published == accepted + dead-lettered + dropped + depth + delayed + in flight.
  static void expect_conserved(const QueueStats& stats) {
    EXPECT_EQ(stats.published, stats.accepted + stats.dead_lettered_total() + stats.dropped_total() + stats.depth +
                                   stats.delayed + stats.in_flight)
        << "queue " << stats.name;
  }

  ManualRuntime runtime;  // declared first: outlives the broker
  Broker broker;
};

/// A handler that keeps every delivery for the test to settle.
struct Collector {
  std::vector<Delivery> deliveries;
  Handler handler() {
    return [this](Delivery& delivery) { deliveries.push_back(std::move(delivery)); };
  }
  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const auto& delivery : deliveries) out.push_back(text_of(delivery));
    return out;
  }
};

}  // namespace wasmq::testing_support
