#include <wasmq/handler_error.hpp>

namespace wasmq {

std::string describe_exception(const std::exception_ptr& exception) {
  try {
    std::rethrow_exception(exception);
  } catch (const std::exception& thrown) {
    return thrown.what();
  } catch (...) {
    return "a non-standard exception";
  }
}

void report_handler_error(const HandlerErrorHook& hook, HandlerError error) noexcept {
  if (!hook) return;
  try {
    error.what = describe_exception(error.exception);
    hook(error);
  } catch (...) {  // NOLINT(bugprone-empty-catch): the hook must not throw; nobody is left to tell
  }
}

}  // namespace wasmq
