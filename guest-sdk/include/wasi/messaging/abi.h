/* wasi:messaging@0.2.0-draft for wasm32 guests written in C: every import of the four worlds and
 * the incoming-handler export, lowered to the component model's canonical ABI with the core
 * names wit-component reads ("[method]message.topic", "[resource-drop]message", ...).
 *
 * Flattening (MAX_FLAT_PARAMS 16, MAX_FLAT_RESULTS 1): a string or list<T> is (pointer, length);
 * own<R> and borrow<R> are one i32 handle (0 is never valid); option<own<R>> is (tag, handle);
 * a function with a compound result takes the address of a return area as its last parameter.
 * Strings and lists the host returns are allocated with the guest's cabi_realloc; the guest
 * frees them (free()). A C guest defines cabi_realloc and the handle export itself, or uses
 * WASI_MESSAGING_C_REALLOC below. (The C++ SDK's own cabi_realloc lowers into a scratch buffer
 * during its calls: see types.hpp.) Only compiles for wasm32. */
#ifndef WASI_MESSAGING_ABI_H
#define WASI_MESSAGING_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WM_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define WM_TYPES "wasi:messaging/types@0.2.0-draft"
#define WM_PRODUCER "wasi:messaging/producer@0.2.0-draft"
#define WM_REQUEST_REPLY "wasi:messaging/request-reply@0.2.0-draft"
#define WM_HANDLE_EXPORT "wasi:messaging/incoming-handler@0.2.0-draft#handle"
#define WM_HANDLE_POST_EXPORT "cabi_post_wasi:messaging/incoming-handler@0.2.0-draft#handle"

typedef uint32_t wm_handle_t;

typedef struct {
  uint8_t *ptr;
  size_t len;
} wm_bytes_t; /* string, list<u8> */

typedef struct {
  wm_bytes_t key;
  wm_bytes_t value;
} wm_metadata_entry_t; /* tuple<string, string> */

typedef struct {
  wm_metadata_entry_t *ptr;
  size_t len;
} wm_metadata_t; /* list<tuple<string, string>> */

typedef struct {
  wm_handle_t *ptr;
  size_t len;
} wm_messages_t; /* list<own<message>> */

enum { WM_ERROR_TIMEOUT = 0, WM_ERROR_CONNECTION = 1, WM_ERROR_PERMISSION_DENIED = 2, WM_ERROR_OTHER = 3 };

typedef struct {
  uint8_t tag;     /* WM_ERROR_* */
  wm_bytes_t text; /* absent for timeout */
} wm_error_t;

typedef struct {
  uint8_t is_err;
  wm_error_t err;
} wm_result_void_t;

typedef struct {
  uint8_t is_err;
  union {
    wm_handle_t ok;
    wm_error_t err;
  } val;
} wm_result_handle_t;

typedef struct {
  uint8_t is_err;
  union {
    wm_messages_t ok;
    wm_error_t err;
  } val;
} wm_result_messages_t;

typedef struct {
  uint8_t is_some;
  wm_bytes_t val;
} wm_option_bytes_t;

typedef struct {
  uint8_t is_some;
  wm_metadata_t val;
} wm_option_metadata_t;

_Static_assert(sizeof(void *) == 4, "wasm32 only");
_Static_assert(sizeof(wm_bytes_t) == 8 && _Alignof(wm_bytes_t) == 4, "string layout");
_Static_assert(sizeof(wm_metadata_entry_t) == 16, "tuple<string, string> layout");
_Static_assert(sizeof(wm_error_t) == 12 && offsetof(wm_error_t, text) == 4, "error layout");
_Static_assert(sizeof(wm_result_void_t) == 16 && offsetof(wm_result_void_t, err) == 4, "result<_, error>");
_Static_assert(sizeof(wm_result_handle_t) == 16 && offsetof(wm_result_handle_t, val) == 4, "result<own, error>");
_Static_assert(sizeof(wm_result_messages_t) == 16 && offsetof(wm_result_messages_t, val) == 4, "result<list, error>");
_Static_assert(sizeof(wm_option_bytes_t) == 12 && offsetof(wm_option_bytes_t, val) == 4, "option<string>");
_Static_assert(sizeof(wm_option_metadata_t) == 12 && offsetof(wm_option_metadata_t, val) == 4, "option<metadata>");

/* wasi:messaging/types — resource client */
WM_IMPORT(WM_TYPES, "[static]client.connect")
void wm_client_connect(const char *name, size_t name_len, wm_result_handle_t *ret);
WM_IMPORT(WM_TYPES, "[method]client.disconnect")
void wm_client_disconnect(wm_handle_t self, wm_result_void_t *ret);
WM_IMPORT(WM_TYPES, "[resource-drop]client")
void wm_client_drop(wm_handle_t self);

/* wasi:messaging/types — resource message */
WM_IMPORT(WM_TYPES, "[constructor]message")
wm_handle_t wm_message_new(const uint8_t *data, size_t data_len);
WM_IMPORT(WM_TYPES, "[method]message.topic")
void wm_message_topic(wm_handle_t self, wm_option_bytes_t *ret);
WM_IMPORT(WM_TYPES, "[method]message.content-type")
void wm_message_content_type(wm_handle_t self, wm_option_bytes_t *ret);
WM_IMPORT(WM_TYPES, "[method]message.set-content-type")
void wm_message_set_content_type(wm_handle_t self, const char *text, size_t text_len);
WM_IMPORT(WM_TYPES, "[method]message.data")
void wm_message_data(wm_handle_t self, wm_bytes_t *ret);
WM_IMPORT(WM_TYPES, "[method]message.set-data")
void wm_message_set_data(wm_handle_t self, const uint8_t *data, size_t data_len);
WM_IMPORT(WM_TYPES, "[method]message.metadata")
void wm_message_metadata(wm_handle_t self, wm_option_metadata_t *ret);
WM_IMPORT(WM_TYPES, "[method]message.add-metadata")
void wm_message_add_metadata(wm_handle_t self, const char *key, size_t key_len, const char *value, size_t value_len);
WM_IMPORT(WM_TYPES, "[method]message.set-metadata")
void wm_message_set_metadata(wm_handle_t self, const wm_metadata_entry_t *entries, size_t count);
WM_IMPORT(WM_TYPES, "[method]message.remove-metadata")
void wm_message_remove_metadata(wm_handle_t self, const char *key, size_t key_len);
WM_IMPORT(WM_TYPES, "[resource-drop]message")
void wm_message_drop(wm_handle_t self);

/* wasi:messaging/producer */
WM_IMPORT(WM_PRODUCER, "send")
void wm_producer_send(wm_handle_t client, const char *topic, size_t topic_len, wm_handle_t message,
                      wm_result_void_t *ret);

/* wasi:messaging/request-reply */
WM_IMPORT(WM_REQUEST_REPLY, "[constructor]request-options")
wm_handle_t wm_request_options_new(void);
WM_IMPORT(WM_REQUEST_REPLY, "[method]request-options.set-timeout-ms")
void wm_request_options_set_timeout_ms(wm_handle_t self, uint32_t timeout_ms);
WM_IMPORT(WM_REQUEST_REPLY, "[method]request-options.set-expected-replies")
void wm_request_options_set_expected_replies(wm_handle_t self, uint32_t expected_replies);
WM_IMPORT(WM_REQUEST_REPLY, "[resource-drop]request-options")
void wm_request_options_drop(wm_handle_t self);
/* options: is_some 0 → none (options_handle ignored); 1 → own<request-options>, taken by the call */
WM_IMPORT(WM_REQUEST_REPLY, "request")
void wm_request(wm_handle_t client, const char *topic, size_t topic_len, wm_handle_t message, uint32_t options_is_some,
                wm_handle_t options_handle, wm_result_messages_t *ret);
WM_IMPORT(WM_REQUEST_REPLY, "reply")
void wm_reply(wm_handle_t reply_to, wm_handle_t message, wm_result_void_t *ret);

/* Defines cabi_realloc on malloc/realloc, for C guests (the C++ SDK defines its own). */
#define WASI_MESSAGING_C_REALLOC                                                               \
  __attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *ptr, size_t old_size, \
                                                                  size_t align, size_t size) { \
    (void)old_size;                                                                            \
    if (size == 0) return (void *)align;                                                       \
    void *moved = realloc(ptr, size);                                                          \
    if (!moved) __builtin_trap();                                                              \
    return moved;                                                                              \
  }

#ifdef __cplusplus
}
#endif

#endif
