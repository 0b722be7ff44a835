// A tour of the broker core on real threads: topic fan-out with a subscription group, a work
// queue with competing consumers, a message released once and then accepted, a poison message
// retried until it is dead-lettered, and the counters of every queue at the end.

#include <wasmq/wasmq.hpp>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>

namespace {

using namespace std::chrono_literals;

/// Counts down to zero; waits with a deadline so that the tour can never hang.
class Countdown {
 public:
  explicit Countdown(int count) : count_(count) {}
  void DoneOne() {
    std::lock_guard lock(mutex_);
    if (--count_ == 0) cv_.notify_all();
  }
  bool Wait() {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, 10s, [&] { return count_ <= 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int count_;
};

void PrintTable(const wasmq::BrokerStats& stats) {
  std::printf("\n%-32s %9s %9s %8s %8s %8s %8s %7s %6s\n", "queue / subscription", "published", "delivered", "accepted",
              "released", "rejected", "dead", "dropped", "depth");
  for (const auto& queue : stats.queues) {
    std::printf("%-32s %9llu %9llu %8llu %8llu %8llu %8llu %7llu %6llu\n", queue.name.c_str(),
                static_cast<unsigned long long>(queue.published), static_cast<unsigned long long>(queue.delivered),
                static_cast<unsigned long long>(queue.accepted), static_cast<unsigned long long>(queue.released),
                static_cast<unsigned long long>(queue.rejected),
                static_cast<unsigned long long>(queue.dead_lettered_total()),
                static_cast<unsigned long long>(queue.dropped_total()), static_cast<unsigned long long>(queue.depth));
  }
  std::printf("broker: %llu published, %llu unrouted\n", static_cast<unsigned long long>(stats.published),
              static_cast<unsigned long long>(stats.unrouted));
}

}  // namespace

int main() {
  wasmq::ThreadPoolRuntime runtime(2);
  wasmq::Broker broker(runtime);
  std::mutex print_mutex;
  auto say = [&](const std::string& line) {
    std::lock_guard lock(print_mutex);
    std::puts(line.c_str());
  };

  // 1. Publish-subscribe: an audit subscriber sees everything under orders.>, and two billing
  //    workers in one group share orders.* between them.
  Countdown fan_out(3 + 3);
  auto audit = broker.subscribe("orders.>", {}, [&](wasmq::Delivery& d) {
    say("  audit      got " + std::string(d.message().topic()));
    (void)d.accept();
    fan_out.DoneOne();
  });
  auto billing_handler = [&](const char* who) {
    return [&, who](wasmq::Delivery& d) {
      say(std::string("  ") + who + " got " + std::string(d.message().topic()));
      (void)d.accept();
      fan_out.DoneOne();
    };
  };
  auto billing_a = broker.subscribe("orders.*", {.group = "billing", .consumer = {.max_in_flight = 1, .batch_size = 1}},
                                    billing_handler("billing-a"));
  auto billing_b = broker.subscribe("orders.*", {.group = "billing", .consumer = {.max_in_flight = 1, .batch_size = 1}},
                                    billing_handler("billing-b"));
  if (!audit || !billing_a || !billing_b) return 1;
  say("topic fan-out: 3 orders to audit (solo) and billing (group of 2)");
  for (const char* topic : {"orders.created", "orders.paid", "orders.shipped"}) {
    if (!broker.publish(topic, "order 17")) return 1;
  }
  if (!fan_out.Wait()) return 1;

  // 2. A work queue with competing consumers, a release, and a poison message.
  if (!broker.declare_queue("shipments.dead")) return 1;
  if (!broker.declare_queue("shipments", {.max_deliveries = 3, .dead_letter = "shipments.dead"})) return 1;
  Countdown work(4 + 1);  // four shipments accepted, one dead letter
  auto packer = [&](const char* who) {
    return [&, who](wasmq::Delivery& d) {
      const std::string text(d.message().payload().as_string());
      const auto attempt = std::to_string(d.delivery_count());
      if (text == "poison") {
        say(std::string("  ") + who + " cannot pack 'poison' (attempt " + attempt + "), releasing");
        (void)d.release();
      } else if (text == "flaky" && d.delivery_count() == 1) {
        say(std::string("  ") + who + " fails 'flaky' once, releasing");
        (void)d.release();
      } else {
        say(std::string("  ") + who + " packed '" + text + "' (attempt " + attempt + ")");
        (void)d.accept();
        work.DoneOne();
      }
    };
  };
  auto dead_letters = broker.consume("shipments.dead", {}, [&](wasmq::Delivery& d) {
    const auto& death = *d.message().death();
    say("  dead letter: '" + std::string(d.message().payload().as_string()) + "' from " + death.queue + ", " +
        std::string(wasmq::to_string(death.reason)) + " after " + std::to_string(death.delivery_count) + " deliveries");
    (void)d.accept();
    work.DoneOne();
  });
  auto packer_1 = broker.consume("shipments", {.max_in_flight = 1, .batch_size = 1}, packer("packer-1"));
  auto packer_2 = broker.consume("shipments", {.max_in_flight = 1, .batch_size = 1}, packer("packer-2"));
  if (!dead_letters || !packer_1 || !packer_2) return 1;
  say("work queue: 5 shipments to 2 competing packers (max 3 deliveries, then dead letter)");
  for (const char* text : {"books", "flaky", "poison", "lamp", "chair"}) {
    if (!broker.publish("shipments", text)) return 1;
  }
  if (!work.Wait()) return 1;

  // 3. Bad input is an error, not a crash.
  auto refused = broker.publish("orders.*", "x");
  say("publishing to a wildcard: " + std::string(wasmq::to_string(refused.error().code)) + ": " +
      refused.error().message());

  PrintTable(broker.stats());
  return 0;
}
