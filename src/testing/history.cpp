#include <wasmq/testing/history.hpp>

#include <map>
#include <ostream>
#include <set>
#include <tuple>
#include <unordered_set>

namespace wasmq::testkit {

namespace {

/// One message in one queue, as its events tell it.
struct Life {
  std::string queue;
  std::string topic;
  std::string producer;
  std::uint64_t message_id = 0;
  std::uint32_t deliveries = 0;
  std::uint32_t accepts = 0;
  bool delivered_after_accept = false;
  bool ended = false;  // accepted, dead-lettered or dropped
  TrafficKind last{};  // the last event seen: where an unfinished message was left
};

std::string name_of(const Life& life) {
  return "message " + std::to_string(life.message_id) + " on '" + life.topic + "' in '" + life.queue + "' from " +
         life.producer;
}

/// Where an unfinished message was left, from its last event.
std::string where_left(const Life& life) {
  const std::string deliveries = std::to_string(life.deliveries) + " deliveries";
  switch (life.last) {
    case TrafficKind::published: return "still waiting, never delivered (does the queue have a consumer?)";
    case TrafficKind::delivered:
    case TrafficKind::duplicated: return "still in flight after " + deliveries + " (a handle never settled?)";
    default: return "waiting for redelivery after " + deliveries;
  }
}

}  // namespace

HistoryReport check_history(std::span<const TrafficEvent> events) {
  HistoryReport report;
  std::map<std::pair<std::string, const void*>, Life> lives;
  std::vector<const Life*> in_publish_order;
  std::set<std::uint64_t> sent_ids;
  std::unordered_set<std::uint64_t> routed_ids;
  // Per queue and producer: the message id of the last first delivery.
  // (queue, consumer, producer) → the latest message first delivered there.
  std::map<std::tuple<std::string, std::uint64_t, std::string>, std::uint64_t> last_first_delivery;

  for (const auto& event : events) {
    const std::pair<std::string, const void*> key{event.queue, event.message.address()};
    switch (event.kind) {
      case TrafficKind::sent:
        ++report.sent;
        sent_ids.insert(event.message_id);
        continue;
      case TrafficKind::send_failed:
        ++report.failed_sends;
        sent_ids.erase(event.message_id);
        continue;
      case TrafficKind::published: {
        ++report.published;
        routed_ids.insert(event.message_id);
        auto [it, inserted] = lives.try_emplace(
            key, Life{event.queue, std::string(event.topic()), event.producer, event.message_id, 0, 0, false, false});
        if (inserted) in_publish_order.push_back(&it->second);
        it->second.last = TrafficKind::published;
        continue;
      }
      case TrafficKind::refused: continue;
      default: break;
    }
    auto found = lives.find(key);
    if (found == lives.end()) continue;  // captured from the middle of its life (after clear())
    Life& life = found->second;
    life.last = event.kind;
    switch (event.kind) {
      case TrafficKind::delivered:
      case TrafficKind::duplicated:
        if (life.accepts > 0) life.delivered_after_accept = true;
        ++life.deliveries;
        if (event.kind == TrafficKind::delivered && event.delivery_count == 1) {
          auto& last = last_first_delivery[{life.queue, event.consumer, life.producer}];
          if (event.message_id < last) {
            report.out_of_order.push_back(name_of(life) + " was first delivered after message " + std::to_string(last) +
                                          ", which its producer sent later");
          }
          last = std::max(last, event.message_id);
        }
        break;
      case TrafficKind::accepted:
        if (++life.accepts > 1) life.delivered_after_accept = true;
        ++report.accepted;
        life.ended = true;
        break;
      case TrafficKind::dead_lettered:
      case TrafficKind::dropped:
        (event.kind == TrafficKind::dead_lettered ? report.dead_lettered : report.dropped) += 1;
        if (event.reason) ++report.dead_letters_by_reason[*event.reason];
        life.ended = true;
        break;
      default: break;
    }
  }

  for (const Life* life : in_publish_order) {
    if (!life->ended) {
      report.lost.push_back(name_of(*life) + " was neither accepted nor dead-lettered: " + where_left(*life));
    }
    if (life->delivered_after_accept) {
      report.delivered_after_accept.push_back(name_of(*life) + " was delivered or accepted again after acceptance");
    }
    if (life->deliveries > 1) ++report.duplicated;
    ++report.delivery_counts[life->deliveries];
  }
  for (std::uint64_t id : sent_ids) {
    if (!routed_ids.contains(id)) ++report.unrouted_sends;
  }
  return report;
}

std::string HistoryReport::summary() const {
  std::string out = "history: " + std::to_string(sent) + " sent (" + std::to_string(failed_sends) + " failed, " +
                    std::to_string(unrouted_sends) + " unrouted), " + std::to_string(published) +
                    " entered queues: " + std::to_string(accepted) + " accepted, " + std::to_string(dead_lettered) +
                    " dead-lettered, " + std::to_string(dropped) + " dropped, " + std::to_string(duplicated) +
                    " delivered more than once\n";
  out += "  deliveries per message:";
  for (auto [count, messages] : delivery_counts) {
    (out += ' ') += std::to_string(count);
    (out += "×") += std::to_string(messages);
  }
  out += "\n";
  if (!dead_letters_by_reason.empty()) {
    out += "  dead letters by reason:";
    for (auto [reason, count] : dead_letters_by_reason) {
      (out += ' ') += to_string(reason);
      (out += '=') += std::to_string(count);
    }
    out += "\n";
  }
  const auto list = [&out](std::string_view title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    out += "  " + std::string(title) + " (" + std::to_string(items.size()) + "):\n";
    for (const auto& item : items) out += "    " + item + "\n";
  };
  list("LOST", lost);
  list("DELIVERED AFTER ACCEPT", delivered_after_accept);
  list("OUT OF ORDER", out_of_order);
  return out;
}

std::ostream& operator<<(std::ostream& out, const HistoryReport& report) { return out << report.summary(); }

}  // namespace wasmq::testkit
