# Install rules, the package config for find_package(wasmq), and a build-tree export so that
# add_subdirectory and build-tree users see the same wasmq:: targets.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(WASMQ_CONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/wasmq")

install(TARGETS wasmq_broker wasmq_wasi_messaging EXPORT wasmqTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/wasmq" "${PROJECT_SOURCE_DIR}/include/wasi"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} PATTERN ".clang-tidy" EXCLUDE)
install(EXPORT wasmqTargets NAMESPACE wasmq:: DESTINATION ${WASMQ_CONFIG_DIR})
install(FILES "${PROJECT_BINARY_DIR}/generated/include/wasmq/version.hpp"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasmq)
# pkg-config (lib/pkgconfig/wasmq.pc), relocatable: its prefix is found from where the file is.
file(RELATIVE_PATH WASMQ_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" WASMQ_PC_TO_PREFIX "${WASMQ_PC_TO_PREFIX}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/wasmq.pc.in" "${PROJECT_BINARY_DIR}/generated/wasmq.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/generated/wasmq.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
# The licence and the changelog travel with the package (share/doc/wasmq).
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" "${PROJECT_SOURCE_DIR}/CHANGELOG.md" DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The testing kit has an export set of its own: the package config loads it only where GoogleTest
# is found, so that users of the library alone need no GoogleTest.
if(TARGET wasmq_testing)
  install(TARGETS wasmq_testing EXPORT wasmqTestingTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT wasmqTestingTargets NAMESPACE wasmq:: DESTINATION ${WASMQ_CONFIG_DIR})
  export(EXPORT wasmqTestingTargets NAMESPACE wasmq:: FILE "${PROJECT_BINARY_DIR}/wasmqTestingTargets.cmake")
endif()

# The NATS backend likewise: loaded where the NATS C client is found (cnats::nats, defined by
# WasmqFindCnats.cmake, which is installed beside the config for that).
if(TARGET wasmq_nats)
  install(TARGETS wasmq_nats EXPORT wasmqNatsTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT wasmqNatsTargets NAMESPACE wasmq:: DESTINATION ${WASMQ_CONFIG_DIR})
  install(FILES "${PROJECT_SOURCE_DIR}/cmake/WasmqFindCnats.cmake" DESTINATION ${WASMQ_CONFIG_DIR})
  export(EXPORT wasmqNatsTargets NAMESPACE wasmq:: FILE "${PROJECT_BINARY_DIR}/wasmqNatsTargets.cmake")
endif()

# WebAssembly guests: the runtimes and the step budget (loaded where wabt is found), the guest
# SDK (header-only, for wasm32: share/wasmq/guest-sdk/include) and the CMake functions that build
# guests and link them into a host (WasmqWasmGuests.cmake), with the toolchain file for guest
# projects of their own (wasm32-wasi-clang19.cmake).
set(WASMQ_GUEST_SDK_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/wasmq/guest-sdk/include")
if(TARGET wasmq_wasm)
  set(wasm_targets wasmq_wasm)
  foreach(target wasmq_wasm2c wasmq_wasm_meter_lib wasmq_wasm_interp wasmq_wasm_meter)
    if(TARGET ${target})
      list(APPEND wasm_targets ${target})
    endif()
  endforeach()
  install(TARGETS ${wasm_targets} EXPORT wasmqWasmTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(EXPORT wasmqWasmTargets NAMESPACE wasmq:: DESTINATION ${WASMQ_CONFIG_DIR})
  export(EXPORT wasmqWasmTargets NAMESPACE wasmq:: FILE "${PROJECT_BINARY_DIR}/wasmqWasmTargets.cmake")
endif()
install(DIRECTORY "${PROJECT_SOURCE_DIR}/guest-sdk/include/" DESTINATION ${WASMQ_GUEST_SDK_INSTALL_DIR})
install(FILES "${PROJECT_SOURCE_DIR}/include/wasmq/dead_letter_keys.hpp"
        DESTINATION "${WASMQ_GUEST_SDK_INSTALL_DIR}/wasmq")
install(FILES "${PROJECT_SOURCE_DIR}/include/wasi/messaging/detail/value_types.hpp"
        DESTINATION "${WASMQ_GUEST_SDK_INSTALL_DIR}/wasi/messaging/detail")
install(FILES "${PROJECT_SOURCE_DIR}/cmake/WasmqWasmGuests.cmake" "${PROJECT_SOURCE_DIR}/cmake/WasmqWasm2cGlue.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/wasm32-wasi-clang19.cmake"
        DESTINATION ${WASMQ_CONFIG_DIR})

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/wasmqConfig.cmake.in"
                              "${PROJECT_BINARY_DIR}/wasmqConfig.cmake"
                              INSTALL_DESTINATION ${WASMQ_CONFIG_DIR}
                              PATH_VARS WASMQ_GUEST_SDK_INSTALL_DIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/wasmqConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/wasmqConfig.cmake" "${PROJECT_BINARY_DIR}/wasmqConfigVersion.cmake"
        DESTINATION ${WASMQ_CONFIG_DIR})

export(EXPORT wasmqTargets NAMESPACE wasmq:: FILE "${PROJECT_BINARY_DIR}/wasmqTargets.cmake")
