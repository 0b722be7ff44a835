#!/usr/bin/env bash
# Runs clang-tidy-19 (.clang-tidy) over the library and example sources, with the compile commands
# of a clang-19 preset (clang's own flags: a g++ database holds flags clang does not know), two
# files at a time. Any finding fails it: scripts/test-all.sh runs it with the asan preset's
# commands (clang-19 too, and configured already), and so does CI.
#   scripts/tidy.sh [preset]      (default: clang; a preset not yet configured is configured here)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-clang}
[[ -f "build/$preset/compile_commands.json" ]] || cmake --preset "$preset" >/dev/null
# Guest entry files (examples/guests/wasm/) are built for wasm32 by custom commands: no compile
# commands of the host's to check them with.
mapfile -t files < <(git ls-files 'src/*.cpp' 'examples/*.cpp' ':!examples/guests/wasm/*')
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
printf '%s\0' "${files[@]}" |
  xargs -0 -n 4 -P 2 clang-tidy-19 -p "build/$preset" --quiet --warnings-as-errors='*' >"$log" 2>&1 || status=$?
grep -E 'warning:|error:' "$log" | sort -u || true
if ((status != 0)); then
  echo "tidy: findings in ${#files[@]} files (above); see .clang-tidy" >&2
  exit 1
fi
echo "tidy: ${#files[@]} files, no findings (clang-tidy-19, compile commands of build/$preset)"
