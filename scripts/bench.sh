#!/usr/bin/env bash
# Builds and runs the benchmarks — the median of repeated runs of each, with the baselines in the
# same binary and run, repetitions interleaved at random so that a slow spell of the machine
# does not land on one benchmark alone — and writes docs/benchmarks.md (tables of figures and ratios) and
# docs/benchmarks.svg (a chart). Extra arguments go to the benchmark binary, e.g.
#   scripts/bench.sh --benchmark_filter=P2P
# REPETITIONS (default 5) and MIN_TIME (seconds per repetition, default 0.3) tune the run.
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
python3 scripts/bench_report.py "$results" docs/benchmarks.md docs/benchmarks.svg bench/notes.md \
  "scripts/bench.sh${*:+ $*}"
