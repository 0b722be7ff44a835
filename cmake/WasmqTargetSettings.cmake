# Per-target settings: warnings and sanitizers are applied to wasmq's own targets only, never
# globally, so that a parent project's flags stay its own.

function(wasmq_target_settings target)
  target_compile_features(${target} PUBLIC cxx_std_23)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    set(warnings -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
                 -Werror=return-type)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      # g++ 12 reports `"literal" + std::string` as an overlapping memcpy (GCC bug 105329).
      list(APPEND warnings -Wno-restrict)
    endif()
    if(WASMQ_WARNINGS_AS_ERRORS)
      list(APPEND warnings -Werror)
    endif()
    # C++ only: a target may also hold C (wasm2c's runtime), which these would not suit.
    target_compile_options(${target} PRIVATE "$<$<COMPILE_LANGUAGE:CXX>:${warnings}>")
  endif()
  wasmq_target_sanitizers(${target})
endfunction()

# A wasmq library: static or shared as BUILD_SHARED_LIBS says, position-independent either way
# (a static wasmq can then go into a plugin or a Python module), and, when shared, exporting only
# what its public headers declare (WASMQ_PUBLIC_BEGIN/END in include/; the sources are hidden).
function(wasmq_library_settings target)
  wasmq_target_settings(${target})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON CXX_VISIBILITY_PRESET hidden
                                             VERSION ${PROJECT_VERSION}
                                             SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
endfunction()

function(wasmq_target_sanitizers target)
  if(WASMQ_SANITIZE STREQUAL "")
    return()
  endif()
  # Line tables (-g1), not full debug info, outside Debug builds: a sanitizer's report needs file,
  # line and function of each frame, nothing more, and full -g made objects 4x larger and the
  # sanitizer presets' builds a third slower.
  set(flags -fsanitize=${WASMQ_SANITIZE} -fno-omit-frame-pointer $<IF:$<CONFIG:Debug>,-g,-g1>)
  if(WASMQ_SANITIZE MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # g++ warns that TSan ignores std::atomic_thread_fence, once per use inside moodycamel's
    # queue; tests/tsan.supp explains and suppresses the resulting reports.
    list(APPEND flags -Wno-tsan)
  endif()
  if(WASMQ_SANITIZE MATCHES "undefined")
    list(APPEND flags -fno-sanitize-recover=undefined)
  endif()
  target_compile_options(${target} PRIVATE ${flags})
  target_link_options(${target} PUBLIC -fsanitize=${WASMQ_SANITIZE})
endfunction()
