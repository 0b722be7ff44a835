# Sourced by the scripts that count instructions with callgrind: `callgrind_dir` is where
# callgrind's files go — CALLGRIND_DIR, kept for callgrind_annotate, or else a temporary
# directory removed at exit — and `callgrind_total FILE` prints the instructions FILE counted.
if [[ -n "${CALLGRIND_DIR:-}" ]]; then
  callgrind_dir=$CALLGRIND_DIR
  mkdir -p "$callgrind_dir"
else
  callgrind_dir=$(mktemp -d)
  trap 'rm -rf "$callgrind_dir"' EXIT
fi
callgrind_total() {
  callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}
