;; A handler whose only work is bulk: it fills 32 KiB of its memory, copies those 32 KiB, and
;; fills 4,096 table elements. Metered, that is 32 + 32 + 32 steps besides the handler's entry, so
;; a budget of 97 steps suffices and one of 96 does not (wasm_guest_test.cpp).
(module
  (memory (export "memory") 2)
  (table 4096 funcref)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
  (func (export "wasi:messaging/incoming-handler@0.2.0-draft#handle") (param i32) (result i32)
    (memory.fill (i32.const 1024) (i32.const 7) (i32.const 32768))
    (memory.copy (i32.const 33792) (i32.const 1024) (i32.const 32768))
    (table.fill 0 (i32.const 0) (ref.null func) (i32.const 4096))
    ;; the result area at address 0, all zero: ok
    i32.const 0))
