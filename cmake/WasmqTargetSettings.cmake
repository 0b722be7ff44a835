# Per-target settings: warnings and sanitizers are applied to wasmq's own targets only, never
# globally, so that a parent project's flags stay its own.

function(wasmq_target_settings target)
  target_compile_features(${target} PUBLIC cxx_std_23)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    set(warnings -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
                 -Werror=return-type
                 # Options structs are meant for designated initializers; g++ 12 warns on every
                 # field left to its default.
                 -Wno-missing-field-initializers)
    # C++ only: a target may also hold C (wasm2c's runtime), which these would not suit.
    target_compile_options(${target} PRIVATE "$<$<COMPILE_LANGUAGE:CXX>:${warnings}>")
  endif()
  wasmq_target_sanitizers(${target})
endfunction()

function(wasmq_target_sanitizers target)
  if(WASMQ_SANITIZE STREQUAL "")
    return()
  endif()
  set(flags -fsanitize=${WASMQ_SANITIZE} -fno-omit-frame-pointer -g)
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
