/* The same in C, on abi.h alone. */
#include <wasi/messaging/abi.h>

#include <stdlib.h>

WASI_MESSAGING_C_REALLOC

static wm_result_void_t result;

__attribute__((export_name(WM_HANDLE_EXPORT))) wm_result_void_t *handle(wm_handle_t message) {
  wm_message_drop(message);
  result.is_err = 0;
  return &result;
}
