;; Negative control: `handle` takes two parameters where the world's lowering has one (own<message>).
(module
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
  (func (export "wasi:messaging/incoming-handler@0.2.0-draft#handle") (param i32 i32) (result i32) i32.const 0))
