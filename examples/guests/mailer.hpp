#pragma once
// Mailer: a second subscriber to new orders (fan-out), with narrow permissions.

#include <wasi/messaging/incoming_handler.hpp>

#include <string>

namespace shop {

/// For each `orders.created`, queues a confirmation on `mail.outbox` (metadata `order-id`). A
/// host gives it publish rights on `mail.>` only.
class Mailer final : public wasi::messaging::incoming_handler::Guest {
 public:
  explicit Mailer(std::string connection = "inproc") : connection_(std::move(connection)) {}
  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&& order) override;

 private:
  const std::string connection_;
};

}  // namespace shop
