#!/usr/bin/env bash
# Two builds of `colfile import` on one input, alternated, for a change's effect on a noisy machine:
#   Tools/bench/import-pairs.sh N BIN_A BIN_B INPUT.csv [import options, e.g. --threads 2]
# One warm-up run each, then N pairs A B A B …; prints each pair's task-clock (all threads, by
# `perf stat -e task-clock`) and wall time, then the medians and the median of the pair ratios B/A
# (below 1: B is faster). Needs perf (Debian's linux-perf).
set -euo pipefail
n=$1; a=$2; b=$3; input=$4; shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints "TASK_CLOCK_MS WALL_US" of one import by the build $1 (the import options follow).
run() {
    local binary=$1; shift
    local start end task
    rm -f "$work/out.col"
    start=$(date +%s%N)
    task=$(perf stat -x, -e task-clock "$binary" import -q "$@" "$input" "$work/out.col" 2>&1 >/dev/null \
        | awk -F, '/task-clock/ {print $1}')
    end=$(date +%s%N)
    echo "$task $(((end - start) / 1000))"
}

run "$a" "$@" >/dev/null
run "$b" "$@" >/dev/null
for _ in $(seq "$n"); do
    echo "$(run "$a" "$@") $(run "$b" "$@")"
done >"$work/pairs"
awk '{printf "pair %d: A %.1f ms cpu %.1f ms wall | B %.1f ms cpu %.1f ms wall | B/A cpu %.3f wall %.3f\n",
      NR, $1, $2 / 1000, $3, $4 / 1000, $3 / $1, $4 / $2}' "$work/pairs"
python3 - "$work/pairs" <<'PYTHON'
import statistics
import sys

rows = [[float(field) for field in line.split()] for line in open(sys.argv[1]) if line.strip()]
median = statistics.median
print(f"medians: A cpu {median(r[0] for r in rows):.1f} ms, wall {median(r[1] for r in rows) / 1000:.1f} ms; "
      f"B cpu {median(r[2] for r in rows):.1f} ms, wall {median(r[3] for r in rows) / 1000:.1f} ms; "
      f"median ratio B/A cpu {median(r[2] / r[0] for r in rows):.3f}, wall {median(r[3] / r[1] for r in rows):.3f}")
PYTHON
