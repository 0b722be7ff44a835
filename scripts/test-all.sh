#!/usr/bin/env bash
# The whole test suite: formatting check, then build and ctest in the release (g++),
# ThreadSanitizer (g++) and AddressSanitizer+UBSan presets (clang-19: the second compiler builds
# and runs every test there, and the libFuzzer targets, each for a bounded number of inputs), then
# clang-tidy over the sources (scripts/tidy.sh, with the asan preset's clang compile commands).
# Every preset fails on a compiler warning; a formatting or tidy finding fails the suite. Pass
# preset names to run only those (and no tidy), e.g. `scripts/test-all.sh tsan` or
# `scripts/test-all.sh clang` (clang-19 without sanitizers).
set -euo pipefail
cd "$(dirname "$0")/.."

presets=("$@")
run_tidy=0
if ((${#presets[@]} == 0)); then
  presets=(release tsan asan)
  run_tidy=1
fi

scripts/check-format.sh

for preset in "${presets[@]}"; do
  echo "=== ${preset}: configure, build, test"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset"
done
if ((run_tidy)); then
  echo "=== clang-tidy"
  scripts/tidy.sh asan
fi
echo "=== all passed: ${presets[*]}$( ((run_tidy)) && echo ", clang-tidy")"
