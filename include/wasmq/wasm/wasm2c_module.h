/* What wasmq needs to run one module that wasm2c translated to C: its entry points, gathered by
 * the glue that wasmq_add_wasm2c_guest() generates next to wasm2c's output. C, so that the glue
 * compiles with wasm2c's own C. Every translated module of the world shares one definition of
 * each import (src/wasm/wasm2c/imports.cpp): wasm2c passes the import module's instance struct,
 * defined here, whose `host` points at the calling guest's canonical ABI. */
#ifndef WASMQ_WASM_WASM2C_MODULE_H
#define WASMQ_WASM_WASM2C_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "wasm-rt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The instance structs of the three import modules, as wasm2c 1.0.32 names them; C names. */
/* NOLINTBEGIN(readability-identifier-naming,modernize-use-using,modernize-redundant-void-arg) */
struct Z_wasiZ3AmessagingZ2FtypesZ400Z2E2Z2E0Z2Ddraft_instance_t {
  void* host;
};
struct Z_wasiZ3AmessagingZ2FproducerZ400Z2E2Z2E0Z2Ddraft_instance_t {
  void* host;
};
struct Z_wasiZ3AmessagingZ2FrequestZ2DreplyZ400Z2E2Z2E0Z2Ddraft_instance_t {
  void* host;
};

typedef struct wasmq_wasm2c_module {
  const char* name;     /* the name given to `wasm2c -n` */
  size_t instance_size; /* bytes for the module's instance and its import structs */
  void (*init_module)(void);
  /* Instantiates into `instance` (instance_size bytes, zeroed); imports call back with `host`. */
  void (*instantiate)(void* instance, void* host);
  void (*free_instance)(void* instance);
  void (*initialize)(void* instance); /* the reactor's _initialize, or NULL */
  wasm_rt_memory_t* (*memory)(void* instance);
  uint32_t (*cabi_realloc)(void* instance, uint32_t old_ptr, uint32_t old_size, uint32_t align,
                           uint32_t new_size);
  uint32_t (*handle)(void* instance, uint32_t message);
  void (*post_handle)(void* instance, uint32_t ret); /* NULL when the guest exports none */
  /* The step budget of a metered module (wasmq_add_wasm_guest(... METERED)), or NULL. */
  uint32_t* (*fuel)(void* instance);
} wasmq_wasm2c_module;
/* NOLINTEND(readability-identifier-naming,modernize-use-using,modernize-redundant-void-arg) */

#ifdef __cplusplus
}
#endif

#endif
