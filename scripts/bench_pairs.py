#!/usr/bin/env python3
"""Paired ratios: the broker's row and a baseline's row measured back to back, many times.

On a virtual machine a two-thread figure flips between modes for tens of seconds at a time (see
bench/notes.md), so a ratio of two medians taken minutes apart can swing 3x either way. Here each
pair runs the two benchmarks one right after the other (order alternating, each in its own short
process), so both see the same mode, and the ratio of the pair is kept; the report gives the
median of the pairs' ratios and their range.

Usage: bench_pairs.py BENCH_BINARY OUT.json [PAIRS [LABEL]]   (PAIRS: default 7)
LABEL keeps only the ratios whose label contains it, e.g. `facade` for facade ÷ core alone.
"""
import json
import statistics
import subprocess
import sys

# (what the ratio is called, the benchmark on top, the one it is divided by)
PAIRS = [
    ("P2P 16 B ÷ ZeroMQ PUSH/PULL", "BM_P2P_Broker/16/real_time", "BM_P2P_ZmqPushPull/16/real_time"),
    ("P2P 16 B ÷ mutex queue", "BM_P2P_Broker/16/real_time", "BM_P2P_MutexQueue/16/real_time"),
    ("P2P 16 B ÷ raw moodycamel", "BM_P2P_Broker/16/real_time", "BM_P2P_Moodycamel/16/real_time"),
    ("fan-out 16 B × 4 ÷ ZeroMQ PUB/SUB", "BM_FanOut_Broker/16/4/real_time", "BM_FanOut_ZmqPubSub/16/4/real_time"),
    ("fan-out 16 B × 16 ÷ ZeroMQ PUB/SUB", "BM_FanOut_Broker/16/16/real_time", "BM_FanOut_ZmqPubSub/16/16/real_time"),
    ("competing 2 → 2 ÷ moodycamel", "BM_Competing_Broker/producers:2/consumers:2/real_time",
     "BM_Competing_Moodycamel/producers:2/consumers:2/real_time"),
    ("facade P2P 16 B ÷ broker core", "BM_P2P_Facade/16/real_time", "BM_P2P_Broker/16/real_time"),
    # A cost, not a speed-up: the native guest's rate over the wasm2c guest's (one thread each,
    # so a pair sees one clock speed of the machine; single runs minutes apart read 1.9× to 3.3×).
    ("wasm2c guest's round trip ÷ native guest's (cost)", "BM_GuestRoundTrip/guest:0", "BM_GuestRoundTrip/guest:1"),
    # Not a target: the facade beside the core publishing a Message built per send, as it did
    # before publish(topic, bytes).
    ("facade P2P 16 B ÷ broker core, publish(Message)", "BM_P2P_Facade/16/real_time",
     "BM_P2P_BrokerMessage/16/real_time"),
]


def rate(binary, name):
    # The benchmark's name as an anchored regular expression (its ':' and '/' are literal).
    pattern = "^" + name.replace("/real_time", "") + "(/real_time)?$"
    out = subprocess.run([binary, f"--benchmark_filter={pattern}", "--benchmark_min_time=0.2",
                          "--benchmark_format=json"], capture_output=True, text=True, check=True).stdout
    runs = [b for b in json.loads(out)["benchmarks"] if b.get("run_type", "iteration") == "iteration"]
    if not runs:
        raise SystemExit(f"bench_pairs: no benchmark matched {name}")
    return runs[0]["items_per_second"]


def main():
    binary, out_path = sys.argv[1:3]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    only = sys.argv[4] if len(sys.argv) > 4 else ""
    results = []
    for label, broker, baseline in PAIRS:
        if only not in label:
            continue
        ratios = []
        for i in range(count):
            if i % 2 == 0:
                a = rate(binary, broker)
                b = rate(binary, baseline)
            else:
                b = rate(binary, baseline)
                a = rate(binary, broker)
            ratios.append(a / b)
        results.append({"label": label, "broker": broker, "baseline": baseline, "ratios": ratios,
                        "median": statistics.median(ratios)})
        print(f"{label}: median {statistics.median(ratios):.2f}x, range {min(ratios):.2f}x–{max(ratios):.2f}x "
              f"over {count} pairs")
    with open(out_path, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
