#include "detail/queue_producers.hpp"

#include <algorithm>
#include <new>

namespace wasmq::detail {

namespace {
// relaxed: a serial only has to be unique; it publishes nothing.
std::atomic<std::uint64_t> next_serial{1};
}  // namespace

QueueProducers::QueueProducers(Queue<Entry>& queue) noexcept
    : queue_(queue), serial_(next_serial.fetch_add(1, std::memory_order_relaxed)) {}

// The producers go before the queue they put entries into (a token's destructor marks its
// moodycamel producer inactive): the owner declares this object after the queue.
QueueProducers::~QueueProducers() = default;

QueueProducer& QueueProducers::find_or_make(CachedQueueProducer& cached) {
  const std::thread::id me = std::this_thread::get_id();
  std::lock_guard lock(mutex_);
  auto found = std::ranges::find(producers_, me, &decltype(producers_)::value_type::first);
  if (found == producers_.end()) {
    auto producer = std::make_unique<QueueProducer>(queue_);
    if (!producer->token.valid()) throw std::bad_alloc();  // moodycamel could not allocate its producer
    producers_.emplace_back(me, std::move(producer));
    found = std::prev(producers_.end());
  }
  cached = CachedQueueProducer{serial_, found->second.get()};
  return *found->second;
}

std::size_t QueueProducers::size() const {
  std::lock_guard lock(mutex_);
  return producers_.size();
}

}  // namespace wasmq::detail
