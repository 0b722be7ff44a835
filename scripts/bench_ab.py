#!/usr/bin/env python3
"""One benchmark in two builds: the ratio new ÷ old, from pairs of back-to-back runs.

Like scripts/bench_pairs.py (which pairs two benchmarks of one binary), each pair runs the
benchmark in the old binary and in the new one right after each other, each in a short process of
its own, alternating which goes first, so both see the same state of this VM (see bench/notes.md).
Prints, per benchmark, the median rates and the median and range of the pairs' ratios.

Usage: bench_ab.py OLD_BINARY NEW_BINARY BENCHMARK[,BENCHMARK...] [PAIRS]   (PAIRS: default 7)
  e.g. bench_ab.py /tmp/old/bench/wasmq_bench build/release/bench/wasmq_bench BM_P2P_Broker/16 7
"""
import json
import statistics
import subprocess
import sys


def rate(binary, name):
    # The benchmark's name as an anchored regular expression (its ':' and '/' are literal).
    pattern = "^" + name + "(/real_time)?$"
    out = subprocess.run([binary, f"--benchmark_filter={pattern}", "--benchmark_min_time=0.2",
                          "--benchmark_format=json"], capture_output=True, text=True, check=True).stdout
    runs = [b for b in json.loads(out)["benchmarks"] if b.get("run_type", "iteration") == "iteration"]
    if not runs:
        raise SystemExit(f"bench_ab: no benchmark matched {name}")
    return runs[0]["items_per_second"]


def main():
    if len(sys.argv) not in (4, 5):
        raise SystemExit(__doc__)
    old, new, names = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    pairs = int(sys.argv[4]) if len(sys.argv) == 5 else 7
    for name in names:
        ratios, old_rates, new_rates = [], [], []
        for i in range(pairs):
            if i % 2 == 0:
                a = rate(old, name)
                b = rate(new, name)
            else:
                b = rate(new, name)
                a = rate(old, name)
            old_rates.append(a)
            new_rates.append(b)
            ratios.append(b / a)
        print(f"{name}: old {statistics.median(old_rates) / 1e6:.2f} M/s, new "
              f"{statistics.median(new_rates) / 1e6:.2f} M/s, new ÷ old median {statistics.median(ratios):.2f}× "
              f"(range {min(ratios):.2f}–{max(ratios):.2f}) over {pairs} pairs", flush=True)


if __name__ == "__main__":
    main()
