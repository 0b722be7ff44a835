#pragma once
/// A client subscription whose message callback may still be running when it is closed: its
/// closure belongs to the client until the client says the last callback has returned.

#include "nats_handles.hpp"

#include <atomic>
#include <condition_variable>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include "host_names.hpp"

namespace wasmq::backends::nats_detail {

/// Whether a subscription's closure is gone (its last callback returned), and which thread is
/// delivering to it now.
struct Completion {
  std::mutex mutex;
  std::condition_variable changed;
  bool done = false;  // guarded by mutex
  /// relaxed: only compared with the reader's own id, which only the reader itself can have stored.
  std::atomic<std::thread::id> delivering{};

  void MarkDone();
  /// Waits until done, unless called from the delivering thread itself (a handler that closes
  /// its own subscription), where it cannot be.
  void Wait();
};

/// What a subscription's callback runs. Deleted by the client's completion callback.
class SubscriptionClosure {
 public:
  virtual ~SubscriptionClosure() = default;
  /// Handles one message, owning it.
  virtual void OnMessage(NatsPtr<natsMsg> msg) = 0;

  /// The natsMsgHandler trampoline.
  static void Deliver(natsConnection* connection, natsSubscription* subscription, natsMsg* msg, void* closure);

  const std::shared_ptr<Completion> completion = std::make_shared<Completion>();
};

/// A subscription and its completion.
struct StartedSubscription {
  NatsPtr<natsSubscription> subscription;
  std::shared_ptr<Completion> completion;
};

/// A guest's subscription. Destroying it ends the subscription and waits until its handler has
/// returned for the last time — so that what the handler holds (the guest, its context) is let go
/// on the closing thread, and nothing runs after a guest's subscription is closed.
class ActiveSubscription {
 public:
  ActiveSubscription(StartedSubscription started, std::shared_ptr<void> keep_alive)
      : started_(std::move(started)), keep_alive_(std::move(keep_alive)) {}
  ~ActiveSubscription();
  ActiveSubscription(const ActiveSubscription&) = delete;
  ActiveSubscription& operator=(const ActiveSubscription&) = delete;

 private:
  StartedSubscription started_;
  std::shared_ptr<void> keep_alive_;  // the backend: released here, after the handler is done
};

/// Makes a subscription with `subscribe(handler, closure)` and hands `closure` to it. Errors from
/// `subscribe` are returned; the closure is deleted then.
std::expected<StartedSubscription, types::Error> StartSubscription(
    std::unique_ptr<SubscriptionClosure> closure,
    const std::function<natsStatus(natsSubscription**, natsMsgHandler, void*)>& subscribe, std::string_view doing);

}  // namespace wasmq::backends::nats_detail
