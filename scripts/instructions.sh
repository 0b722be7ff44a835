#!/usr/bin/env bash
# Instructions per message of the one-thread lifecycle (publish → receive → accept, 16 B,
# ManualRuntime, pull receiver), counted by callgrind over bench/lifecycle_instructions.cpp after
# a warm-up. Deterministic: the same build gives the same count. Prints one line, e.g.
#   instructions per message: 612 (1,254,400,000 over 102,400 messages)
# Also used by scripts/bench_report.py (INSTRUCTIONS_FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target wasmq_lifecycle_instructions >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
messages=$(valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*measured_round*' \
  build/release/bench/wasmq_lifecycle_instructions "${ROUNDS:-100}" 2>/dev/null | awk '/^messages/ {print $2}')
total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
python3 -c "
total, messages = $total, $messages
print(f'instructions per message: {total / messages:.0f} ({total:,} over {messages:,} messages)')"
