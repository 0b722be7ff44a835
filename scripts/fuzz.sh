#!/usr/bin/env bash
# Builds the fuzz preset and runs every libFuzzer target for longer than ctest does.
#   scripts/fuzz.sh [runs-per-target]        (default 1000000)
# Each target starts from its checked-in corpus (fuzz/corpus/<target>); what it finds goes to
# build/fuzz/fuzz/found/<target>. A crash leaves its input as crash-* in the current directory.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
for target in name_fuzz metadata_fuzz guest_instance_fuzz advisory_fuzz nats_headers_fuzz; do
  binary=build/fuzz/fuzz/$target
  [[ -x $binary ]] || { echo "fuzz.sh: $target was not built (no NATS client?)"; continue; }
  echo "=== $target: $runs runs"
  start=$SECONDS
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$binary" -runs="$runs" -max_len=4096 -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    "build/fuzz/fuzz/found/$target" "fuzz/corpus/$target" 2>&1 | grep -E "^(stat::number_of_executed_units|Done|==[0-9]+==ERROR)|SUMMARY" || true
  echo "    $((SECONDS - start)) s"
done
