/* A C guest for the wasm runtime tests: what it does depends on the delivered message's data.
 *   "echo"        sends the data, with the delivery's metadata and content type, to echo.<topic>
 *   "metadata"    sends a message built with set-metadata, add-metadata and remove-metadata
 *   "ask"         requests "service" (timeout 1000 ms, 2 expected replies) and sends the
 *                 replies' data joined by '+' to "answers"
 *   "reply"       replies "pong" to the delivery
 *   "fail"        returns error other("asked to fail")
 *   "drop-twice"  drops the delivered message twice (a handle misuse: trap)
 *   "loop"        loops forever (out of steps, when metered)
 *   "recurse"     recurses without end (call stack exhausted)
 *   "bad-pointer" sends with a topic pointer past the end of memory (an ABI break: trap)
 *   "bad-utf8"    sends to a topic that is not UTF-8 (trap)
 *   "bad-area"    reads its topic into a misaligned return area (trap)
 *   "hoard"       makes messages and keeps them until the host's limit traps
 *   "grow"        asks memory.grow for 1 GiB and sends "grow=-1" or "grow=ok" to "grown"
 *   "big:..."     (a large message: reading it grows the guest's memory inside cabi_realloc)
 *                 sends its length and its last byte to "sizes" */
#include <wasi/messaging/abi.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

WASI_MESSAGING_C_REALLOC

static wm_handle_t client;
static wm_result_void_t handle_result;
static char error_text[] = "asked to fail";

static int equals(const wm_bytes_t *bytes, const char *text) {
  return bytes->len == strlen(text) && memcmp(bytes->ptr, text, bytes->len) == 0;
}

static void send_text(const char *topic, const char *text, size_t len) {
  wm_handle_t message = wm_message_new((const uint8_t *)text, len);
  wm_result_void_t sent;
  wm_producer_send(client, topic, strlen(topic), message, &sent);
  if (sent.is_err && sent.err.tag != WM_ERROR_TIMEOUT) free(sent.err.text.ptr);
}

/* Called through a volatile pointer, so that the compiler can neither fold nor loop it. */
static int recurse(int depth);
static int (*volatile again)(int) = recurse;
static int recurse(int depth) { return again(depth + 1) + 1; }

__attribute__((export_name(WM_HANDLE_EXPORT))) wm_result_void_t *handle(wm_handle_t message) {
  handle_result.is_err = 0;
  if (client == 0) {
    wm_result_handle_t connected;
    wm_client_connect("inproc", 6, &connected);
    if (connected.is_err) __builtin_trap();
    client = connected.val.ok;
  }
  wm_bytes_t data;
  wm_message_data(message, &data);
  if (equals(&data, "echo")) {
    wm_option_bytes_t topic;
    wm_message_topic(message, &topic);
    char target[128] = "echo.";
    memcpy(target + 5, topic.val.ptr, topic.val.len < 100 ? topic.val.len : 100);
    wm_option_metadata_t metadata;
    wm_message_metadata(message, &metadata);
    wm_option_bytes_t content_type;
    wm_message_content_type(message, &content_type);
    wm_handle_t copy = wm_message_new(data.ptr, data.len);
    if (metadata.is_some) wm_message_set_metadata(copy, metadata.val.ptr, metadata.val.len);
    if (content_type.is_some) {
      wm_message_set_content_type(copy, (const char *)content_type.val.ptr, content_type.val.len);
    }
    wm_result_void_t sent;
    wm_producer_send(client, target, 5 + (topic.val.len < 100 ? topic.val.len : 100), copy, &sent);
    if (sent.is_err) __builtin_trap();
  } else if (equals(&data, "metadata")) {
    wm_handle_t built = wm_message_new((const uint8_t *)"m", 1);
    wm_metadata_entry_t entries[2] = {{{(uint8_t *)"a", 1}, {(uint8_t *)"1", 1}}, {{(uint8_t *)"b", 1}, {(uint8_t *)"2", 1}}};
    wm_message_set_metadata(built, entries, 2);
    wm_message_add_metadata(built, "c", 1, "3", 1);
    wm_message_remove_metadata(built, "a", 1);
    wm_result_void_t sent;
    wm_producer_send(client, "built", 5, built, &sent);
  } else if (equals(&data, "ask")) {
    wm_handle_t options = wm_request_options_new();
    wm_request_options_set_timeout_ms(options, 1000);
    wm_request_options_set_expected_replies(options, 2);
    wm_handle_t question = wm_message_new((const uint8_t *)"ping", 4);
    wm_result_messages_t replies;
    wm_request(client, "service", 7, question, 1, options, &replies);
    wm_message_drop(question);
    char joined[256];
    size_t used = 0;
    if (replies.is_err) {
      memcpy(joined, "error", 5);
      used = 5;
      if (replies.val.err.tag != WM_ERROR_TIMEOUT) free(replies.val.err.text.ptr);
    } else {
      for (size_t i = 0; i < replies.val.ok.len; ++i) {
        wm_bytes_t reply;
        wm_message_data(replies.val.ok.ptr[i], &reply);
        if (i > 0) joined[used++] = '+';
        memcpy(joined + used, reply.ptr, reply.len < 64 ? reply.len : 64);
        used += reply.len < 64 ? reply.len : 64;
        free(reply.ptr);
        wm_message_drop(replies.val.ok.ptr[i]);
      }
      free(replies.val.ok.ptr);
    }
    send_text("answers", joined, used);
  } else if (equals(&data, "reply")) {
    wm_handle_t pong = wm_message_new((const uint8_t *)"pong", 4);
    wm_result_void_t replied;
    wm_reply(message, pong, &replied);
  } else if (equals(&data, "fail")) {
    handle_result.is_err = 1;
    handle_result.err.tag = WM_ERROR_OTHER;
    handle_result.err.text.ptr = (uint8_t *)error_text;
    handle_result.err.text.len = sizeof error_text - 1;
  } else if (equals(&data, "drop-twice")) {
    wm_message_drop(message);
  } else if (equals(&data, "loop")) {
    for (volatile int spin = 0;; spin = spin + 1) {
    }
  } else if (equals(&data, "recurse")) {
    handle_result.is_err = (uint8_t)recurse(0);
  } else if (equals(&data, "bad-pointer")) {
    wm_result_void_t sent;
    wm_producer_send(client, (const char *)0xFFFFFF00u, 64, wm_message_new(0, 0), &sent);
  } else if (equals(&data, "bad-utf8")) {
    wm_result_void_t sent;
    wm_producer_send(client, "bad\xff", 4, wm_message_new(0, 0), &sent);
  } else if (equals(&data, "bad-area")) {
    char area[32];
    wm_message_topic(message, (wm_option_bytes_t *)(area + 1));
  } else if (equals(&data, "hoard")) {
    for (;;) wm_message_new((const uint8_t *)"x", 1);
  } else if (data.len > 4 && memcmp(data.ptr, "big:", 4) == 0) {
    char text[32];
    size_t used = 0;
    for (size_t n = data.len; n > 0; n /= 10) text[used++] = (char)('0' + n % 10);
    for (size_t i = 0; i < used / 2; ++i) {
      const char swap = text[i];
      text[i] = text[used - 1 - i];
      text[used - 1 - i] = swap;
    }
    text[used++] = ' ';
    text[used++] = (char)data.ptr[data.len - 1];
    send_text("sizes", text, used);
  } else if (equals(&data, "grow")) {
    const int grown = __builtin_wasm_memory_grow(0, 16384); /* 1 GiB in 64 KiB pages */
    send_text("grown", grown == -1 ? "grow=-1" : "grow=ok", 7);
  }
  free(data.ptr);
  wm_message_drop(message);
  return &handle_result;
}
