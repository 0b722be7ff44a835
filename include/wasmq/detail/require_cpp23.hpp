#pragma once
/// wasmq's headers need C++23 (std::expected above all): say so, rather than fail in the first
/// use of std::expected.

#include <version>

#if !defined(__cpp_lib_expected) || __cpp_lib_expected < 202202L
#error \
    "wasmq needs C++23 (std::expected): compile with -std=c++23 (CMake: cxx_std_23), and a standard library that has <expected> (libstdc++ 12 or later, libc++ 16 or later)"
#endif
