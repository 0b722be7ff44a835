#pragma once
// StockWatcher: a guest written against revision R4 (it names its topics when started).

#include <wasi/messaging/r4/incoming_handler.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace shop::revisions {

/// Watches the stock topics it is configured with and counts the updates per topic.
class StockWatcher final : public wasi::messaging::r4::incoming_handler::Guest {
 public:
  explicit StockWatcher(std::vector<std::string> topics) : topics_(std::move(topics)) {}

  std::expected<void, wasi::messaging::r4::types::Error> Handle(wasi::messaging::r4::types::Message&& ms) override;
  std::expected<std::vector<std::string>, wasi::messaging::r4::types::Error> Subscribe() override;

  /// Updates seen per topic. Thread-safe.
  [[nodiscard]] std::map<std::string, int> Updates() const;

 private:
  const std::vector<std::string> topics_;
  mutable std::mutex mutex_;
  std::map<std::string, int> updates_;  // guarded by mutex_
};

}  // namespace shop::revisions
