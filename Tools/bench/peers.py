#!/usr/bin/env python3
"""colfile side by side with NumPy memmap and Apache Arrow IPC, on the same data and sizes.

Runs, in one invocation:
  * `colfile bench --json` (the Swift figures),
  * the same workloads with NumPy (`np.save` + `np.load(mmap_mode='r')`) and Arrow IPC files
    (uncompressed and zstd) read through `pyarrow.memory_map`,
  * a C memory-bandwidth reference (Tools/bench/membw.c, built with `cc -O3 -march=native`),
  * the 4-process sharing test for NumPy memmap, Arrow uncompressed, Arrow zstd and colfile (the
    `colfile harness` subcommand, on a plain and on a cold column decoded once into the shared cache),
and prints one table: colfile's figure, each peer's figure and the ratios (x > 1: colfile better).

    pip install -r Tools/bench/requirements.txt
    swift build -c release
    python3 Tools/bench/peers.py --colfile .build/release/colfile --rows 100000000 --dir /var/tmp/bench
    python3 Tools/bench/peers.py --colfile .build/release/colfile --strings-only   # the string figures alone
    python3 Tools/bench/peers.py --colfile .build/release/colfile --write-only --rounds 5 --dir /var/tmp/bench
        # the write figures alone: colfile bench --write-only and np.save alternately, ratio per round

The string figures use 10 M rows (fewer with --rows below that) of which about one in ten is null
(row i is null when the i-th output of SplitMix64 seeded with 0 is a multiple of 10), the same in
colfile and Arrow; NumPy's fixed-width array cannot hold nulls and has every string. Arrow is also
measured on the column without nulls (a reference line): colfile's total without nulls is two offsets.

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, if set, are removed from this process's environment (it
re-executes itself without them): they can slow NumPy on this machine. Each worker of the sharing
test records /proc/self/smaps_rollup Pss before opening and after scanning while all workers are
alive (a barrier of files); sharing ratio = sum(Pss after - Pss before) / bytes touched by one worker:
about 1 when the workers share one copy, about 4 when each holds its own.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(name in os.environ for name in BLAS_VARIABLES) and "PEERS_WORKER" not in os.environ:
    environment = {k: v for k, v in os.environ.items() if k not in BLAS_VARIABLES}
    environment["PEERS_UNSET_BLAS"] = ",".join(n for n in BLAS_VARIABLES if n in os.environ)
    os.execve(sys.executable, [sys.executable] + sys.argv, environment)

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.ipc as ipc  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ATTACH_LOOPS = 200          # attaches per timed sample
BATCH_ROWS = 65536          # Arrow record batch rows of the N-row files
COLD_BATCH_ROWS = 8192      # Arrow batch rows of the cold file: 64 KiB of Float64, like colfile's chunks
MADV_POPULATE_READ = 22


# ----------------------------------------------------------------------------- timing

def samples(repetitions, body, prepare=None):
    """Seconds per run of body() over `repetitions` runs (after one warm-up run); prepare(), when
    given, runs untimed before each run."""
    if prepare:
        prepare()
    body()
    result = []
    for _ in range(repetitions):
        if prepare:
            prepare()
        start = time.perf_counter_ns()
        body()
        result.append((time.perf_counter_ns() - start) / 1e9)
    return result


class Figures:
    """Named figures, each the median of its samples with the best sample beside it."""

    def __init__(self):
        self.values = {}

    def add(self, name, values, lower_is_better=False):
        values = sorted(values)
        best = values[0] if lower_is_better else values[-1]
        self.values[name] = (statistics.median(values), best)

    def rate(self, name, seconds, size, unit=1e9):
        self.add(name, [size / s / unit for s in seconds])

    def time(self, name, seconds, scale):
        self.add(name, [s * scale for s in seconds], lower_is_better=True)


def fsync_path(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def drop(path):
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.exists(path):
        os.remove(path)


# ----------------------------------------------------------------------------- data

def float_values(rows):
    return (np.arange(rows, dtype=np.int64) % 1000).astype(np.float64) * 0.5


def text_values(rows):
    return [f"symbol-{i % 500} order {i % 7}" for i in range(rows)]


def null_rows(rows):
    """True for the null rows of the string figures: SplitMix64 (seed 0) output i is a multiple of 10,
    as `colfile bench` makes them."""
    with np.errstate(over="ignore"):
        z = np.arange(1, rows + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return z % np.uint64(10) == 0


def cold_table(rows):
    """The cold-column data of `colfile bench`: int = i % 1000, float = the same LCG doubles, text."""
    state = 0x9E3779B97F4A7C15
    multiplier, increment = 6364136223846793005, 1442695040888963407
    # The LCG in closed form is slow in Python; NumPy's uint64 arithmetic wraps like Swift's &* and &+.
    floats = np.empty(rows, dtype=np.float64)
    with np.errstate(over="ignore"):
        states = np.empty(rows, dtype=np.uint64)
        s = np.uint64(state)
        # Jump-ahead in blocks: s_{k+1} = a*s_k + c.
        block = 1 << 16
        a_pow = [np.uint64(1)]
        c_sum = [np.uint64(0)]
        for _ in range(block):
            a_pow.append(a_pow[-1] * np.uint64(multiplier))
            c_sum.append(c_sum[-1] * np.uint64(multiplier) + np.uint64(increment))
        a_pow = np.array(a_pow[1:], dtype=np.uint64)
        c_sum = np.array(c_sum[1:], dtype=np.uint64)
        for start in range(0, rows, block):
            count = min(block, rows - start)
            states[start:start + count] = a_pow[:count] * s + c_sum[:count]
            s = states[start + count - 1]
        floats[:] = (states >> np.uint64(11)).astype(np.float64) / float(1 << 53)
    return pa.table({
        "int": pa.array(np.arange(rows, dtype=np.int64) % 1000),
        "float": pa.array(floats),
        "text": pa.array(text_values(rows), type=pa.string()),
    })


def write_arrow(path, table, compression, batch_rows, sync=False):
    options = ipc.IpcWriteOptions(compression=compression)
    with ipc.new_file(path, table.schema, options=options) as writer:
        writer.write_table(table, max_chunksize=batch_rows)
    if sync:
        fsync_path(path)
        fsync_path(os.path.dirname(path))


def save_npy(path, array, sync=False):
    with open(path, "wb") as f:
        np.save(f, array)
        if sync:
            f.flush()
            os.fsync(f.fileno())
    if sync:
        fsync_path(os.path.dirname(path))


# ----------------------------------------------------------------------------- peers

def measure_numpy_writes(args, d, figures, x, i):
    """writeGBps and writeSyncedGBps: np.save of x and i into two files, then the same with fsync."""
    xp, ip = f"{d}/x.npy", f"{d}/i.npy"
    written = args.rows * 16
    new_files = getattr(args, "new_files", False)

    def prepare():
        # Each run starts with nothing dirty, as in `colfile bench` (its measureWrites says why);
        # with --new-files the previous run's files go first, so np.save makes new files (its
        # O_TRUNC then frees nothing), as `colfile bench --new-files` does.
        if new_files:
            drop(xp)
            drop(ip)
        os.sync()
    figures.rate("writeGBps", samples(args.repetitions, lambda: (save_npy(xp, x), save_npy(ip, i)), prepare), written)
    figures.rate("writeSyncedGBps", samples(args.repetitions, lambda: (save_npy(xp, x, True), save_npy(ip, i, True)),
                                            prepare), written)
    return xp, ip


def measure_numpy(args, d, figures, x):
    rows, reps = args.rows, args.repetitions
    i = np.arange(rows, dtype=np.int64)
    xp, ip = measure_numpy_writes(args, d, figures, x, i)
    sp = f"{d}/small.npy"
    del i
    save_npy(sp, x[: 10_000_000 // 8])
    os.sync()
    for name, path in (("attachMicrosSmall", sp), ("attachMicrosLarge", xp)):
        def attach(path=path):
            for _ in range(ATTACH_LOOPS):
                np.load(path, mmap_mode="r")[0]
        figures.time(name, samples(reps, attach), 1e6 / ATTACH_LOOPS)
    mapped = np.load(xp, mmap_mode="r")
    mapped._mmap.madvise(MADV_POPULATE_READ)
    size = rows * 8
    figures.rate("scanGBps", samples(reps, lambda: mapped.sum()), size)
    figures.rate("arrayScanGBps", samples(reps, lambda: x.sum()), size)
    destination = np.zeros_like(x)
    figures.rate("memcpyGBps", samples(reps, lambda: np.copyto(destination, x)), size)
    del destination
    figures.time("firstTouchMillis", samples(reps, lambda: np.load(xp, mmap_mode="r").sum()), 1e3)

    def prefaulted():
        m = np.load(xp, mmap_mode="r")
        m._mmap.madvise(MADV_POPULATE_READ)
        return m.sum()
    figures.time("firstTouchPrefaultMillis", samples(reps, prefaulted), 1e3)
    measure_numpy_strings(args, d, figures)
    del mapped
    for path in (ip, sp):
        drop(path)
    return xp


def measure_numpy_strings(args, d, figures):
    """Σ str_len over a mapped fixed-width ('S') array: NumPy has no variable-length string file format
    that maps, and no nulls in it, so every row holds its string."""
    string_rows = min(args.rows, 10_000_000)
    texts = text_values(string_rows)
    text_bytes = sum(len(t) for t in texts)
    strings_path = f"{d}/strings.npy"
    np.save(strings_path, np.array(texts, dtype="S"))
    del texts
    strings = np.load(strings_path, mmap_mode="r")
    strings._mmap.madvise(MADV_POPULATE_READ)
    figures.rate("stringScanGBps", samples(args.repetitions, lambda: np.strings.str_len(strings).sum()), text_bytes)
    del strings
    drop(strings_path)


def measure_arrow_strings(args, d, figures):
    """pc.sum(pc.binary_length(column)) on an IPC file read through a memory map: the column with the
    nulls of `colfile bench` (stringScanGBps) and the same strings without nulls (stringScanNoNullsGBps).
    Rates count the UTF-8 bytes of the non-null values."""
    string_rows = min(args.rows, 10_000_000)
    values = text_values(string_rows)
    for name, mask in (("stringScanGBps", null_rows(string_rows)), ("stringScanNoNullsGBps", None)):
        texts = pa.array(values, type=pa.string(), mask=mask)
        text_bytes = pc.sum(pc.binary_length(texts)).as_py()
        strings_path = f"{d}/strings.arrow"
        write_arrow(strings_path, pa.table({"text": texts}), None, BATCH_ROWS)
        del texts
        strings = ipc.open_file(pa.memory_map(strings_path)).read_all().column("text")
        figures.rate(name, samples(args.repetitions, lambda: pc.sum(pc.binary_length(strings))), text_bytes)
        figures.values[name + "Bytes"] = (text_bytes, text_bytes)
        del strings
        drop(strings_path)


def measure_arrow(args, d, figures, x, compression):
    rows, reps = args.rows, args.repetitions
    tag = compression or "plain"
    table = pa.table({"x": pa.array(x), "i": pa.array(np.arange(rows, dtype=np.int64))})
    path, small = f"{d}/large-{tag}.arrow", f"{d}/small-{tag}.arrow"
    written = rows * 16
    figures.rate("writeGBps", samples(reps, lambda: write_arrow(path, table, compression, BATCH_ROWS)), written)
    os.sync()
    figures.rate("writeSyncedGBps",
                 samples(reps, lambda: write_arrow(path, table, compression, BATCH_ROWS, sync=True)), written)
    del table
    write_arrow(small, pa.table({"x": pa.array(x[: 10_000_000 // 8])}), compression, BATCH_ROWS)
    os.sync()
    for name, p in (("attachMicrosSmall", small), ("attachMicrosLarge", path)):
        def attach(p=p):
            for _ in range(ATTACH_LOOPS):
                ipc.open_file(pa.memory_map(p)).get_batch(0).column(0)[0]
        figures.time(name, samples(reps, attach), 1e6 / ATTACH_LOOPS)
    size = rows * 8
    # A file of x alone for the scans and the sharing test: pyarrow 26 copies the whole record batch
    # body into memory when `included_fields` selects columns, so the files are not read that way.
    x_path = f"{d}/x-{tag}.arrow"
    write_arrow(x_path, pa.table({"x": pa.array(x)}), compression, BATCH_ROWS)
    os.sync()
    one_thread = ipc.IpcReadOptions(use_threads=False)

    def read_x(p):
        return ipc.open_file(pa.memory_map(p), options=one_thread).read_all().column("x")
    if compression is None:
        column = read_x(x_path)   # zero-copy: buffers point into the mapping
        figures.rate("scanGBps", samples(reps, lambda: pc.sum(column)), size)
        figures.time("firstTouchMillis", samples(reps, lambda: pc.sum(read_x(x_path))), 1e3)
        del column
        measure_arrow_strings(args, d, figures)
    else:
        # No zero-copy view: each new reader decompresses (one thread), then sums.
        figures.rate("decodeScanGBps", samples(reps, lambda: pc.sum(read_x(x_path))), size)
    drop(small)
    drop(path)
    return x_path


def measure_arrow_cold(args, d, figures):
    """Arrow zstd on the cold data of `colfile bench` (10 M rows, 8192-row batches)."""
    reps = args.repetitions
    rows = min(args.rows, 10_000_000)
    table = cold_table(rows)
    path = f"{d}/cold-zstd.arrow"
    write_arrow(path, table, "zstd", COLD_BATCH_ROWS)
    # One column per file for the single-column figures (see measure_arrow on `included_fields`).
    float_path, int_path = f"{d}/cold-float-zstd.arrow", f"{d}/cold-int-zstd.arrow"
    write_arrow(float_path, table.select(["float"]), "zstd", COLD_BATCH_ROWS)
    write_arrow(int_path, table.select(["int"]), "zstd", COLD_BATCH_ROWS)
    decoded = table.nbytes
    del table
    options = ipc.IpcReadOptions(use_threads=False)
    figures.rate("zstdDecodeMBps",
                 samples(reps, lambda: ipc.open_file(pa.memory_map(path), options=options).read_all()), decoded, 1e6)
    reader = ipc.open_file(pa.memory_map(float_path), options=options)
    rng = np.random.default_rng(1)

    def random_rows():
        for r in rng.integers(0, rows, 200):
            reader.get_batch(int(r) // COLD_BATCH_ROWS).column(0)[int(r) % COLD_BATCH_ROWS]
    figures.time("coldRandomRowMicros", samples(reps, random_rows), 1e6 / 200)
    all_cores = ipc.IpcReadOptions(use_threads=True)   # like colfile's private decode
    figures.time("coldColumnReadyMillis",
                 samples(reps, lambda: ipc.open_file(pa.memory_map(int_path), options=all_cores).read_all()
                         .column(0)[1]), 1e3)
    for p in (path, float_path, int_path):
        drop(p)


# ----------------------------------------------------------------------------- sharing

def pss_kib():
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    raise RuntimeError("no Pss in /proc/self/smaps_rollup")


def wait_for(folder, stage, count):
    while len([n for n in os.listdir(folder) if n.startswith(stage + "-")]) < count:
        time.sleep(0.002)


def warm_up(folder, kind):
    """Runs the worker's code path once on a tiny file, so that the Pss measured before opening
    already holds the library's fixed costs (allocator arenas, kernels) and only the data grows."""
    path = f"{folder}/warm-{os.getpid()}"
    if kind == "numpy":
        np.save(path + ".npy", np.arange(1024, dtype=np.float64))
        float(np.load(path + ".npy", mmap_mode="r").sum())
        os.remove(path + ".npy")
    else:
        write_arrow(path, pa.table({"x": pa.array(np.arange(1024, dtype=np.float64))}), "zstd", 256)
        pc.sum(ipc.open_file(pa.memory_map(path)).read_all().column(0)).as_py()
        os.remove(path)


def worker(kind, path, folder, index, count):
    """One process of the sharing test: Pss before opening, open, scan, barrier, Pss, barrier."""
    warm_up(folder, kind)
    before = pss_kib()
    if kind == "numpy":
        keep = np.load(path, mmap_mode="r")
        total = float(keep.sum())
    else:
        keep = ipc.open_file(pa.memory_map(path)).read_all()
        total = pc.sum(keep.column(0)).as_py()
    open(f"{folder}/scanned-{index}", "w").close()
    wait_for(folder, "scanned", count)
    after = pss_kib()
    print(json.dumps({"pssBeforeKiB": before, "pssKiB": after, "checksum": total}), flush=True)
    open(f"{folder}/measured-{index}", "w").close()
    wait_for(folder, "measured", count)
    del keep


def sharing(kind, path, touched, processes):
    folder = tempfile.mkdtemp(prefix="peers-barrier-")
    try:
        environment = dict(os.environ, PEERS_WORKER="1")
        children = [subprocess.Popen([sys.executable, __file__, "--worker", kind, path, folder, str(k), str(processes)],
                                     stdout=subprocess.PIPE, text=True, env=environment) for k in range(processes)]
        reports = [json.loads(child.communicate()[0]) for child in children]
        if any(child.returncode for child in children):
            raise RuntimeError(f"a {kind} sharing worker failed")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    growth = sum(r["pssKiB"] - r["pssBeforeKiB"] for r in reports) * 1024
    return {"sharingRatio": growth / touched, "totalPssKiB": sum(r["pssKiB"] for r in reports),
            "checksumsAgree": len({r["checksum"] for r in reports}) == 1}


def colfile_sharing(colfile, path, processes, cache=None):
    command = [colfile, "harness", path, "--processes", str(processes), "--columns", "x", "--json"]
    if cache:
        command += ["--cache-dir", cache]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode != 0 or not os.path.exists(path):
        print(f"colfile harness failed: {finished.stderr.strip()[:200]}", file=sys.stderr)
        return {"sharingRatio": float("nan"), "totalPssKiB": 0, "checksumsAgree": False}
    report = json.loads(finished.stdout)
    return {"sharingRatio": report["sharingRatio"], "totalPssKiB": report["totalPssKiB"],
            "checksumsAgree": report["checksumsAgree"]}


# ----------------------------------------------------------------------------- table

ROWS = [  # key, what, unit, higher is better
    ("writeGBps", "write Float64 + Int64 columns, page cache", "GB/s", True),
    ("writeNamedGBps", "the same, colfile into a named temporary file", "GB/s", True),
    ("writeSyncedGBps", "the same incl. fsync", "GB/s", True),
    ("attachMicrosSmall", "attach + first value, 10 MB file", "µs", False),
    ("attachMicrosLarge", "attach + first value, N-row file", "µs", False),
    ("scanGBps", "sum of the mapped Float64 column, warm", "GB/s", True),
    ("decodeScanGBps", "new reader: decode + sum (compressed)", "GB/s", True),
    ("arrayScanGBps", "sum of an in-memory array (same language)", "GB/s", True),
    ("memcpyGBps", "memcpy of the same bytes", "GB/s", True),
    ("firstTouchMillis", "new mapping, one sum (page faults)", "ms", False),
    ("firstTouchPrefaultMillis", "the same, MADV_POPULATE_READ first", "ms", False),
    ("stringScanGBps", "Σ string lengths, 10 M rows, 1 in 10 null (UTF-8 bytes/s)", "GB/s", True),
    ("zstdDecodeMBps", "decode cold int+float+text (zstd), 1 thread", "MB/s", True),
    ("zstdReferenceMBps", "ZSTD_decompressDCtx on the same chunks", "MB/s", True),
    ("coldRandomRowMicros", "one random row of the cold Float64 column", "µs", False),
    ("coldSharedAttachMicros", "cold Int64 column ready: later reader", "µs", False),
    ("coldSharedFirstAttachMillis", "cold Int64 column ready: new process", "ms", False),
    ("coldColumnReadyMillis", "cold Int64 column ready: new reader decodes (all cores)", "ms", False),
    ("coldDecodeAgainMillis", "", "ms", False),
    ("sharingRatio", "4 processes: Σ Pss growth / bytes touched", "", False),
    ("coldSharingRatio", "the same, compressed column", "", False),
]
PEERS = ("NumPy", "Arrow", "Arrow zstd")


def fmt(value):
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def comparison_table(colfile, peers, references):
    header = "| figure | unit | colfile | " + " | ".join(f"{p} | × {p}" for p in PEERS) + " |"
    lines = [header, "|---|---|---:|" + "---:|---:|" * len(PEERS)]
    for key, what, unit, higher in ROWS:
        mine = colfile.get(key)
        theirs = [peers[p].get(key) for p in PEERS]
        if key == "coldColumnReadyMillis":   # colfile's counterpart: its private decode in a new reader
            mine = colfile.get("coldDecodeAgainMillis")
        if key == "coldDecodeAgainMillis" or (mine is None and all(t is None for t in theirs)):
            continue
        if key == "decodeScanGBps":
            mine = None
        cells = [f"{fmt(mine[0])} [{fmt(mine[1])}]" if mine else "—"]
        for t in theirs:
            if t is None:
                cells += ["—", ""]
                continue
            ratio = "" if mine is None else (mine[0] / t[0] if higher else t[0] / mine[0])
            cells += [f"{fmt(t[0])} [{fmt(t[1])}]", "" if ratio == "" else f"{ratio:.2f}"]
        lines.append(f"| {key}: {what} | {unit} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("References measured in the same run:")
    for name, value in references:
        lines.append(f"- {name}: {value}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- main

def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        kind, path, folder, index, count = sys.argv[2:7]
        worker(kind, path, folder, int(index), int(count))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000_000, help="rows of the large columns")
    parser.add_argument("--dir", default=None, help="folder for the generated files (default: a new temporary one)")
    parser.add_argument("--repetitions", type=int, default=5, help="runs per figure (medians, best in brackets)")
    parser.add_argument("--colfile", default=None, help="the colfile executable (default: .build/release/colfile)")
    parser.add_argument("--processes", type=int, default=4, help="processes of the sharing test")
    parser.add_argument("--json", metavar="PATH", help="also write every figure to this JSON file")
    parser.add_argument("--strings-only", action="store_true",
                        help="measure only the string figures (colfile bench --strings-only, NumPy, Arrow)")
    parser.add_argument("--write-only", action="store_true",
                        help="measure only the write figures: colfile bench --write-only and np.save alternately, "
                             "--rounds times; medians of the rounds and of the per-round ratios")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --write-only")
    parser.add_argument("--new-files", action="store_true",
                        help="with --write-only: both tools remove the previous run's output (untimed) before each "
                             "write, so each run makes new files instead of replacing them")
    parser.add_argument("--baseline", metavar="COLFILE",
                        help="with --write-only: another colfile executable (an older build) run in each round too")
    parser.add_argument("--baseline-flag", default="--write-only",
                        help="the flag that limits the baseline's bench to the writes (--attach-only before "
                             "--write-only existed)")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(HERE))
    colfile = args.colfile or os.path.join(root, ".build", "release", "colfile")
    d = tempfile.mkdtemp(prefix="colfile-peers-", dir=args.dir)
    try:
        (run_writes if args.write_only else run_strings if args.strings_only else run)(args, colfile, d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def string_references(mine, peers):
    """The reference lines of the string figures."""
    def rate(figure):
        return f"{fmt(figure[0])} GB/s [{fmt(figure[1])}]"
    lines = [
        ("colfile Σ byteCount(at:) row by row (same column)", rate(mine["stringRowLoopGBps"])),
        ("colfile Σ bytes(at:).count row by row", rate(mine["stringViewScanGBps"])),
        ("colfile statistics(_:): min, max, total length", rate(mine["stringStatsGBps"])),
        ("colfile min, max, total length row by row", rate(mine["stringStatsRowLoopGBps"])),
        ("colfile totalByteCount() without nulls (two offsets)",
         f"{fmt(mine['stringTotalNoNullsNanos'][0])} ns [{fmt(mine['stringTotalNoNullsNanos'][1])}]"),
    ]
    arrow = peers["Arrow"].values
    if "stringScanNoNullsGBps" in arrow:
        lines.append(("Arrow pc.sum(pc.binary_length) without nulls", rate(arrow["stringScanNoNullsGBps"])))
        lines.append(("UTF-8 bytes of the non-null values, Arrow", f"{arrow['stringScanGBpsBytes'][0]:,}"))
    return lines


def run_strings(args, colfile, d):
    """The string figures alone: colfile bench --strings-only, NumPy and Arrow."""
    started = time.strftime("%Y-%m-%d %H:%M")
    load_before = os.getloadavg()
    bench = json.loads(subprocess.run(
        [colfile, "bench", "--strings-only", "--rows", str(args.rows), "--repetitions", str(args.repetitions),
         "--dir", d, "--json"], check=True, capture_output=True, text=True).stdout)
    mine = {k: (v, bench.get(k + "Best", v)) for k, v in bench.items() if isinstance(v, (int, float))}
    peers = {p: Figures() for p in PEERS}
    measure_numpy_strings(args, d, peers["NumPy"])
    measure_arrow_strings(args, d, peers["Arrow"])
    print(f"colfile vs NumPy {np.__version__} and pyarrow {pa.__version__}: string figures only; "
          f"median of {args.repetitions} [best]; colfile {bench.get('build', '?')}; {started}; "
          f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}\n")
    print(comparison_table(mine, {p: f.values for p, f in peers.items()}, string_references(mine, peers)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"colfile": mine, "peers": {p: f.values for p, f in peers.items()},
                       "loadBefore": load_before, "loadAfter": os.getloadavg()}, f, indent=1)


WRITE_FIGURES = (("writeGBps", "write Float64 + Int64, page cache", 0.95),
                 ("writeSyncedGBps", "the same incl. fsync", 1.0))


def run_writes(args, colfile, d):
    """--write-only: `colfile bench --write-only` (a process of its own) and np.save of the same rows,
    alternately, --rounds times; each round's figure is the median of --repetitions runs after a warm-up."""
    started = time.strftime("%Y-%m-%d %H:%M")
    load_before = os.getloadavg()
    x = float_values(args.rows)
    i = np.arange(args.rows, dtype=np.int64)
    def colfile_writes(executable, flag):
        return json.loads(subprocess.run(
            [executable, "bench", flag, "--rows", str(args.rows), "--repetitions", str(args.repetitions),
             "--dir", d, "--json"] + (["--new-files"] if args.new_files else []),
            check=True, capture_output=True, text=True).stdout)

    rounds, baseline = [], []
    for number in range(1, args.rounds + 1):
        bench = colfile_writes(colfile, "--write-only")
        os.sync()
        numpy = Figures()
        for path in measure_numpy_writes(args, d, numpy, x, i):
            drop(path)
        os.sync()
        mine = {name: bench[name] for name, _, _ in WRITE_FIGURES}
        theirs = {name: numpy.values[name][0] for name, _, _ in WRITE_FIGURES}
        rounds.append((mine, theirs))
        line = "; ".join(f"{name} colfile {fmt(mine[name])}, NumPy {fmt(theirs[name])}, "
                         f"ratio {mine[name] / theirs[name]:.2f}" for name, _, _ in WRITE_FIGURES)
        if args.baseline:
            old = colfile_writes(args.baseline, args.baseline_flag)
            os.sync()
            baseline.append({name: old[name] for name, _, _ in WRITE_FIGURES})
            line += "; baseline " + ", ".join(f"{name} {fmt(old[name])}" for name, _, _ in WRITE_FIGURES)
        print(f"round {number}: {line}; load {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print(f"colfile bench --write-only vs np.save (NumPy {np.__version__}), {args.rows:,} rows (Float64 + Int64, "
          f"{args.rows * 16 / 1e9:.1f} GB); {args.rounds} alternating rounds, each the median of {args.repetitions} "
          f"runs; {'each run makes new files (previous output removed untimed)' if args.new_files else 'each run replaces the previous run output'}; "
          f"colfile {bench.get('build', '?')}; {started}; load average before {load_before[0]:.2f}, "
          f"after {os.getloadavg()[0]:.2f}\n")
    print("| figure | colfile GB/s | NumPy GB/s | colfile / NumPy (median of rounds) | range | target |")
    print("|---|---:|---:|---:|---:|---:|")
    summary = {}
    for name, label, target in WRITE_FIGURES:
        ratios = sorted(m[name] / t[name] for m, t in rounds)
        mine = statistics.median(m[name] for m, _ in rounds)
        theirs = statistics.median(t[name] for _, t in rounds)
        ratio = statistics.median(ratios)
        summary[name] = {"colfile": mine, "numpy": theirs, "ratio": ratio, "ratios": ratios}
        print(f"| {name}: {label} | {fmt(mine)} | {fmt(theirs)} | {ratio:.2f} | {ratios[0]:.2f}–{ratios[-1]:.2f} "
              f"| ≥ {target:.2f} |")
    if baseline:
        print(f"\nbaseline {args.baseline} in the same rounds (run after NumPy in each round):\n")
        print("| figure | baseline GB/s | baseline / NumPy (median of rounds) | colfile / baseline (median of rounds) |")
        print("|---|---:|---:|---:|")
        for name, label, _ in WRITE_FIGURES:
            old = statistics.median(b[name] for b in baseline)
            to_numpy = statistics.median(b[name] / t[name] for b, (_, t) in zip(baseline, rounds))
            speedup = statistics.median(m[name] / b[name] for b, (m, _) in zip(baseline, rounds))
            summary[name].update(baseline=old, baselineRatio=to_numpy, speedup=speedup)
            print(f"| {name}: {label} | {fmt(old)} | {to_numpy:.2f} | {speedup:.2f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rounds": rounds, "baseline": baseline, "summary": summary, "loadBefore": load_before,
                       "loadAfter": os.getloadavg()}, f, indent=1)


def run(args, colfile, d):
    started = time.strftime("%Y-%m-%d %H:%M")
    load_before = os.getloadavg()
    membw = os.path.join(d, "membw")
    subprocess.run(["cc", "-O3", "-march=native", "-o", membw, os.path.join(HERE, "membw.c")], check=True)
    c_samples = json.loads(subprocess.run([membw, str(args.rows), str(args.repetitions)], check=True,
                                          capture_output=True, text=True).stdout)
    c = Figures()
    c.add("cSumGBps", c_samples["cSumGBps"])
    c.add("cMemcpyGBps", c_samples["cMemcpyGBps"])

    print(f"colfile bench --rows {args.rows} ...", file=sys.stderr)
    bench = json.loads(subprocess.run(
        [colfile, "bench", "--rows", str(args.rows), "--repetitions", str(args.repetitions), "--dir", d,
         "--keep", "--json"], check=True, capture_output=True, text=True).stdout)
    mine = {k: (v, bench.get(k + "Best", v)) for k, v in bench.items() if isinstance(v, (int, float))}

    peers = {p: Figures() for p in PEERS}
    x = float_values(args.rows)
    print("NumPy ...", file=sys.stderr)
    npy = measure_numpy(args, d, peers["NumPy"], x)
    print("Arrow ...", file=sys.stderr)
    arrow = measure_arrow(args, d, peers["Arrow"], x, None)
    print("Arrow zstd ...", file=sys.stderr)
    arrow_zstd = measure_arrow(args, d, peers["Arrow zstd"], x, "zstd")
    measure_arrow_cold(args, d, peers["Arrow zstd"])
    del x

    print("sharing ...", file=sys.stderr)
    touched = args.rows * 8
    shares = {
        "NumPy memmap": sharing("numpy", npy, touched, args.processes),
        "Arrow IPC": sharing("arrow", arrow, touched, args.processes),
        "Arrow IPC zstd": sharing("arrow", arrow_zstd, touched, args.processes),
        "colfile": colfile_sharing(colfile, f"{d}/colfile-bench-large.col", args.processes),
        "colfile cold (zstd, shared decode)": colfile_sharing(colfile, f"{d}/colfile-bench-cold-large.col",
                                                              args.processes, cache=f"{d}/peers-cache"),
    }
    for peer, kind in (("NumPy", "NumPy memmap"), ("Arrow", "Arrow IPC"), ("Arrow zstd", "Arrow IPC zstd")):
        peers[peer].values["sharingRatio"] = (shares[kind]["sharingRatio"],) * 2
    mine["sharingRatio"] = (shares["colfile"]["sharingRatio"],) * 2
    mine["coldSharingRatio"] = (shares["colfile cold (zstd, shared decode)"]["sharingRatio"],) * 2
    peers["Arrow zstd"].values["coldSharingRatio"] = peers["Arrow zstd"].values["sharingRatio"]

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    unset = os.environ.get("PEERS_UNSET_BLAS")
    print(f"colfile vs NumPy {np.__version__} and pyarrow {pa.__version__}, Python {platform.python_version()}; "
          f"{args.rows:,} rows; median of {args.repetitions} [best]; {cpu}, {os.cpu_count()} cores; "
          f"colfile {bench.get('build', '?')}; {started}; load average before {load_before[0]:.2f}, "
          f"after {os.getloadavg()[0]:.2f}" + (f"; {unset} unset for this run" if unset else ""))
    print("× = how many times better colfile's median is (>1: colfile better; GB/s: colfile/peer, "
          "times: peer/colfile)\n")
    c_sum = c.values["cSumGBps"]
    references = [
        ("C sum, 16 lanes, in memory (cc -O3 -march=native)", f"{fmt(c_sum[0])} GB/s [{fmt(c_sum[1])}]"),
        ("C memcpy", f"{fmt(c.values['cMemcpyGBps'][0])} GB/s [{fmt(c.values['cMemcpyGBps'][1])}]"),
        ("colfile scan / C sum", f"{mine['scanGBps'][0] / c_sum[0]:.2f} (target ≥ 0.90)"),
        ("colfile scan / Swift [Double] scan", f"{mine['scanGBps'][0] / mine['arrayScanGBps'][0]:.2f}"),
        ("colfile attach (N-row file)", f"{fmt(mine['attachMicrosLarge'][0])} µs (target ≤ 20)"),
    ] + string_references(mine, peers)
    for kind, share in shares.items():
        references.append((f"sharing, {args.processes} processes, {kind}",
                           f"ratio {share['sharingRatio']:.2f}, Σ Pss {share['totalPssKiB'] / 1024:,.0f} MiB, "
                           f"checksums agree: {share['checksumsAgree']}"))
    print(comparison_table(mine, {p: f.values for p, f in peers.items()}, references))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"colfile": mine, "peers": {p: f.values for p, f in peers.items()}, "c": c.values,
                       "sharing": shares, "loadBefore": load_before, "loadAfter": os.getloadavg()}, f, indent=1)


if __name__ == "__main__":
    main()
