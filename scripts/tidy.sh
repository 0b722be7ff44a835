#!/usr/bin/env bash
# Runs clang-tidy-19 over the library sources with the compile commands of a configured preset
# (default: release). Advisory: prints findings, exits non-zero if there are any.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
cmake --preset "$preset" >/dev/null
# Guest entry files (examples/guests/wasm/) are built for wasm32 by custom commands: no compile
# commands of the host's to check them with.
mapfile -t files < <(git ls-files 'src/*.cpp' 'examples/*.cpp' ':!examples/guests/wasm/*')
clang-tidy-19 -p "build/$preset" --quiet "${files[@]}"
