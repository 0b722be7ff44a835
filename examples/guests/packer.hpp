#pragma once
// Packer: a worker on the fulfilment queue (competing consumers).

#include <wasi/messaging/incoming_handler.hpp>

#include <atomic>
#include <cstddef>
#include <string>

namespace shop {

/// Packs fulfilment jobs ("<order-id> <sku> <quantity>") and publishes `orders.packed` (metadata
/// `order-id`, `packer`). Several packers share one queue; each job goes to one of them.
/// A job larger than the biggest box fails with `other` every time it is tried — a poison
/// message: the host retries it and, at the queue's max_deliveries, dead-letters it.
class Packer final : public wasi::messaging::incoming_handler::Guest {
 public:
  struct Config {
    std::string name = "packer";
    long biggest_box = 100;  ///< most items one parcel holds
    std::string connection = "inproc";
  };
  explicit Packer(Config config) : config_(std::move(config)) {}

  std::expected<void, wasi::messaging::types::Error> Handle(wasi::messaging::types::Message&& job) override;

  /// Jobs this packer packed. Thread-safe.
  [[nodiscard]] std::size_t Packed() const noexcept { return packed_.load(std::memory_order_relaxed); }
  [[nodiscard]] const std::string& Name() const noexcept { return config_.name; }

 private:
  const Config config_;
  std::atomic<std::size_t> packed_{0};  // relaxed: a counter read after the work is done
};

}  // namespace shop
