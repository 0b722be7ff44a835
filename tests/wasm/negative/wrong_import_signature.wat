;; Negative control: message.topic imported without its return-area parameter.
(module
  (import "wasi:messaging/types@0.2.0-draft" "[method]message.topic" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
  (func (export "wasi:messaging/incoming-handler@0.2.0-draft#handle") (param i32) (result i32) i32.const 0))
