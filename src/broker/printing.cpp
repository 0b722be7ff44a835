// How the broker's values print (operator<<): errors print in error.cpp; here the stats, events
// and drain reports, one line per record, as `key=value` pairs a log search can pick apart.

#include <wasmq/broker.hpp>
#include <wasmq/observer.hpp>
#include <wasmq/stats.hpp>

#include <ostream>

namespace wasmq {

namespace {

void print_reasons(std::ostream& out, std::string_view label, const ReasonCounts& counts) {
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] != 0) out << ' ' << label << '.' << to_string(static_cast<DeadLetterReason>(i)) << '=' << counts[i];
  }
}

}  // namespace

std::ostream& operator<<(std::ostream& out, DeadLetterReason reason) { return out << to_string(reason); }

std::ostream& operator<<(std::ostream& out, EventKind kind) { return out << to_string(kind); }

std::ostream& operator<<(std::ostream& out, const Event& event) {
  out << event.kind << " queue=" << event.queue;
  if (event.message) out << " topic=" << event.message.topic();
  out << " delivery_count=" << event.delivery_count;
  if (event.reason) out << " reason=" << *event.reason;
  if (event.consumer != 0) out << " consumer=" << event.consumer;
  return out;
}

std::ostream& operator<<(std::ostream& out, const QueueStats& stats) {
  out << "queue " << stats.name;
  if (stats.binding != stats.name) out << " binding=" << stats.binding;
  out << " published=" << stats.published << " refused=" << stats.refused << " delivered=" << stats.delivered
      << " redelivered=" << stats.redelivered << " accepted=" << stats.accepted << " released=" << stats.released
      << " rejected=" << stats.rejected << " lock_expired=" << stats.lock_expired
      << " handler_failures=" << stats.handler_failures << " dead_lettered=" << stats.dead_lettered_total()
      << " dropped=" << stats.dropped_total() << " depth=" << stats.depth << " delayed=" << stats.delayed
      << " in_flight=" << stats.in_flight << " bytes=" << stats.bytes << " consumers=" << stats.consumers;
  print_reasons(out, "dead_lettered", stats.dead_lettered);
  print_reasons(out, "dropped", stats.dropped);
  return out;
}

std::ostream& operator<<(std::ostream& out, const ConsumerStats& stats) {
  return out << "consumer " << stats.id << " queue=" << stats.queue << " delivered=" << stats.delivered
             << " accepted=" << stats.accepted << " released=" << stats.released << " rejected=" << stats.rejected
             << " lock_expired=" << stats.lock_expired << " handler_failures=" << stats.handler_failures
             << " in_flight=" << stats.in_flight;
}

std::ostream& operator<<(std::ostream& out, const BrokerStats& stats) {
  out << "broker published=" << stats.published << " unrouted=" << stats.unrouted << " queues=" << stats.queues.size()
      << " consumers=" << stats.consumers.size();
  for (const QueueStats& queue : stats.queues) out << '\n' << queue;
  for (const ConsumerStats& consumer : stats.consumers) out << '\n' << consumer;
  return out;
}

std::ostream& operator<<(std::ostream& out, const DrainReport& report) {
  out << "drain " << (report.finished ? "finished" : "unfinished") << " waiting=" << report.waiting
      << " in_flight=" << report.in_flight;
  for (const QueueStats& queue : report.unfinished) {
    out << '\n'
        << queue.name << ": depth=" << queue.depth << " delayed=" << queue.delayed << " in_flight=" << queue.in_flight
        << " consumers=" << queue.consumers;
  }
  return out;
}

}  // namespace wasmq
