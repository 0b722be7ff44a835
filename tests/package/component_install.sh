#!/usr/bin/env bash
# Installs the broker component alone (cmake --install --component broker) and checks that it
# holds the broker's headers and library and none of the other components', then builds a
# broker-only consumer against it with find_package(wasmq COMPONENTS broker).
#   component_install.sh BUILD_DIR WORK_DIR SOURCE_DIR CXX GENERATOR
set -euo pipefail
build=$1 work=$2 source=$3 compiler=$4 generator=$5
rm -rf "$work"
prefix="$work/prefix"
cmake --install "$build" --component broker --prefix "$prefix" >/dev/null
for present in include/wasmq/broker.hpp include/wasmq/version.hpp include/wasmq/detail/visibility.hpp; do
  [[ -f "$prefix/$present" ]] || { echo "missing from the broker component: $present"; exit 1; }
done
for absent in include/wasi include/wasmq/host include/wasmq/testing include/wasmq/backends include/wasmq/wasm; do
  [[ ! -e "$prefix/$absent" ]] || { echo "the broker component installed $absent, another component's"; exit 1; }
done
compgen -G "$prefix/lib*/libwasmq_broker.*" >/dev/null || { echo "no libwasmq_broker in the broker component"; exit 1; }
! compgen -G "$prefix/lib*/libwasmq_[tnw]*" >/dev/null || { echo "another component's library was installed"; exit 1; }
mkdir -p "$work/consumer"
cat >"$work/consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(broker_only LANGUAGES CXX)
find_package(wasmq 0.1 CONFIG REQUIRED COMPONENTS broker)
if(TARGET wasmq::wasi_messaging)
  message(FATAL_ERROR "wasmq::wasi_messaging defined, but only the broker component is installed")
endif()
add_executable(broker_only main.cpp)
target_link_libraries(broker_only PRIVATE wasmq::broker)
CMAKE
cat >"$work/consumer/main.cpp" <<'CPP'
#include <wasmq/wasmq.hpp>
#include <cstdio>
int main() {
  wasmq::ManualRuntime runtime;
  wasmq::Broker broker(runtime);
  if (!broker.declare_queue("q") || !broker.publish({.topic = "q", .payload = wasmq::Payload::copy_of("x")})) return 1;
  std::puts("broker component alone: ok");
  return 0;
}
CPP
cmake -S "$work/consumer" -B "$work/consumer/build" -G "$generator" -DCMAKE_CXX_COMPILER="$compiler" \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer/build" >/dev/null
"$work/consumer/build/broker_only"
