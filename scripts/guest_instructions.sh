#!/usr/bin/env bash
# Instructions per round trip of the guest benchmark (bench/wasm_bench.cpp, BM_GuestRoundTrip: a
# delivery handled by bench/guests/echo_guest.hpp, which sends one message on), for the native
# guest and the wasm2c guest built from the same source, counted by callgrind. Nearly deterministic:
# the benchmark picks its round trips by time, so the setup's share moves a count by a few
# instructions between runs of the same build. Prints, e.g.
#   native C++: 4,420 instructions per round trip (97,247,733 over 22,000)
#   wasm2c:     9,590 instructions per round trip (95,902,262 over 10,000)
# With CALLGRIND_DIR set, keeps callgrind's files there (guest-native.out, guest-wasm2c.out) for
# callgrind_annotate, which breaks each count down by function.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target wasmq_bench >/dev/null
source scripts/callgrind_files.sh
count() {  # $1: the benchmark's argument (0 native, 1 wasm2c); $2: the label; $3: the file's name
  local out="$callgrind_dir/guest-$3.out"
  valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*BM_GuestRoundTrip*' \
    build/release/bench/wasmq_bench --benchmark_filter="BM_GuestRoundTrip/guest:$1\$" \
    --benchmark_min_time=0.2 >/dev/null 2>&1
  local total round_trips
  total=$(callgrind_total "$out")
  # One hand-over to the guest per round trip: the number of calls callgrind saw.
  round_trips=$(callgrind_annotate --tree=caller "$out" 2>/dev/null |
    sed -nE 's/.*< .*HandOver\(.*\(([0-9,]+)x\).*/\1/p' | head -1 | tr -d ,)
  python3 -c "
total, trips = $total, $round_trips
print(f'$2 {total / trips:,.0f} instructions per round trip ({total:,} over {trips:,})')"
}
count 0 "native C++:" native
count 1 "wasm2c:    " wasm2c
