# A CMake toolchain file for wasi:messaging guests of one's own project, on Debian 12's clang-19,
# wasm-ld-19, wasi-libc and wasm32 libc++:
#   cmake -S guest -B build-guest --toolchain <prefix>/lib/cmake/wasmq/wasm32-wasi-clang19.cmake \
#         -DWASMQ_GUEST_SDK=<prefix>/share/wasmq/guest-sdk/include
# Every executable is then a reactor module, <name>.wasm, that imports only what it uses. The
# guest SDK's include directory is added to every target. (Inside a host's own build, where the
# host's compiler is not clang for wasm32, use wasmq_add_wasm_guest() instead.)
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
find_program(WASMQ_TOOLCHAIN_CC NAMES clang-19 REQUIRED)
find_program(WASMQ_TOOLCHAIN_CXX NAMES clang++-19 REQUIRED)
set(CMAKE_C_COMPILER "${WASMQ_TOOLCHAIN_CC}")
set(CMAKE_CXX_COMPILER "${WASMQ_TOOLCHAIN_CXX}")
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)  # Debian's wasi-libc: not wasm32-wasip1
set(CMAKE_CXX_COMPILER_TARGET wasm32-wasi)
# wasm32 libc++ has no exception runtime; RTTI would pull in WASI imports. Bulk memory: copies
# and fills become memory.copy and memory.fill (see WasmqWasmGuests.cmake).
set(CMAKE_C_FLAGS_INIT "-mbulk-memory")
set(CMAKE_CXX_FLAGS_INIT "-fno-exceptions -fno-rtti -mbulk-memory")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-mexec-model=reactor -Wl,--stack-first -Wl,--strip-debug")
set(CMAKE_EXECUTABLE_SUFFIX_C ".wasm")  # the per-language names: Generic resets the plain one
set(CMAKE_EXECUTABLE_SUFFIX_CXX ".wasm")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
if(WASMQ_GUEST_SDK)
  include_directories(SYSTEM "${WASMQ_GUEST_SDK}")
endif()
