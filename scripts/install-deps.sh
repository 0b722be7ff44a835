#!/usr/bin/env bash
# Installs wasmq's build and test dependencies from Debian 12 packages, only those missing.
# Runs apt-get directly as root, through sudo otherwise.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libboost-dev libconcurrentqueue-dev      # Boost.Asio/Lockfree, moodycamel::ConcurrentQueue
  libgtest-dev libgmock-dev libbenchmark-dev
  libzmq3-dev                              # benchmark baselines
  valgrind                                 # instructions per message (scripts/instructions.sh)
  prometheus                               # promtool: checks the metrics exposition
  nats-server libnats-dev                  # NATS backend
  nlohmann-json3-dev                       # JSON (JetStream advisories)
  clang-19 libclang-rt-19-dev clang-format-19 clang-tidy-19   # second compiler, libFuzzer, lint
  wabt                                     # wasm2c (and libwabt: the step budget) for wasm guests
  lld-19 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libclang-rt-19-dev-wasm32  # wasm32 guests
)

# Node.js and npm run jco, the independent component check (tools/jco); Debian's, when absent.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
else
  as_root=()
  [[ $(id -u) -eq 0 ]] || as_root=(sudo)
  echo "install-deps: installing ${missing[*]}"
  "${as_root[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# jco, at the version tools/jco/package-lock.json pins (the npm registry is the only download).
jco_dir="$(dirname "$0")/../tools/jco"
if [[ ! -d "$jco_dir/node_modules/@bytecodealliance/jco" ]]; then
  echo "install-deps: npm ci in tools/jco (jco, the component check)"
  npm ci --prefix "$jco_dir" --no-audit --no-fund --loglevel=error
fi
