#pragma once
/// Everything of the broker core in one include.

#include <wasmq/broker.hpp>
#include <wasmq/consumer.hpp>
#include <wasmq/delivery.hpp>
#include <wasmq/error.hpp>
#include <wasmq/manual_runtime.hpp>
#include <wasmq/message.hpp>
#include <wasmq/metrics.hpp>
#include <wasmq/name.hpp>
#include <wasmq/observer.hpp>
#include <wasmq/options.hpp>
#include <wasmq/payload.hpp>
#include <wasmq/runtime.hpp>
#include <wasmq/shared_message.hpp>
#include <wasmq/stats.hpp>
#include <wasmq/thread_pool_runtime.hpp>
#include <wasmq/version.hpp>
