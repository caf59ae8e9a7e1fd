#!/usr/bin/env python3
"""A wide import against the narrow one of the same bytes, whole process, as issue #16 measures it:

    python3 Tools/bench/wide-pairs.py COLFILE WIDE.csv NARROW.csv PAIRS

(the inputs of Tools/bench/wide-csv.py). The wide import (A) and the narrow one (B) run
alternately, A B A B …, after one warm-up each, `colfile import -q IN OUT` with the default
threads; each run's task-clock (all threads), wall time (`perf stat -e task-clock,duration_time`)
and peak resident memory (`/usr/bin/time -f %M`, of the process tree). Prints every pair, then the
medians and the median of the pair ratios A/B, of CPU and of wall time, and the same ratios as
rates, per byte of CSV: the time ratio × narrow bytes / wide bytes (the issue's target: a wide
CSV imports at a rate within 2× of the same bytes in a narrow one; the wide inputs of
wide-csv.py are 0.4 % and 2.9 % larger than the narrow one). Needs perf (Debian's linux-perf)
and GNU time.
"""
import os
import statistics
import subprocess
import sys
import tempfile


def run(colfile: str, csv: str, out: str) -> tuple[float, int, float]:
    """Imports `csv` into `out` once; returns the task-clock in ms, the peak resident KB and the
    wall time in ms."""
    if os.path.exists(out):
        os.remove(out)
    process = subprocess.run(["/usr/bin/time", "-f", "%M", "perf", "stat", "-x,", "-e", "task-clock,duration_time",
                              colfile, "import", "-q", csv, out], capture_output=True, text=True, check=True)
    lines = process.stderr.strip().splitlines()
    task_clock = next(float(line.split(",")[0]) for line in lines if "task-clock" in line)
    wall = next(float(line.split(",")[0]) for line in lines if "duration_time" in line) / 1e6
    return task_clock, int(lines[-1]), wall


def main() -> None:
    colfile, wide, narrow, pairs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with tempfile.TemporaryDirectory(prefix="wide-pairs-") as folder:
        out = os.path.join(folder, "out.col")
        run(colfile, wide, out)
        run(colfile, narrow, out)
        rows = []
        for index in range(pairs):
            a, b = run(colfile, wide, out), run(colfile, narrow, out)
            rows.append((a, b))
            print(f"pair {index + 1}: wide {a[0]:.1f} ms ({a[1] / 1024:.0f} MB), narrow {b[0]:.1f} ms "
                  f"({b[1] / 1024:.0f} MB), ratio {a[0] / b[0]:.2f}; wall {a[2]:.1f} / {b[2]:.1f} ms, "
                  f"ratio {a[2] / b[2]:.2f}", flush=True)
    median = statistics.median
    # Seconds per byte of the wide input over seconds per byte of the narrow one.
    per_byte = os.path.getsize(narrow) / os.path.getsize(wide)
    wides, narrows = [a[0] for a, _ in rows], [b[0] for _, b in rows]
    ratios = [a / b for a, b in zip(wides, narrows)]
    print(f"{os.path.basename(wide)} vs {os.path.basename(narrow)}: wide {median(wides):.1f} ms "
          f"({min(wides):.0f}-{max(wides):.0f}), narrow {median(narrows):.1f} ms ({min(narrows):.0f}-{max(narrows):.0f}), "
          f"median ratio {median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}), "
          f"peak {median(a[1] for a, _ in rows) / 1024:.0f} / {median(b[1] for _, b in rows) / 1024:.0f} MB; "
          f"wall {median(a[2] for a, _ in rows):.1f} / {median(b[2] for _, b in rows):.1f} ms, "
          f"median ratio {median(a[2] / b[2] for a, b in rows):.2f}; per byte: CPU {median(ratios) * per_byte:.2f}, "
          f"wall {median(a[2] / b[2] for a, b in rows) * per_byte:.2f}")


if __name__ == "__main__":
    main()
