#!/usr/bin/env bash
# Builds the package consumer (consumer/main.cpp: the broker and the facade) against an installed
# wasmq with nothing but pkg-config, then runs it.
#   pkg_config_consumer.sh PREFIX LIBDIR CXX OUTPUT
set -euo pipefail
prefix=$1 libdir=$2 compiler=$3 output=$4
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
version=$(pkg-config --modversion wasmq)
mapfile -t flags < <(pkg-config --cflags --libs wasmq | tr ' ' '\n' | grep -v '^$')
"$compiler" -std=c++23 "$(dirname "$0")/consumer/main.cpp" "${flags[@]}" -o "$output"
"$output" | tee /dev/stderr | grep -q "wasmq $version package consumer: ok"
