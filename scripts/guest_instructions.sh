#!/usr/bin/env bash
# Instructions per round trip of the guest benchmark (bench/wasm_bench.cpp, BM_GuestRoundTrip: a
# delivery handled by bench/guests/echo_guest.hpp, which sends one message on), for the native
# guest and the wasm2c guest built from the same source, counted by callgrind. Deterministic: the
# same build gives the same counts. Prints, e.g.
#   native C++: 4,421 instructions per round trip (92,841,006 over 21,000)
#   wasm2c:     9,590 instructions per round trip (95,902,278 over 10,000)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target wasmq_bench >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
count() {  # $1: the benchmark's argument (0 native, 1 wasm2c); $2: the label
  valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*BM_GuestRoundTrip*' \
    build/release/bench/wasmq_bench --benchmark_filter="BM_GuestRoundTrip/guest:$1\$" \
    --benchmark_min_time=0.2 >/dev/null 2>&1
  local total round_trips
  total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  # One hand-over to the guest per round trip: the number of calls callgrind saw.
  round_trips=$(callgrind_annotate --tree=caller "$out" 2>/dev/null |
    sed -nE 's/.*< .*HandOver\(.*\(([0-9,]+)x\).*/\1/p' | head -1 | tr -d ,)
  python3 -c "
total, trips = $total, $round_trips
print(f'$2 {total / trips:,.0f} instructions per round trip ({total:,} over {trips:,})')"
}
count 0 "native C++:"
count 1 "wasm2c:    "
