;; A handler that grows its one table, declared with 10 elements and no maximum, by 90: it traps
;; if the grow fails. Loaded with max_table_elements 100 it is accepted, with 99 it traps, and
;; with 9 it is not loaded (wasm_guest_test.cpp).
(module
  (memory (export "memory") 1)
  (table 10 funcref)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
  (func (export "wasi:messaging/incoming-handler@0.2.0-draft#handle") (param i32) (result i32)
    (if (i32.eq (table.grow 0 (ref.null func) (i32.const 90)) (i32.const -1)) (then unreachable))
    ;; the result area at address 0, all zero: ok
    i32.const 0))
