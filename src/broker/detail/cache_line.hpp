#pragma once

#include <cstddef>

namespace wasmq::detail {

// 64 on every x86-64 and most ARM64 parts; std::hardware_destructive_interference_size is not
// used because g++ warns that its value may change between compiler versions (an ABI hazard).
inline constexpr std::size_t cache_line = 64;

}  // namespace wasmq::detail
