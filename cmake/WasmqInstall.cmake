# Install rules, the package config for find_package(wasmq), and a build-tree export so that
# add_subdirectory and build-tree users see the same wasmq:: targets.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(WASMQ_CONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/wasmq")

# Each component installs its library and its own headers (cmake --install --component <name>):
#   broker          libwasmq_broker, include/wasmq/*.hpp and detail/, the package config
#   wasi_messaging  libwasmq_wasi_messaging, include/wasi/, include/wasmq/host/, backends/inproc.hpp
#   testing, nats, wasm: see below.
set(WASMQ_INCLUDE "${PROJECT_SOURCE_DIR}/include")
set(WASMQ_LIBRARY_DESTINATIONS ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
                               RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS wasmq_broker EXPORT wasmqTargets COMPONENT broker ${WASMQ_LIBRARY_DESTINATIONS}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY "${WASMQ_INCLUDE}/wasmq/" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasmq COMPONENT broker
        FILES_MATCHING PATTERN "*.hpp" PATTERN "host" EXCLUDE PATTERN "backends" EXCLUDE PATTERN "testing" EXCLUDE
        PATTERN "wasm" EXCLUDE)
install(FILES "${PROJECT_BINARY_DIR}/generated/include/wasmq/version.hpp"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasmq COMPONENT broker)
install(EXPORT wasmqTargets NAMESPACE wasmq:: DESTINATION ${WASMQ_CONFIG_DIR} COMPONENT broker)

install(TARGETS wasmq_wasi_messaging EXPORT wasmqWasiMessagingTargets COMPONENT wasi_messaging
        ${WASMQ_LIBRARY_DESTINATIONS})
install(DIRECTORY "${WASMQ_INCLUDE}/wasi" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT wasi_messaging
        PATTERN ".clang-tidy" EXCLUDE)
install(DIRECTORY "${WASMQ_INCLUDE}/wasmq/host" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasmq COMPONENT wasi_messaging)
install(FILES "${WASMQ_INCLUDE}/wasmq/backends/inproc.hpp" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasmq/backends
        COMPONENT wasi_messaging)
install(EXPORT wasmqWasiMessagingTargets NAMESPACE wasmq:: DESTINATION ${WASMQ_CONFIG_DIR} COMPONENT wasi_messaging)
export(EXPORT wasmqWasiMessagingTargets NAMESPACE wasmq:: FILE "${PROJECT_BINARY_DIR}/wasmqWasiMessagingTargets.cmake")
# pkg-config (lib/pkgconfig/wasmq.pc), relocatable: its prefix is found from where the file is.
file(RELATIVE_PATH WASMQ_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" WASMQ_PC_TO_PREFIX "${WASMQ_PC_TO_PREFIX}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/wasmq.pc.in" "${PROJECT_BINARY_DIR}/generated/wasmq.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/generated/wasmq.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT wasi_messaging)
# The licence and the changelog travel with the package (share/doc/wasmq).
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" "${PROJECT_SOURCE_DIR}/CHANGELOG.md" DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT broker)
# The testing kit has an export set of its own: the package config loads it only where GoogleTest
# is found, so that users of the library alone need no GoogleTest.
if(TARGET wasmq_testing)
  install(TARGETS wasmq_testing EXPORT wasmqTestingTargets COMPONENT testing ${WASMQ_LIBRARY_DESTINATIONS})
  install(DIRECTORY "${WASMQ_INCLUDE}/wasmq/testing" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasmq COMPONENT testing)
  install(EXPORT wasmqTestingTargets NAMESPACE wasmq:: DESTINATION ${WASMQ_CONFIG_DIR} COMPONENT testing)
  export(EXPORT wasmqTestingTargets NAMESPACE wasmq:: FILE "${PROJECT_BINARY_DIR}/wasmqTestingTargets.cmake")
endif()

# The NATS backend likewise: loaded where the NATS C client is found (cnats::nats, defined by
# WasmqFindCnats.cmake, which is installed beside the config for that).
if(TARGET wasmq_nats)
  install(TARGETS wasmq_nats EXPORT wasmqNatsTargets COMPONENT nats ${WASMQ_LIBRARY_DESTINATIONS})
  install(FILES "${WASMQ_INCLUDE}/wasmq/backends/nats.hpp" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasmq/backends
          COMPONENT nats)
  install(EXPORT wasmqNatsTargets NAMESPACE wasmq:: DESTINATION ${WASMQ_CONFIG_DIR} COMPONENT nats)
  install(FILES "${PROJECT_SOURCE_DIR}/cmake/WasmqFindCnats.cmake" DESTINATION ${WASMQ_CONFIG_DIR} COMPONENT nats)
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
  install(TARGETS ${wasm_targets} EXPORT wasmqWasmTargets COMPONENT wasm ${WASMQ_LIBRARY_DESTINATIONS})
  install(DIRECTORY "${WASMQ_INCLUDE}/wasmq/wasm" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasmq COMPONENT wasm)
  install(EXPORT wasmqWasmTargets NAMESPACE wasmq:: DESTINATION ${WASMQ_CONFIG_DIR} COMPONENT wasm)
  export(EXPORT wasmqWasmTargets NAMESPACE wasmq:: FILE "${PROJECT_BINARY_DIR}/wasmqWasmTargets.cmake")
endif()
# The guest SDK and the guest-building functions go with the package config (component broker):
# the config includes them, and a guest project needs no host library.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/guest-sdk/include/" DESTINATION ${WASMQ_GUEST_SDK_INSTALL_DIR} COMPONENT broker)
install(FILES "${PROJECT_SOURCE_DIR}/include/wasmq/dead_letter_keys.hpp"
        DESTINATION "${WASMQ_GUEST_SDK_INSTALL_DIR}/wasmq" COMPONENT broker)
install(FILES "${PROJECT_SOURCE_DIR}/include/wasi/messaging/detail/value_types.hpp"
        DESTINATION "${WASMQ_GUEST_SDK_INSTALL_DIR}/wasi/messaging/detail" COMPONENT broker)
install(FILES "${PROJECT_SOURCE_DIR}/cmake/WasmqWasmGuests.cmake" "${PROJECT_SOURCE_DIR}/cmake/WasmqWasm2cGlue.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/wasm32-wasi-clang19.cmake"
        DESTINATION ${WASMQ_CONFIG_DIR} COMPONENT broker)

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/wasmqConfig.cmake.in"
                              "${PROJECT_BINARY_DIR}/wasmqConfig.cmake"
                              INSTALL_DESTINATION ${WASMQ_CONFIG_DIR}
                              PATH_VARS WASMQ_GUEST_SDK_INSTALL_DIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/wasmqConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/wasmqConfig.cmake" "${PROJECT_BINARY_DIR}/wasmqConfigVersion.cmake"
        DESTINATION ${WASMQ_CONFIG_DIR} COMPONENT broker)

export(EXPORT wasmqTargets NAMESPACE wasmq:: FILE "${PROJECT_BINARY_DIR}/wasmqTargets.cmake")
