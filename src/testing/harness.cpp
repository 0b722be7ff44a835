#include <wasmq/testing/harness.hpp>

#include <wasmq/backends/inproc.hpp>
#include <wasmq/thread_pool_runtime.hpp>

#include "counting_runtime.hpp"
#include "recorded_send.hpp"
#include "recording_backend.hpp"

#include <gtest/gtest.h>

#include <exception>
#include <iostream>
#include <stdexcept>

namespace wasmq::testkit {

namespace host = wasmq::host;
namespace types = wasi::messaging::types;

namespace {

/// The traffic first, then the observer the test configured.
class Tee final : public Observer {
 public:
  Tee(std::shared_ptr<Observer> first, std::shared_ptr<Observer> second)
      : first_(std::move(first)), second_(std::move(second)) {}
  void on_event(const Event& event) noexcept override {
    first_->on_event(event);
    second_->on_event(event);
  }

 private:
  std::shared_ptr<Observer> first_;
  std::shared_ptr<Observer> second_;
};

std::string error_text(const Error& error) { return std::string(to_string(error.code)) + ": " + error.message(); }

Outcome::Settlement settlement_of(host::Settlement::Action action) {
  switch (action) {
    case host::Settlement::Action::kAccept: return Outcome::Settlement::accepted;
    case host::Settlement::Action::kRelease: return Outcome::Settlement::released;
    case host::Settlement::Action::kReject: return Outcome::Settlement::rejected;
  }
  return Outcome::Settlement::failed;
}

}  // namespace

Harness::Harness(HarnessOptions options) : options_(std::move(options)) {
  if (options_.threads == 0) {
    manual_ = std::make_unique<ManualRuntime>();
  } else {
    pool_ = std::make_unique<ThreadPoolRuntime>(options_.threads);
    counting_ = std::make_unique<detail::CountingRuntime>(*pool_);
  }
  traffic_ = std::make_shared<Traffic>(runtime().now());
  BrokerOptions broker_options = options_.broker;
  if (broker_options.observer) {
    broker_options.observer = std::make_shared<Tee>(traffic_, std::move(broker_options.observer));
  } else {
    broker_options.observer = traffic_;
  }
  broker_ = std::make_unique<Broker>(runtime(), broker_options);
  backend_ = std::make_shared<detail::RecordingBackend>(wasmq::backends::MakeInprocBackend(*broker_), *traffic_,
                                                        faults_, runtime());
  registry_ = std::make_shared<host::ConnectionRegistry>();
  registry_->Add("inproc", backend_);
  registry_->Add("inproc://test", backend_);
  for (const auto& name : options_.connection_names) registry_->Add(name, backend_);
  default_guest_ = guest("test-guest");
}

Harness::~Harness() {
  const bool failed = options_.test_failed ? options_.test_failed() : ::testing::Test::HasFailure();
  if (options_.print_timeline_on_failure && failed) {
    std::cout << "\n" << traffic_->timeline() << check_history().summary() << std::flush;
  }
  responders_.clear();  // their subscriptions end before the broker does
  broker_->shutdown();
  if (pool_) pool_->stop();  // no task may run once the counting runtime is gone
}

Runtime& Harness::runtime() noexcept {
  if (manual_) return *manual_;
  return *counting_;
}

TimePoint Harness::now() const noexcept { return manual_ ? manual_->now() : counting_->now(); }

std::size_t Harness::run_until_idle() {
  if (!manual_) throw std::logic_error("Harness::run_until_idle needs manual mode (threads = 0); use wait_for_idle");
  return manual_->run_until_idle();
}

std::size_t Harness::advance(Duration step) {
  if (!manual_) throw std::logic_error("Harness::advance needs manual mode (threads = 0): the real clock runs itself");
  return manual_->advance(step);
}

bool Harness::wait_for_idle(Duration timeout) {
  if (manual_) {
    manual_->run_until_idle();
    return true;
  }
  return counting_->wait_for_idle(counting_->now() + timeout);
}

std::shared_ptr<const host::GuestContext> Harness::guest(std::string identity, host::Permissions permissions) const {
  return std::make_shared<const host::GuestContext>(
      host::GuestContext{std::move(identity), std::move(permissions), registry_});
}

host::ScopedGuest Harness::as_guest(std::shared_ptr<const host::GuestContext> context) const {
  if (!context) context = default_guest_;
  return host::ScopedGuest(std::move(context));
}

std::expected<host::GuestSubscription, types::Error> Harness::subscribe(
    std::shared_ptr<wasi::messaging::incoming_handler::Guest> guest, const host::Subscription& subscription,
    std::shared_ptr<const host::GuestContext> as) {
  if (!as) as = default_guest_;
  return host::SubscribeGuest(std::move(as), "inproc", std::move(guest), subscription);
}

Outcome Harness::deliver(wasi::messaging::incoming_handler::Guest& guest, std::string_view topic, std::string_view data,
                         DeliverOptions options) {
  Message message;
  message.topic = std::string(topic);
  message.payload = Payload::copy_of(data);
  message.content_type = std::move(options.content_type);
  message.metadata = std::move(options.metadata);
  message.reply_to = std::move(options.reply_to);
  message.published_at = now();

  Outcome outcome;
  std::expected<void, types::Error> result;
  bool threw = false;
  {
    host::ScopedGuest scope(options.as ? std::move(options.as) : default_guest_);
    try {
      result = guest.Handle(host::Backend::Delivered(message, backend_));
    } catch (const std::exception& error) {
      threw = true;
      outcome.exception = error.what();
    } catch (...) {
      threw = true;
      outcome.exception = "an exception not derived from std::exception";
    }
  }
  if (threw) {
    outcome.settlement = Outcome::Settlement::failed;
  } else {
    const host::Settlement settlement = options.policy.Decide(result);
    outcome.settlement = settlement_of(settlement.action);
    if (outcome.released()) outcome.retry_delay = settlement.delay;
    if (!result) outcome.error = result.error();
  }
  if (manual_) manual_->run_until_idle();
  return outcome;
}

Result<PublishReceipt> Harness::publish(std::string_view topic, std::string_view data, Metadata metadata) {
  Message message;
  message.topic = std::string(topic);
  message.payload = Payload::copy_of(data);
  message.metadata = std::move(metadata);
  return publish(std::move(message));
}

Result<PublishReceipt> Harness::publish(Message message) {
  const Message& view = message;
  return detail::recorded_send(
      *traffic_, view, "test", now(), [&] { return broker_->publish(std::move(message)); }, error_text);
}

Result<std::size_t> Harness::fill(std::string_view queue, std::string_view data, std::size_t limit) {
  const auto evictions = [this] {
    return traffic_->count(TrafficKind::dead_lettered) + traffic_->count(TrafficKind::dropped);
  };
  const std::size_t evicted_before = evictions();
  for (std::size_t taken = 0; taken < limit; ++taken) {
    Message message;
    message.topic = std::string(queue);
    message.payload = Payload::copy_of(data);
    const Message& view = message;
    auto receipt = detail::recorded_send(
        *traffic_, view, "fill", now(), [&] { return broker_->publish(std::move(message)); }, error_text);
    if (!receipt) {
      if (receipt.error().code == Errc::queue_full || receipt.error().code == Errc::timeout) return taken;
      return std::unexpected(receipt.error());
    }
    if (receipt->routed == 0)
      return make_error(Errc::invalid_argument, "fill: nothing receives '" + std::string(queue) + "'");
    if (evictions() != evicted_before) return taken + 1;  // full: it now pushes out its oldest
  }
  return make_error(Errc::invalid_argument, "fill: '" + std::string(queue) + "' took " + std::to_string(limit) +
                                                " messages without refusing one; is it bounded?");
}

Responder& Harness::respond(std::string topic, ReplyScript script) {
  Responder& responder = responders_.emplace_back(std::move(topic), std::move(script));
  auto subscribed = subscribe(responder.guest(), {.topic = responder.topic()}, guest("responder:" + responder.topic()));
  if (!subscribed) {
    const std::string message = "Harness::respond('" + responder.topic() + "'): " + subscribed.error().Message();
    responders_.pop_back();
    throw std::invalid_argument(message);
  }
  responder.attach(std::move(*subscribed));
  return responder;
}

HistoryReport Harness::check_history() const {
  const auto events = traffic_->events();
  return testkit::check_history(events);
}

}  // namespace wasmq::testkit
