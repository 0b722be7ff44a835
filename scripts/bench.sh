#!/usr/bin/env bash
# Builds and runs the benchmarks — the median of repeated runs of each, with the baselines in the
# same binary and run, repetitions interleaved at random so that a slow spell of the machine
# does not land on one benchmark alone — and writes docs/benchmarks.md (tables of figures and ratios) and
# docs/benchmarks.svg (a chart). Extra arguments go to the benchmark binary, e.g.
#   scripts/bench.sh --benchmark_filter=P2P
# REPETITIONS (default 5), MIN_TIME (seconds per repetition, default 0.3) and PAIRS (paired runs
# per headline ratio, default 7; scripts/bench_pairs.py) tune the run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target bench
# Instructions per message first (callgrind, deterministic), for the report.
export INSTRUCTIONS_FILE=build/release/bench/instructions.txt
scripts/instructions.sh | tee "$INSTRUCTIONS_FILE"
results=build/release/bench/results.json
./build/release/bench/wasmq_bench \
  --benchmark_repetitions="${REPETITIONS:-5}" --benchmark_report_aggregates_only=true \
  --benchmark_enable_random_interleaving=true \
  --benchmark_min_time="${MIN_TIME:-0.3}" \
  --benchmark_out="$results" --benchmark_out_format=json "$@"
# The headline ratios again, each from pairs of back-to-back runs (robust to the VM's slow spells).
export PAIRS_FILE=build/release/bench/pairs.json
python3 scripts/bench_pairs.py build/release/bench/wasmq_bench "$PAIRS_FILE" "${PAIRS:-7}"
python3 scripts/bench_report.py "$results" docs/benchmarks.md docs/benchmarks.svg bench/notes.md \
  "scripts/bench.sh${*:+ $*}"
