;; A module that exports a `wasmq_fuel` of its own and never counts it down: if the host took it
;; for metered, its handler's loop would never end. Meter refuses it (wasm_guest_test.cpp).
(module
  (memory (export "memory") 1)
  (global (export "wasmq_fuel") (mut i32) (i32.const 0))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
  (func (export "wasi:messaging/incoming-handler@0.2.0-draft#handle") (param i32) (result i32)
    (loop $forever (br $forever))
    i32.const 0))
