// BrokerStats in the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): one HELP and one TYPE line per
// family, then its samples; label values escaped (backslash, double quote, line feed).

#include <wasmq/metrics.hpp>

#include <cstdint>
#include <sstream>
#include <vector>

namespace wasmq {

namespace {

bool is_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void write_label_value(std::ostream& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case '\\': out << "\\\\"; break;
      case '"': out << "\\\""; break;
      case '\n': out << "\\n"; break;
      default: out << c;
    }
  }
}

class Exposition {
 public:
  Exposition(std::ostream& out, std::string_view prefix) : out_(out), prefix_(prefix) {}

  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ << "# HELP " << prefix_ << '_' << name << ' ' << help << '\n';
    out_ << "# TYPE " << prefix_ << '_' << name << ' ' << type << '\n';
    name_ = name;
  }
  /// A sample of the current family; labels as name/value pairs.
  void sample(std::initializer_list<std::pair<std::string_view, std::string_view>> labels, std::uint64_t value) {
    out_ << prefix_ << '_' << name_;
    if (labels.size() != 0) {
      out_ << '{';
      bool first = true;
      for (const auto& [label, label_value] : labels) {
        if (!first) out_ << ',';
        first = false;
        out_ << label << "=\"";
        write_label_value(out_, label_value);
        out_ << '"';
      }
      out_ << '}';
    }
    out_ << ' ' << value << '\n';
  }

 private:
  std::ostream& out_;
  std::string_view prefix_;
  std::string_view name_;
};

/// A metric family read from one counter of a stats record (QueueStats or ConsumerStats).
template <class Stats>
struct Family {
  std::string_view name;
  std::string_view type;
  std::string_view help;
  std::uint64_t Stats::* field;
};

constexpr Family<QueueStats> queue_families[] = {
    {"queue_published_total", "counter", "Messages that entered the queue from a publish.", &QueueStats::published},
    {"queue_refused_total", "counter", "Publishes the queue refused (full, block timeout).", &QueueStats::refused},
    {"queue_delivered_total", "counter", "Deliveries, first ones and redeliveries.", &QueueStats::delivered},
    {"queue_redelivered_total", "counter", "Deliveries after the first.", &QueueStats::redelivered},
    {"queue_accepted_total", "counter", "Deliveries accepted.", &QueueStats::accepted},
    {"queue_released_total", "counter", "Deliveries released, or dropped unsettled.", &QueueStats::released},
    {"queue_rejected_total", "counter", "Deliveries rejected.", &QueueStats::rejected},
    {"queue_lock_expired_total", "counter", "Deliveries whose lock expired.", &QueueStats::lock_expired},
    {"queue_handler_failures_total", "counter", "Push handlers that threw.", &QueueStats::handler_failures},
    {"queue_depth", "gauge", "Messages waiting, available now.", &QueueStats::depth},
    {"queue_delayed", "gauge", "Messages waiting for a release delay or backoff.", &QueueStats::delayed},
    {"queue_in_flight", "gauge", "Deliveries not yet settled.", &QueueStats::in_flight},
    {"queue_bytes", "gauge", "Message bytes waiting.", &QueueStats::bytes},
};

constexpr Family<ConsumerStats> consumer_families[] = {
    {"consumer_delivered_total", "counter", "Deliveries to the consumer.", &ConsumerStats::delivered},
    {"consumer_accepted_total", "counter", "Deliveries the consumer accepted.", &ConsumerStats::accepted},
    {"consumer_released_total", "counter", "Deliveries the consumer released.", &ConsumerStats::released},
    {"consumer_rejected_total", "counter", "Deliveries the consumer rejected.", &ConsumerStats::rejected},
    {"consumer_lock_expired_total", "counter", "Deliveries whose lock expired.", &ConsumerStats::lock_expired},
    {"consumer_handler_failures_total", "counter", "Handler calls that threw.", &ConsumerStats::handler_failures},
    {"consumer_in_flight", "gauge", "Deliveries the consumer holds unsettled.", &ConsumerStats::in_flight},
};

void write_reasons(Exposition& exposition, const std::vector<QueueStats>& queues, ReasonCounts QueueStats::* field) {
  for (const QueueStats& queue : queues) {
    const ReasonCounts& counts = queue.*field;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      exposition.sample({{"queue", queue.name}, {"reason", to_string(static_cast<DeadLetterReason>(i))}}, counts[i]);
    }
  }
}

}  // namespace

Result<std::string> prometheus_text(const BrokerStats& stats, std::string_view prefix) {
  if (!is_metric_name(prefix)) {
    return make_error(Errc::invalid_argument,
                      "metric prefix '" + std::string(prefix) + "' is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  }
  std::ostringstream out;
  Exposition exposition(out, prefix);
  exposition.family("published_total", "counter", "Successful publish calls.");
  exposition.sample({}, stats.published);
  exposition.family("unrouted_total", "counter", "Publishes to a name nothing receives from.");
  exposition.sample({}, stats.unrouted);
  for (const Family<QueueStats>& family : queue_families) {
    exposition.family(family.name, family.type, family.help);
    for (const QueueStats& queue : stats.queues) exposition.sample({{"queue", queue.name}}, queue.*family.field);
  }
  exposition.family("queue_consumers", "gauge", "Consumers and receivers attached to the queue.");
  for (const QueueStats& queue : stats.queues) exposition.sample({{"queue", queue.name}}, queue.consumers);
  exposition.family("queue_dead_lettered_total", "counter", "Messages forwarded to the dead-letter name, by reason.");
  write_reasons(exposition, stats.queues, &QueueStats::dead_lettered);
  exposition.family("queue_dropped_total", "counter", "Messages left with no dead-letter name to go to, by reason.");
  write_reasons(exposition, stats.queues, &QueueStats::dropped);
  for (const Family<ConsumerStats>& family : consumer_families) {
    exposition.family(family.name, family.type, family.help);
    for (const ConsumerStats& consumer : stats.consumers) {
      const std::string id = std::to_string(consumer.id);
      exposition.sample({{"consumer", id}, {"queue", consumer.queue}}, consumer.*family.field);
    }
  }
  return std::move(out).str();
}

}  // namespace wasmq
