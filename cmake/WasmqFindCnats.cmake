# Finds the NATS C client (Debian's libnats-dev) and defines the imported target cnats::nats.
# Debian 12's own cnats-config.cmake cannot be used: it names a libnats_static.a that the package
# does not ship, so find_package(cnats) fails with an error. The header and the shared library
# are found directly instead. Sets WASMQ_CNATS_FOUND.
if(TARGET cnats::nats)
  set(WASMQ_CNATS_FOUND TRUE)
  return()
endif()
find_path(WASMQ_CNATS_INCLUDE_DIR nats/nats.h DOC "Directory holding the NATS C client's nats/ headers")
find_library(WASMQ_CNATS_LIBRARY nats DOC "The NATS C client library")
if(WASMQ_CNATS_INCLUDE_DIR AND WASMQ_CNATS_LIBRARY)
  add_library(cnats::nats UNKNOWN IMPORTED)
  set_target_properties(cnats::nats PROPERTIES IMPORTED_LOCATION "${WASMQ_CNATS_LIBRARY}"
                                               INTERFACE_INCLUDE_DIRECTORIES "${WASMQ_CNATS_INCLUDE_DIR}")
  set(WASMQ_CNATS_FOUND TRUE)
else()
  set(WASMQ_CNATS_FOUND FALSE)
endif()
