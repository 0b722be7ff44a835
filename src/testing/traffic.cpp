#include <wasmq/name.hpp>
#include <wasmq/testing/traffic.hpp>

#include <cstdio>
#include <ostream>

namespace wasmq::testkit {

namespace {

// The send this thread is inside, so that what the broker publishes meanwhile is attributed to it.
thread_local const Traffic::SendScope* current_send = nullptr;

// The last delivery each Traffic captured on this thread (see Traffic::current_delivery).
struct LastDelivery {
  const Traffic* traffic = nullptr;
  TrafficEvent event;
};
thread_local LastDelivery last_delivery;

TrafficKind from_event_kind(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::published: return TrafficKind::published;
    case EventKind::refused: return TrafficKind::refused;
    case EventKind::delivered: return TrafficKind::delivered;
    case EventKind::accepted: return TrafficKind::accepted;
    case EventKind::released: return TrafficKind::released;
    case EventKind::lock_expired: return TrafficKind::lock_expired;
    case EventKind::handler_failed: return TrafficKind::handler_failed;
    case EventKind::rejected: return TrafficKind::rejected;
    case EventKind::dead_lettered: return TrafficKind::dead_lettered;
    case EventKind::dropped: return TrafficKind::dropped;
  }
  return TrafficKind::dropped;
}

/// The payload as a short quoted string: printable bytes as they are, others as \xNN, at most
/// 48 characters.
std::string quoted(PayloadView payload) {
  constexpr std::size_t limit = 48;
  std::string out = "'";
  const auto bytes = payload.bytes();
  for (std::size_t i = 0; i < bytes.size() && i < limit; ++i) {
    const auto byte = bytes[i];
    if (byte >= 0x20 && byte < 0x7f && byte != '\'' && byte != '\\') {
      out += static_cast<char>(byte);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(byte));
      out += escaped;
    }
  }
  out += bytes.size() > limit ? "'… (" + std::to_string(bytes.size()) + " bytes)" : "'";
  return out;
}

std::string relative_time(TimePoint time, TimePoint origin) {
  const double seconds = std::chrono::duration<double>(time - origin).count();
  char text[32];
  std::snprintf(text, sizeof text, "%+.3fs", seconds);
  return text;
}

}  // namespace

std::string_view to_string(TrafficKind kind) noexcept {
  switch (kind) {
    case TrafficKind::sent: return "sent";
    case TrafficKind::send_failed: return "send_failed";
    case TrafficKind::published: return "published";
    case TrafficKind::refused: return "refused";
    case TrafficKind::delivered: return "delivered";
    case TrafficKind::duplicated: return "duplicated";
    case TrafficKind::accepted: return "accepted";
    case TrafficKind::released: return "released";
    case TrafficKind::lock_expired: return "lock_expired";
    case TrafficKind::handler_failed: return "handler_failed";
    case TrafficKind::rejected: return "rejected";
    case TrafficKind::dead_lettered: return "dead_lettered";
    case TrafficKind::dropped: return "dropped";
  }
  return "unknown";
}

std::string describe(const TrafficEvent& event, std::optional<TimePoint> origin) {
  std::string line = "#" + std::to_string(event.sequence) + " ";
  if (origin) line += relative_time(event.time, *origin) + " ";
  std::string what(to_string(event.kind));
  if (event.kind == TrafficKind::delivered || event.kind == TrafficKind::duplicated) {
    what += "#" + std::to_string(event.delivery_count);
  }
  line += what;
  line.append(what.size() < 16 ? 16 - what.size() : 1, ' ');
  if (event.queue.empty() || event.queue == event.topic()) {
    line += event.topic();
  } else {
    line += event.queue + " (" + std::string(event.topic()) + ")";
  }
  line += " " + quoted(event.message.payload());
  if (event.reason) line += " reason=" + std::string(to_string(*event.reason));
  if (event.kind == TrafficKind::dead_lettered || event.kind == TrafficKind::dropped) {
    line += " after " + std::to_string(event.delivery_count) + " deliveries";
  }
  if (!event.detail.empty()) line += " [" + event.detail + "]";
  line += " (from " + event.producer + ", id " + std::to_string(event.message_id) + ")";
  return line;
}

void PrintTo(const TrafficEvent& event, std::ostream* out) { *out << describe(event); }

Traffic::Traffic(TimePoint origin) : origin_(origin) {}

Traffic::~Traffic() {
  if (last_delivery.traffic == this) last_delivery = {};
}

Traffic::SendScope::SendScope(std::uint64_t message_id, std::string producer)
    : outer_(current_send), message_id_(message_id), producer_(std::move(producer)) {
  current_send = this;
}

Traffic::SendScope::~SendScope() { current_send = outer_; }

Traffic::Identity Traffic::identify(const SharedMessage& message) {
  if (auto found = identities_.find(message); found != identities_.end()) return found->second;
  Identity identity;
  if (const DeathRecord* death = message.death()) {
    identity = {next_message_id_++, "broker (dead letter from " + death->queue + ")"};
  } else if (current_send != nullptr) {
    identity = {current_send->message_id_, current_send->producer_};
  } else {
    identity = {next_message_id_++, "direct publish"};
  }
  identities_.emplace(message, identity);
  return identity;
}

void Traffic::append(TrafficEvent&& event) {
  event.sequence = next_sequence_++;
  ++counts_[static_cast<std::size_t>(event.kind)];
  events_.push_back(std::move(event));
}

void Traffic::on_event(const Event& event) noexcept {
  try {
    std::lock_guard lock(mutex_);
    Identity identity = identify(event.message);
    TrafficEvent captured;
    captured.kind = from_event_kind(event.kind);
    captured.time = event.time;
    captured.queue = std::string(event.queue);
    captured.message = event.message;
    captured.delivery_count = event.delivery_count;
    captured.reason = event.reason;
    captured.consumer = event.consumer;
    captured.producer = std::move(identity.producer);
    captured.message_id = identity.message_id;
    if (captured.kind == TrafficKind::delivered) {
      append(TrafficEvent(captured));
      last_delivery = {this, std::move(captured)};
    } else {
      append(std::move(captured));
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): on purpose, see below
    // Out of memory while recording: the test loses an event, the broker is not disturbed.
  }
}

std::uint64_t Traffic::record_send(const SharedMessage& message, std::string_view producer, TimePoint time) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_message_id_++;
  identities_.emplace(message, Identity{id, std::string(producer)});
  TrafficEvent captured;
  captured.kind = TrafficKind::sent;
  captured.time = time;
  captured.message = message;
  captured.producer = std::string(producer);
  captured.message_id = id;
  append(std::move(captured));
  return id;
}

void Traffic::record_send_failed(const SharedMessage& message, std::string_view producer, std::uint64_t message_id,
                                 std::string detail, TimePoint time) {
  std::lock_guard lock(mutex_);
  if (message_id == 0) {
    message_id = next_message_id_++;
    identities_.emplace(message, Identity{message_id, std::string(producer)});
  }
  TrafficEvent captured;
  captured.kind = TrafficKind::send_failed;
  captured.time = time;
  captured.message = message;
  captured.producer = std::string(producer);
  captured.message_id = message_id;
  captured.detail = std::move(detail);
  append(std::move(captured));
}

void Traffic::record_duplicate(const TrafficEvent& delivery, TimePoint time) {
  std::lock_guard lock(mutex_);
  TrafficEvent captured = delivery;
  captured.kind = TrafficKind::duplicated;
  captured.time = time;
  captured.detail = "injected fault: the guest handles this delivery twice";
  append(std::move(captured));
}

std::optional<TrafficEvent> Traffic::current_delivery() const {
  if (last_delivery.traffic != this) return std::nullopt;
  return last_delivery.event;
}

bool Traffic::happened_after(TrafficKind kind, const SharedMessage& message, std::uint64_t after) const {
  std::lock_guard lock(mutex_);
  for (auto it = events_.rbegin(); it != events_.rend() && it->sequence > after; ++it) {
    if (it->kind == kind && it->message == message) return true;
  }
  return false;
}

std::vector<TrafficEvent> Traffic::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::vector<TrafficEvent> Traffic::select(const std::function<bool(const TrafficEvent&)>& keep) const {
  std::lock_guard lock(mutex_);
  std::vector<TrafficEvent> out;
  for (const auto& event : events_) {
    if (keep(event)) out.push_back(event);
  }
  return out;
}

std::vector<TrafficEvent> Traffic::on_topic(std::string_view pattern) const {
  return select([pattern](const TrafficEvent& event) { return matches(pattern, event.topic()); });
}

std::vector<TrafficEvent> Traffic::sent_to(std::string_view pattern) const {
  return select([pattern](const TrafficEvent& event) {
    return event.kind == TrafficKind::sent && matches(pattern, event.topic());
  });
}

std::vector<TrafficEvent> Traffic::of_kind(TrafficKind kind) const {
  return select([kind](const TrafficEvent& event) { return event.kind == kind; });
}

std::vector<TrafficEvent> Traffic::in_queue(std::string_view queue) const {
  return select([queue](const TrafficEvent& event) { return event.queue == queue; });
}

std::size_t Traffic::count(TrafficKind kind) const {
  std::lock_guard lock(mutex_);
  return counts_[static_cast<std::size_t>(kind)];
}

std::size_t Traffic::size() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

std::string Traffic::timeline() const {
  std::lock_guard lock(mutex_);
  std::string out = "wasmq traffic: " + std::to_string(events_.size()) + " events (times from the harness start)\n";
  for (const auto& event : events_) out += "  " + describe(event, origin_) + "\n";
  return out;
}

void Traffic::clear() {
  std::lock_guard lock(mutex_);
  events_.clear();
  counts_ = {};
}

}  // namespace wasmq::testkit
