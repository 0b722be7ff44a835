#!/usr/bin/env bash
# The whole test suite: formatting check, then build and ctest in the release, ThreadSanitizer,
# AddressSanitizer+UBSan, clang-19 and fuzz (libFuzzer targets, each for a bounded number of
# inputs) presets, then clang-tidy over the sources (scripts/tidy.sh, with the clang preset's
# compile commands). Every preset fails on a compiler warning; a formatting or tidy finding fails
# the suite. Pass preset names to run only those (and no tidy), e.g. `scripts/test-all.sh tsan`.
set -euo pipefail
cd "$(dirname "$0")/.."

presets=("$@")
run_tidy=0
if ((${#presets[@]} == 0)); then
  presets=(release tsan asan clang fuzz)
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
  scripts/tidy.sh clang
fi
echo "=== all passed: ${presets[*]}$( ((run_tidy)) && echo ", clang-tidy")"
