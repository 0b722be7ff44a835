#pragma once
// For programs counted by callgrind with --toggle-collect=<function>: a function marked
// WASMQ_OUT_OF_LINE stays a function of its own, so that callgrind counts what runs inside it
// alone. g++'s noipa also keeps interprocedural analysis from merging two such functions with the
// same body; clang has noinline alone.
#if defined(__clang__)
#define WASMQ_OUT_OF_LINE [[gnu::noinline]]
#else
#define WASMQ_OUT_OF_LINE [[gnu::noipa]]
#endif
