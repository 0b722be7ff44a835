#include "nats_subscription.hpp"

#include <string>
#include "host_names.hpp"

namespace wasmq::backends::nats_detail {

namespace {

void Complete(void* closure) {
  auto* subscription = static_cast<SubscriptionClosure*>(closure);
  const std::shared_ptr<Completion> completion = subscription->completion;
  delete subscription;  // first: what it holds is let go before a waiter goes on
  completion->MarkDone();
}

/// How long closing a subscription waits for its handler: a handler that never returns must not
/// hang the host (the closure is then let go on the client's thread, when it does return).
constexpr auto kHandlerGrace = std::chrono::seconds(10);

}  // namespace

void Completion::MarkDone() {
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  changed.notify_all();
}

void Completion::Wait() {
  if (delivering.load(std::memory_order_relaxed) == std::this_thread::get_id()) return;
  std::unique_lock lock(mutex);
  changed.wait_for(lock, kHandlerGrace, [&] { return done; });
}

void SubscriptionClosure::Deliver(natsConnection* /*connection*/, natsSubscription* /*subscription*/, natsMsg* msg,
                                  void* closure) {
  auto* subscription = static_cast<SubscriptionClosure*>(closure);
  subscription->completion->delivering.store(std::this_thread::get_id(), std::memory_order_relaxed);
  subscription->OnMessage(NatsPtr<natsMsg>(msg));
  subscription->completion->delivering.store(std::thread::id(), std::memory_order_relaxed);
}

ActiveSubscription::~ActiveSubscription() {
  // Only the interest ends here: a JetStream consumer this subscription is bound to stays (the
  // backend created it, not the client).
  if (started_.subscription) (void)natsSubscription_Unsubscribe(started_.subscription.get());
  if (started_.completion) started_.completion->Wait();
  started_.subscription.reset();
  keep_alive_.reset();
}

std::expected<StartedSubscription, types::Error> StartSubscription(
    std::unique_ptr<SubscriptionClosure> closure,
    const std::function<natsStatus(natsSubscription**, natsMsgHandler, void*)>& subscribe, std::string_view doing) {
  natsSubscription* raw = nullptr;
  const natsStatus status = subscribe(&raw, &SubscriptionClosure::Deliver, closure.get());
  if (status != NATS_OK) return std::unexpected(ErrorOf(status, doing));
  NatsPtr<natsSubscription> subscription(raw);
  std::shared_ptr<Completion> completion = closure->completion;
  if (natsSubscription_SetOnCompleteCB(raw, &Complete, closure.get()) == NATS_OK) {
    (void)closure.release();  // the client deletes it after the last callback
  } else {
    // Closed already (the connection closed meanwhile): no callback runs any more.
    (void)natsSubscription_Unsubscribe(raw);
    completion->MarkDone();
  }
  return StartedSubscription{std::move(subscription), std::move(completion)};
}

}  // namespace wasmq::backends::nats_detail
