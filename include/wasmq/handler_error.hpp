#pragma once
/// What the error hook (BrokerOptions::on_handler_error) is told when a push handler throws.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/shared_message.hpp>

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

/// A push handler that threw. The delivery was failed (counted in handler_failures, redelivered
/// after the backoff, dead-lettered at max_deliveries); this says why.
struct HandlerError {
  std::string_view queue{};          ///< the queue or subscription whose handler threw
  std::uint64_t consumer = 0;        ///< the consumer (ConsumerStats::id)
  SharedMessage message{};           ///< the message it was handling; empty if the handler had moved the delivery away
  std::uint32_t delivery_count = 0;  ///< 1 on its first delivery
  std::exception_ptr exception{};    ///< what it threw, to rethrow and inspect
  std::string what{};                ///< what() of a std::exception; otherwise "a non-standard exception"
};

/// Called on the thread that ran the handler, after the delivery was failed. It must be
/// thread-safe and must not throw (an exception from it is swallowed).
using HandlerErrorHook = std::function<void(const HandlerError&)>;

/// what() of the std::exception `exception` holds; otherwise "a non-standard exception".
[[nodiscard]] std::string describe_exception(const std::exception_ptr& exception);

/// Fills in `error.what` from `error.exception` and calls `hook`, if it is set. What the hook
/// throws is swallowed: it runs on the thread whose handler failed, with nobody left to tell.
void report_handler_error(const HandlerErrorHook& hook, HandlerError error) noexcept;

}  // namespace wasmq

WASMQ_PUBLIC_END
