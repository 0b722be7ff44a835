#!/usr/bin/env bash
# The whole test suite: formatting check, then build and ctest in the release, ThreadSanitizer,
# AddressSanitizer+UBSan and fuzz (libFuzzer targets, each for a bounded number of inputs)
# presets. Pass preset names to run only those, e.g. `scripts/test-all.sh tsan`.
set -euo pipefail
cd "$(dirname "$0")/.."

presets=("$@")
((${#presets[@]})) || presets=(release tsan asan fuzz)

scripts/check-format.sh

for preset in "${presets[@]}"; do
  echo "=== ${preset}: configure, build, test"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset"
done
echo "=== all presets passed: ${presets[*]}"
