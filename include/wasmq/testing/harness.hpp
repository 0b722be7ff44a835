#pragma once
/// A per-test broker, host and traffic recorder for testing message-handling guests.
///
/// ```
/// wasmq::testkit::Harness harness;                      // manual clock, manual executor
/// harness.respond("pricing.quote", wasmq::testkit::canned({"9.99"}));
/// auto checkout = std::make_shared<Checkout>();
/// ASSERT_TRUE(harness.subscribe(checkout, {.topic = "checkout"}));
/// harness.publish("checkout", "order-1");
/// harness.run_until_idle();
/// EXPECT_THAT(harness.traffic().of_kind(TrafficKind::sent),
///             Contains(AllOf(OnTopic("orders.created"), WithPayload(HasSubstr("9.99")))));
/// ```
/// Nothing leaves the process, nothing is global, nothing sleeps. When the test has failed by the
/// time the harness is destroyed, it prints the timeline of everything that happened.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/incoming_handler.hpp>
#include <wasi/messaging/types.hpp>
#include <wasmq/broker.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/manual_runtime.hpp>
#include <wasmq/testing/faults.hpp>
#include <wasmq/testing/history.hpp>
#include <wasmq/testing/outcome.hpp>
#include <wasmq/testing/responder.hpp>
#include <wasmq/testing/traffic.hpp>

#include <chrono>
#include <cstddef>
#include <expected>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq {
class ThreadPoolRuntime;
}

namespace wasmq::testkit {

namespace detail {
class CountingRuntime;
}

struct HarnessOptions {
  /// 0: a ManualRuntime — work runs only in run_until_idle/advance, on the test's thread, and time
  /// moves only by advance. N > 0: a ThreadPoolRuntime with N threads and the real clock; use
  /// wait_for_idle.
  std::size_t threads = 0;
  /// The broker's options. Its observer, if any, still gets every event (after the traffic).
  BrokerOptions broker{};
  /// Connection names that reach the harness's broker besides "inproc" and "inproc://test".
  std::vector<std::string> connection_names{};
  /// Whether the destructor prints the timeline when the test failed; decides "failed" with
  /// `test_failed` (default: ::testing::Test::HasFailure()).
  bool print_timeline_on_failure = true;
  std::function<bool()> test_failed{};
};

/// What Harness::deliver hands the guest besides the data.
struct DeliverOptions {
  /// Sets a reply address: the guest may Reply, and the replies are captured as sends to it.
  std::optional<std::string> reply_to{};
  std::optional<std::string> content_type{};
  Metadata metadata{};
  /// How the result is settled (the same policy a host gives a subscription).
  wasmq::host::OutcomePolicy policy{};
  /// The guest to run as (its identity and permissions); null: the harness's default guest.
  std::shared_ptr<const wasmq::host::GuestContext> as{};
};

/// See the file comment. Not thread-safe itself: drive it from the test's thread (the broker and
/// traffic it owns are thread-safe).
class Harness {
 public:
  explicit Harness(HarnessOptions options = {});
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // --- time and work ---------------------------------------------------------------------------
  /// Manual mode: runs posted work until none is left. Returns the number of tasks run.
  std::size_t run_until_idle();
  /// Manual mode: moves the clock by `step`, firing due timers and running the work they post.
  std::size_t advance(Duration step);
  /// Waits until no work is queued or running and no timer is due (timers due later do not
  /// count), or `timeout` passes. Exact: it counts outstanding work, it does not wait for quiet.
  /// Manual mode: the same as run_until_idle (always true). Returns whether it is idle.
  bool wait_for_idle(Duration timeout = std::chrono::seconds(10));
  [[nodiscard]] TimePoint now() const noexcept;
  [[nodiscard]] bool manual() const noexcept { return manual_ != nullptr; }

  // --- parts -----------------------------------------------------------------------------------
  [[nodiscard]] Broker& broker() noexcept { return *broker_; }
  [[nodiscard]] Runtime& runtime() noexcept;
  [[nodiscard]] Traffic& traffic() noexcept { return *traffic_; }
  [[nodiscard]] Faults& faults() noexcept { return faults_; }
  [[nodiscard]] std::shared_ptr<const wasmq::host::ConnectionRegistry> registry() const { return registry_; }

  // --- guests ----------------------------------------------------------------------------------
  /// A guest context for `identity` with `permissions`, resolving names through this harness.
  [[nodiscard]] std::shared_ptr<const wasmq::host::GuestContext> guest(std::string identity,
                                                                       wasmq::host::Permissions permissions = {}) const;
  /// The default guest ("test-guest", every permission).
  [[nodiscard]] const std::shared_ptr<const wasmq::host::GuestContext>& default_guest() const noexcept {
    return default_guest_;
  }
  /// Makes `context` (default: the default guest) current on this thread while the result lives:
  /// guest code the test calls directly (Client::Connect, Send, Request) runs as that guest.
  [[nodiscard]] wasmq::host::ScopedGuest as_guest(
      std::shared_ptr<const wasmq::host::GuestContext> context = nullptr) const;
  /// Subscribes `guest` as a host would. Errors as host::SubscribeGuest.
  [[nodiscard]] std::expected<wasmq::host::GuestSubscription, wasi::messaging::types::Error> subscribe(
      std::shared_ptr<wasi::messaging::incoming_handler::Guest> guest, const wasmq::host::Subscription& subscription,
      std::shared_ptr<const wasmq::host::GuestContext> as = nullptr);
  /// Hands one message on `topic` straight to `guest.Handle` (no queue) and says how the host
  /// would settle the result. What the guest sends meanwhile is published and captured; in manual
  /// mode the work it causes runs before this returns.
  Outcome deliver(wasi::messaging::incoming_handler::Guest& guest, std::string_view topic, std::string_view data,
                  DeliverOptions options = {});

  // --- the test as a producer ------------------------------------------------------------------
  /// Publishes `data` on `topic` as producer "test", captured like a guest's send.
  [[nodiscard]] Result<PublishReceipt> publish(std::string_view topic, std::string_view data, Metadata metadata = {});
  /// Publishes a prepared message as producer "test".
  [[nodiscard]] Result<PublishReceipt> publish(Message message);
  /// Publishes to `queue` until it refuses (full), as producer "fill". Returns how many it took.
  /// Errors: invalid_argument when the queue took `limit` messages without refusing.
  [[nodiscard]] Result<std::size_t> fill(std::string_view queue, std::string_view data = "filler",
                                         std::size_t limit = 1'000'000);

  // --- scripted request-reply ------------------------------------------------------------------
  /// Serves requests on `topic` with `script` (canned, repeated, echo, silent) until the responder
  /// is stopped or the harness ends. A topic with no responder gives "no responders".
  Responder& respond(std::string topic, ReplyScript script);

  // --- checking --------------------------------------------------------------------------------
  /// check_history over everything captured.
  [[nodiscard]] HistoryReport check_history() const;
  /// The timeline of everything captured.
  [[nodiscard]] std::string timeline() const { return traffic_->timeline(); }

 private:
  HarnessOptions options_;
  std::unique_ptr<ManualRuntime> manual_;
  std::unique_ptr<ThreadPoolRuntime> pool_;
  std::unique_ptr<detail::CountingRuntime> counting_;
  std::shared_ptr<Traffic> traffic_;
  Faults faults_;
  std::unique_ptr<Broker> broker_;
  std::shared_ptr<wasmq::host::Backend> backend_;
  std::shared_ptr<wasmq::host::ConnectionRegistry> registry_;
  std::shared_ptr<const wasmq::host::GuestContext> default_guest_;
  std::list<Responder> responders_;
};

}  // namespace wasmq::testkit

WASMQ_PUBLIC_END
