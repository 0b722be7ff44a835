#!/usr/bin/env bash
# Instructions per message through the WASI facade beside the broker core, on one thread
# (bench/facade_instructions.cpp: 16 B published to a queue and accepted by a push consumer, a
# ManualRuntime, after a warm-up), counted by callgrind. Deterministic: the same build gives the
# same counts. The difference is what the facade adds per message; core ÷ facade is the facade's
# share of the core's speed when one core does both sides. Prints, e.g.
#   broker core: 1,392 instructions per message (142,576,800 over 102,400)
#   facade:      1,971 instructions per message (201,864,600 over 102,400)
#   core ÷ facade: 0.71
# With CALLGRIND_DIR set, keeps callgrind's files there (facade-core.out, facade-facade.out) for
# callgrind_annotate, which breaks each count down by function.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target wasmq_facade_instructions >/dev/null
source scripts/callgrind_files.sh
declare -A per_message
count() {  # $1: the path (core or facade); $2: the label
  local out="$callgrind_dir/facade-$1.out" messages total
  messages=$(valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect="*measured_$1*" \
    build/release/bench/wasmq_facade_instructions "$1" "${ROUNDS:-100}" 2>/dev/null | awk '/^messages/ {print $2}')
  total=$(callgrind_total "$out")
  per_message[$1]=$(python3 -c "print($total / $messages)")
  python3 -c "
total, messages = $total, $messages
print(f'$2 {total / messages:,.0f} instructions per message ({total:,} over {messages:,})')"
}
count core "broker core:"
count facade "facade:     "
python3 -c "print(f'core ÷ facade: {${per_message[core]} / ${per_message[facade]}:.2f}')"
