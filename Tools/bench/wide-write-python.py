#!/usr/bin/env python3
"""CPU time of `colfile.write` of a wide table from NumPy arrays (10,000 Int64 columns x 200 rows,
17.7 MB, sync=False into /var/tmp/bench), and of pyarrow's `pa.table` + IPC file write of the same
arrays: the median of 7 writes after 3 warm-ups each. `--profile` adds a cProfile of one colfile write.

    PYTHONPATH=python/src python3 Tools/bench/wide-write-python.py [--profile]
"""
import argparse
import cProfile
import pstats
import statistics
import time

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

import colfile

COLUMNS = {f"c{index}": np.arange(200, dtype=np.int64) + index for index in range(10_000)}


def write_colfile() -> None:
    colfile.write("/var/tmp/bench/wide.col", COLUMNS, sync=False)


def write_arrow() -> None:
    table = pa.table(COLUMNS)
    with ipc.new_file("/var/tmp/bench/wide.arrow", table.schema) as sink:
        sink.write_table(table)


def cpu_median(action) -> float:
    for _ in range(3):
        action()
    times = []
    for _ in range(7):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", action="store_true")
    arguments = parser.parse_args()
    ours, arrow = cpu_median(write_colfile), cpu_median(write_arrow)
    print(f"colfile.write {ours * 1e3:.1f} ms CPU ({ours * 1e6 / len(COLUMNS):.1f} µs a column), "
          f"Arrow {arrow * 1e3:.1f} ms, colfile / Arrow {ours / arrow:.2f}")
    if arguments.profile:
        cProfile.run("write_colfile()", "/tmp/wide-write.prof")
        pstats.Stats("/tmp/wide-write.prof").sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
