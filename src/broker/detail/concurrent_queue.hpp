#pragma once
// The one place that includes moodycamel::ConcurrentQueue: its include path differs between
// install methods (Debian puts it under concurrentqueue/), so nothing else names it directly.

#include <concurrentqueue/blockingconcurrentqueue.h>

namespace wasmq::detail {

template <class T>
using BlockingQueue = moodycamel::BlockingConcurrentQueue<T>;
template <class T>
using Queue = moodycamel::ConcurrentQueue<T>;

}  // namespace wasmq::detail
