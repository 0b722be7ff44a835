#include "stock_watcher.hpp"

namespace shop::revisions {

namespace r4 = wasi::messaging::r4;

std::expected<void, r4::types::Error> StockWatcher::Handle(r4::types::Message&& ms) {
  std::lock_guard lock(mutex_);
  ++updates_[ms.Topic()];
  return {};
}

std::expected<std::vector<std::string>, r4::types::Error> StockWatcher::Subscribe() { return topics_; }

std::map<std::string, int> StockWatcher::Updates() const {
  std::lock_guard lock(mutex_);
  return updates_;
}

}  // namespace shop::revisions
