#!/usr/bin/env bash
# Locked read-modify-writes per message of the one-thread lifecycle (publish → receive → accept,
# 16 B, ManualRuntime, pull receiver): callgrind counts how often each instruction of
# bench/lifecycle_instructions.cpp's measured rounds ran, and every `lock`-prefixed instruction
# (and `xchg`, locked by definition) found by objdump is weighed by its count. Prints one line per
# instruction (per message, where) and the total, e.g.
#   total locked per message: 12.15
# The program has one thread, so libstdc++'s shared_ptr counts are not atomic in it; in a process
# that has started threads, each reference count moved adds one.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target wasmq_lifecycle_instructions >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rounds=${ROUNDS:-20}
messages=$(valgrind --tool=callgrind --dump-instr=yes --dump-line=no --compress-pos=no --compress-strings=no \
  --callgrind-out-file="$out" --toggle-collect='*measured_round*' \
  build/release/bench/wasmq_lifecycle_instructions "$rounds" 2>/dev/null | awk '/^messages/ {print $2}')
python3 - "$out" "$messages" <<'PY'
import collections, re, subprocess, sys

path, messages = sys.argv[1], float(sys.argv[2])
# Self counts per object file and instruction address; a call's line after "calls=" is the
# callee's inclusive cost, not this instruction's.
counts = collections.defaultdict(collections.Counter)
obj, after_call = None, False
for line in open(path):
    if line.startswith("ob="):
        obj = line[3:].strip()
    elif line.startswith("calls="):
        after_call = True
    elif line.startswith("0x"):
        if after_call:
            after_call = False
            continue
        address, count = line.split()[:2]
        counts[obj][int(address, 16)] += int(count)
rows, total = [], 0.0
for obj, by_address in counts.items():
    listing = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-C", obj],
                             capture_output=True, text=True).stdout
    function = "?"
    for text in listing.splitlines():
        if m := re.match(r"^([0-9a-f]+) <(.*)>:$", text):
            function = m.group(2)
        elif m := re.match(r"^\s+([0-9a-f]+):\s+(.*)$", text):
            instruction = m.group(2)
            if instruction.startswith(("lock", "xchg")) and by_address.get(int(m.group(1), 16)):
                per_message = by_address[int(m.group(1), 16)] / messages
                rows.append((per_message, function[:100], instruction))
                total += per_message
for per_message, function, instruction in sorted(rows, reverse=True):
    if per_message >= 0.05:
        print(f"{per_message:6.2f}  {function} | {instruction}")
print(f"total locked per message: {total:.2f}")
PY
