#pragma once
// The one place that includes moodycamel::ConcurrentQueue: its include path differs between
// install methods (Debian puts it under concurrentqueue/), so nothing else names it directly.

#include <concurrentqueue/concurrentqueue.h>

namespace wasmq::detail {

template <class T>
using Queue = moodycamel::ConcurrentQueue<T>;
using ConsumerToken = moodycamel::ConsumerToken;
using ProducerToken = moodycamel::ProducerToken;

}  // namespace wasmq::detail
