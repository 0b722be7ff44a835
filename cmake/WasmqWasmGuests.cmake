# Building wasi:messaging guests to WebAssembly, and WebAssembly guests into a host with wasm2c.
#
#   wasmq_add_wasm_guest(<name> SOURCES <files...> [INCLUDE_DIRECTORIES <dirs...>]
#                        [COMPILE_OPTIONS <options...>] [METERED])
#     Compiles C or C++ sources with Debian's clang-19 for wasm32-wasi (a reactor, no exceptions,
#     no RTTI) against the guest SDK, and links <name>.wasm into ${CMAKE_CURRENT_BINARY_DIR}/wasm.
#     Target <name>_wasm builds it; its property WASMQ_WASM_FILE holds the path. METERED adds a
#     step budget (an exported global, wasmq_fuel, counted down at every loop and call) so that a
#     host can stop a guest that loops forever; the module from before metering stays beside it as
#     <name>.unmetered.wasm. Property WASMQ_WASM_UNMETERED_FILE holds the module without metering
#     (the same file as WASMQ_WASM_FILE without METERED): what the interpreter loads, since it
#     meters what it loads and refuses a module metered already.
#
#   wasmq_add_wasm2c_guest(<target> MODULE <file.wasm> NAME <c-name> [DEPENDS <targets...>])
#     Translates the module to C with wasm2c and builds static library <target> holding it and
#     `const wasmq_wasm2c_module* wasmq_wasm2c_<c-name>(void)` for wasmq::wasm::MakeWasm2cGuest.
#
# Needs: clang-19, lld-19 (wasm-ld-19), wasi-libc, libc++-19-dev-wasm32, libc++abi-19-dev-wasm32,
# and wabt (wasm2c).
include_guard(GLOBAL)

find_program(WASMQ_WASM_CC NAMES clang-19 DOC "clang for wasm32-wasi guests")
find_program(WASMQ_WASM_CXX NAMES clang++-19 DOC "clang++ for wasm32-wasi guests")
find_program(WASMQ_WASM2C NAMES wasm2c DOC "wabt's wasm2c")
find_program(WASMQ_WASM_LD NAMES wasm-ld-19 wasm-ld DOC "the wasm linker clang-19 calls")
find_path(WASMQ_WASI_SYSROOT_INCLUDE stdlib.h PATHS /usr/include/wasm32-wasi NO_DEFAULT_PATH
          DOC "wasi-libc's headers (Debian: wasi-libc)")
find_path(WASMQ_WASM_LIBCXX_INCLUDE __config_site PATHS /usr/lib/llvm-19/include/wasm32-wasi/c++/v1
          NO_DEFAULT_PATH DOC "libc++ for wasm32 (Debian: libc++-19-dev-wasm32)")
# Cached (as the result below): the functions run in their caller's scope, which may be a parent
# project of wasmq's (add_subdirectory).
set(WASMQ_WASM_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "Where WasmqWasm2cGlue.cmake is")

# Whether guests can be built here (the tools and the wasm32 sysroot are all present).
if(WASMQ_WASM_CC AND WASMQ_WASM_CXX AND WASMQ_WASM2C AND WASMQ_WASM_LD AND WASMQ_WASI_SYSROOT_INCLUDE
   AND WASMQ_WASM_LIBCXX_INCLUDE)
  set(WASMQ_WASM_GUESTS_FOUND TRUE CACHE INTERNAL "clang-19, wasm-ld, wasm2c and the wasm32 sysroot are here")
else()
  set(WASMQ_WASM_GUESTS_FOUND FALSE CACHE INTERNAL "clang-19, wasm-ld, wasm2c and the wasm32 sysroot are here")
endif()

# Flags for every guest source (CACHE INTERNAL: the functions run in their caller's scope); a
# guest is linked as a reactor (no main: the host calls its exports). -mbulk-memory: the guest's
# copies and fills (std::string, std::vector, memcpy) become memory.copy and memory.fill, which
# wasm2c runs as the host's memmove and memset and the meter charges by length, instead of
# wasi-libc's byte and word loops compiled to wasm.
set(WASMQ_WASM_GUEST_FLAGS --target=wasm32-wasi -O2 -mbulk-memory -Wall -Wextra -Werror
    CACHE INTERNAL "Flags of wasm32 guests")

function(wasmq_add_wasm_guest name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "METERED" "" "SOURCES;INCLUDE_DIRECTORIES;COMPILE_OPTIONS")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "wasmq_add_wasm_guest(${name}): no SOURCES")
  endif()
  if(NOT WASMQ_GUEST_SDK_INCLUDE_DIRS)
    message(FATAL_ERROR "wasmq_add_wasm_guest(${name}): WASMQ_GUEST_SDK_INCLUDE_DIRS is not set")
  endif()
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/wasm")
  set(obj_dir "${out_dir}/${name}.objects")
  file(MAKE_DIRECTORY "${obj_dir}")
  set(includes)
  foreach(dir IN LISTS ARG_INCLUDE_DIRECTORIES WASMQ_GUEST_SDK_INCLUDE_DIRS)
    list(APPEND includes "-I${dir}")
  endforeach()
  set(objects)
  set(linker "${WASMQ_WASM_CC}")
  set(index 0)
  foreach(source IN LISTS ARG_SOURCES)
    get_filename_component(source "${source}" ABSOLUTE)
    get_filename_component(stem "${source}" NAME)
    math(EXPR index "${index} + 1")
    set(object "${obj_dir}/${index}-${stem}.o")  # numbered: two sources may share a name
    if(source MATCHES "\\.(cpp|cc|cxx)$")
      set(compiler "${WASMQ_WASM_CXX}")
      set(language_flags -std=c++23 -fno-exceptions -fno-rtti)
      set(linker "${WASMQ_WASM_CXX}")
    else()
      set(compiler "${WASMQ_WASM_CC}")
      set(language_flags -std=c17)
    endif()
    file(RELATIVE_PATH shown "${CMAKE_BINARY_DIR}" "${object}")
    add_custom_command(
      OUTPUT "${object}"
      COMMAND "${compiler}" ${WASMQ_WASM_GUEST_FLAGS} ${language_flags} ${ARG_COMPILE_OPTIONS} ${includes}
              -MD -MF "${object}.d" -c "${source}" -o "${object}"
      DEPENDS "${source}"
      DEPFILE "${object}.d"
      COMMENT "Building wasm32 object ${shown}"
      COMMAND_EXPAND_LISTS VERBATIM)
    list(APPEND objects "${object}")
  endforeach()
  set(linked "${out_dir}/${name}.wasm")
  if(ARG_METERED)
    set(linked "${out_dir}/${name}.unmetered.wasm")
  endif()
  add_custom_command(
    OUTPUT "${linked}"
    # --stack-first: the C stack sits below the data, so an overflow traps (out of bounds)
    # instead of running into the guest's globals.
    COMMAND "${linker}" ${WASMQ_WASM_GUEST_FLAGS} -mexec-model=reactor -Wl,--stack-first -Wl,--strip-debug -o "${linked}" ${objects}
    DEPENDS ${objects}
    COMMENT "Linking wasm32 guest ${name}.wasm"
    COMMAND_EXPAND_LISTS VERBATIM)
  if(ARG_METERED)
    if(NOT TARGET wasmq::wasm_meter)
      message(FATAL_ERROR "wasmq_add_wasm_guest(${name} METERED): no wasmq::wasm_meter tool")
    endif()
    add_custom_command(
      OUTPUT "${out_dir}/${name}.wasm"
      COMMAND wasmq::wasm_meter "${linked}" "${out_dir}/${name}.wasm"
      DEPENDS "${linked}" wasmq::wasm_meter
      COMMENT "Metering wasm32 guest ${name}.wasm"
      VERBATIM)
  endif()
  add_custom_target(${name}_wasm ALL DEPENDS "${out_dir}/${name}.wasm")
  set_target_properties(${name}_wasm PROPERTIES WASMQ_WASM_FILE "${out_dir}/${name}.wasm"
                                                WASMQ_WASM_UNMETERED_FILE "${linked}")
endfunction()

function(wasmq_add_wasm2c_guest target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "MODULE;NAME" "DEPENDS")
  if(NOT ARG_NAME MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR "wasmq_add_wasm2c_guest(${target}): NAME '${ARG_NAME}' must be lower-case [a-z0-9_]")
  endif()
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/wasm2c")
  file(MAKE_DIRECTORY "${out_dir}")
  set(c_file "${out_dir}/${ARG_NAME}.c")
  set(h_file "${out_dir}/${ARG_NAME}.h")
  set(glue "${out_dir}/${ARG_NAME}_glue.c")
  add_custom_command(
    OUTPUT "${c_file}" "${h_file}"
    COMMAND "${WASMQ_WASM2C}" "${ARG_MODULE}" -n "${ARG_NAME}" -o "${c_file}"
    DEPENDS "${ARG_MODULE}" ${ARG_DEPENDS}
    COMMENT "wasm2c ${ARG_NAME}"
    VERBATIM)
  add_custom_command(
    OUTPUT "${glue}"
    COMMAND "${CMAKE_COMMAND}" "-DNAME=${ARG_NAME}" "-DHEADER=${h_file}" "-DOUTPUT=${glue}" -P
            "${WASMQ_WASM_CMAKE_DIR}/WasmqWasm2cGlue.cmake"
    DEPENDS "${h_file}" "${WASMQ_WASM_CMAKE_DIR}/WasmqWasm2cGlue.cmake"
    COMMENT "wasmq glue for ${ARG_NAME}"
    VERBATIM)
  add_library(${target} STATIC "${c_file}" "${glue}")
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)  # as the runtime is
  target_include_directories(${target} PRIVATE "${out_dir}")
  # Generated C: its warnings are wasm2c's, and it is always optimized (a debug build of the
  # host should not make its guests ten times slower).
  target_compile_options(${target} PRIVATE -w -O2)
  target_link_libraries(${target} PUBLIC wasmq::wasm2c)
endfunction()
