// prometheus_text: the exposition format's rules (HELP and TYPE once per family, escaped label
// values, counters named _total) on a broker's stats; promtool checks the example's output too
// (examples.MetricsPassPromtoolCheck).

#include "support/broker_fixture.hpp"

namespace wasmq {
namespace {

using testing_support::BrokerTest;

using MetricsTest = BrokerTest;

std::size_t count_of(const std::string& text, std::string_view what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

TEST_F(MetricsTest, EveryFamilyHasOneHelpAndOneTypeLine) {
  ASSERT_TRUE(broker.declare_queue("jobs"));
  publish("jobs");
  const auto text = prometheus_text(broker.stats());
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(count_of(*text, "# HELP wasmq_queue_depth "), 1u);
  EXPECT_EQ(count_of(*text, "# TYPE wasmq_queue_depth gauge\n"), 1u);
  EXPECT_EQ(count_of(*text, "# TYPE wasmq_queue_published_total counter\n"), 1u);
  EXPECT_EQ(count_of(*text, "# HELP "), count_of(*text, "# TYPE "));
  EXPECT_NE(text->find("\nwasmq_published_total 1\n"), std::string::npos) << *text;
  EXPECT_NE(text->find("\nwasmq_queue_depth{queue=\"jobs\"} 1\n"), std::string::npos) << *text;
  EXPECT_NE(text->find("\nwasmq_queue_dropped_total{queue=\"jobs\",reason=\"rejected\"} 0\n"), std::string::npos);
}

TEST_F(MetricsTest, LabelValuesAreEscaped) {
  BrokerStats stats;
  stats.queues.push_back(QueueStats{.name = "a\\b\"c\nd"});
  const auto text = prometheus_text(stats);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("wasmq_queue_depth{queue=\"a\\\\b\\\"c\\nd\"} 0\n"), std::string::npos) << *text;
}

TEST_F(MetricsTest, ThePrefixIsYoursIfItIsAMetricName) {
  const auto custom = prometheus_text(broker.stats(), "shop_broker");
  ASSERT_TRUE(custom);
  EXPECT_NE(custom->find("\nshop_broker_published_total 0\n"), std::string::npos);
  EXPECT_EQ(prometheus_text(broker.stats(), "9lives").error().code, Errc::invalid_argument);
  EXPECT_EQ(prometheus_text(broker.stats(), "").error().code, Errc::invalid_argument);
  EXPECT_EQ(prometheus_text(broker.stats(), "a-b").error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace wasmq
