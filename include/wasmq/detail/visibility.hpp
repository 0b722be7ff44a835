#pragma once
/// What a shared wasmq library exports: the declarations of its public headers, which sit between
/// WASMQ_PUBLIC_BEGIN and WASMQ_PUBLIC_END. The libraries' sources are compiled with hidden
/// visibility (CMake's CXX_VISIBILITY_PRESET), so that everything else stays inside them.

#if defined(__GNUC__) || defined(__clang__)
#define WASMQ_PUBLIC_BEGIN _Pragma("GCC visibility push(default)")
#define WASMQ_PUBLIC_END _Pragma("GCC visibility pop")
#else
#define WASMQ_PUBLIC_BEGIN
#define WASMQ_PUBLIC_END
#endif
