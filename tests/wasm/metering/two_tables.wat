;; Two tables of 10 elements, neither with a maximum. Under max_table_elements 100 the first may
;; grow by the 80 the limit leaves and the second by nothing: the handler traps if the first grow
;; fails or the second succeeds (a cap per table would let each grow to 100). With a limit of 19
;; the module is not loaded (wasm_guest_test.cpp).
(module
  (memory (export "memory") 1)
  (table $first 10 funcref)
  (table $second 10 funcref)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
  (func (export "wasi:messaging/incoming-handler@0.2.0-draft#handle") (param i32) (result i32)
    (if (i32.eq (table.grow $first (ref.null func) (i32.const 80)) (i32.const -1)) (then unreachable))
    (if (i32.ne (table.grow $second (ref.null func) (i32.const 1)) (i32.const -1)) (then unreachable))
    i32.const 0))
