#include <wasmq/broker.hpp>

#include "detail/broker_core.hpp"
#include "detail/consumer_core.hpp"

namespace wasmq {

Broker::Broker(Runtime& runtime, BrokerOptions options)
    : core_(std::make_shared<detail::BrokerCore>(runtime, std::move(options))) {}

Broker::~Broker() { shutdown(); }

Result<void> Broker::declare_queue(std::string_view name, const QueueOptions& options) {
  return core_->declare_queue(name, options);
}

Result<PublishReceipt> Broker::publish(Message&& message) { return core_->publish(std::move(message)); }

Result<PublishReceipt> Broker::publish(const Message& message) { return core_->publish(Message(message)); }

Result<PublishReceipt> Broker::publish(std::string_view topic, std::span<const std::uint8_t> payload) {
  return core_->publish(topic, payload);
}

Result<PublishReceipt> Broker::publish(std::string_view topic, std::string_view payload) {
  return core_->publish(topic, std::span(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()));
}

Result<void> Broker::publish_to(std::string_view queue, Message&& message) {
  return core_->publish_to(queue, std::move(message));
}

Result<void> Broker::publish_to(std::string_view queue, const Message& message) {
  return core_->publish_to(queue, Message(message));
}

Result<Consumer> Broker::consume(std::string_view queue, ConsumerOptions options, Handler handler) {
  if (!handler) return make_error(Errc::invalid_argument, "consume needs a handler");
  auto core = core_->open(queue, options, std::move(handler));
  if (!core) return std::unexpected(core.error());
  return Consumer(std::move(*core));
}

Result<Consumer> Broker::subscribe(std::string_view pattern, const SubscribeOptions& options, Handler handler) {
  if (!handler) return make_error(Errc::invalid_argument, "subscribe needs a handler");
  auto core = core_->open_subscription(pattern, options, std::move(handler));
  if (!core) return std::unexpected(core.error());
  return Consumer(std::move(*core));
}

Result<Receiver> Broker::open_receiver(std::string_view queue, ConsumerOptions options) {
  auto core = core_->open(queue, options, Handler{});
  if (!core) return std::unexpected(core.error());
  return Receiver(std::move(*core));
}

Result<Receiver> Broker::subscribe_receiver(std::string_view pattern, const SubscribeOptions& options) {
  auto core = core_->open_subscription(pattern, options, Handler{});
  if (!core) return std::unexpected(core.error());
  return Receiver(std::move(*core));
}

Runtime& Broker::runtime() const noexcept { return core_->runtime(); }

BrokerStats Broker::stats() const { return core_->stats(); }

Result<QueueStats> Broker::queue_stats(std::string_view name) const { return core_->queue_stats(name); }

DrainReport Broker::drain(Duration timeout) { return core_->drain(timeout); }

void Broker::shutdown() {
  if (core_) core_->shutdown();
}

}  // namespace wasmq
