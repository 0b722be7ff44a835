#!/usr/bin/env bash
# Builds the fuzz preset and runs every libFuzzer target for longer than ctest does.
#   scripts/fuzz.sh [runs-per-target]        (default 1000000)
# Each target starts from its checked-in corpus (fuzz/corpus/<target>); what it finds goes to
# build/fuzz/fuzz/found/<target>. A failing input is left as crash-* in build/fuzz/fuzz/ and the
# script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
root=$PWD
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
cd build/fuzz/fuzz
status=0
for target in name_fuzz metadata_fuzz guest_instance_fuzz cloudevents_fuzz canonical_abi_fuzz meter_fuzz advisory_fuzz nats_headers_fuzz; do
  [[ -x $target ]] || { echo "fuzz.sh: $target was not built (no NATS client?)"; continue; }
  mkdir -p "found/$target"
  start=$SECONDS
  if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "./$target" -runs="$runs" -max_len=4096 -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
      "found/$target" "$root/fuzz/corpus/$target" >"$target.log" 2>&1; then
    executed=$(grep -a -o 'number_of_executed_units: [0-9]*' "$target.log" | grep -o '[0-9]*$')
    echo "$target: $executed inputs in $((SECONDS - start)) s, no finding"
  else
    echo "$target: FAILED after $((SECONDS - start)) s (build/fuzz/fuzz/$target.log; input: crash-*)"
    grep -a -E 'ERROR|SUMMARY|nats_headers_fuzz:' "$target.log" | head -5
    status=1
  fi
done
exit $status
