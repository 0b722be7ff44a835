#!/usr/bin/env bash
# Fails when a C++ file differs from what clang-format makes of it (see .clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."
format=$(command -v clang-format-19 || command -v clang-format || true)
if [[ -z "$format" ]]; then
  echo "check-format: no clang-format found (scripts/install-deps.sh installs clang-format-19)" >&2
  exit 1
fi
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
"$format" --dry-run --Werror "${files[@]}"
echo "check-format: ${#files[@]} files formatted ($("$format" --version | head -1))"
