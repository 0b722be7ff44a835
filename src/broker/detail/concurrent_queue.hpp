#pragma once
// The one place that includes moodycamel::ConcurrentQueue: its include path differs between
// install methods (Debian puts it under concurrentqueue/), so nothing else names it directly.

#include <concurrentqueue/concurrentqueue.h>

#include <cstddef>
#include <new>

namespace wasmq::detail {

/// moodycamel's defaults, but its blocks come from operator new rather than malloc: the memory a
/// queue holds is then counted where the program counts its allocations (tests/alloc,
/// bench/memory_bench.cpp), and a host's replaced operator new sees it too.
struct QueueTraits : moodycamel::ConcurrentQueueDefaultTraits {
  static void* malloc(std::size_t size) { return ::operator new(size, std::nothrow); }  // null: moodycamel's failure
  static void free(void* pointer) { ::operator delete(pointer); }
};

template <class T>
using Queue = moodycamel::ConcurrentQueue<T, QueueTraits>;
using ConsumerToken = moodycamel::ConsumerToken;
using ProducerToken = moodycamel::ProducerToken;

}  // namespace wasmq::detail
