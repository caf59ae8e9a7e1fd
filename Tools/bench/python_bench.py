#!/usr/bin/env python3
"""The Python package (python/) measured side by side with NumPy and Arrow, in one run.

    pip install -e 'python[test]'
    python3 Tools/bench/python_bench.py --dir /var/tmp/colfile-pybench [--big-rows 200000000] [--runs 7]

Measures, warm page cache, medians of --runs samples:
  * attach: `colfile.open(p)["x"][0]` against `np.load(p, mmap_mode="r")[0]` and
    `pyarrow.ipc.open_file(pyarrow.memory_map(p))` to the first value, on a 10 MB and a 1.6 GB
    Float64 column (each sample is the mean of a loop of attaches);
  * wide attach: the same to the first value of the last of 10,000 Int64 columns of 200 rows
    (`--wide-columns`), against `np.load(p.npz)[name][0]` (an uncompressed `np.savez` archive) and
    Arrow's IPC file; and writing that table with each (page cache only);
  * scan: `np.sum` over the colfile view against `np.sum` over an in-memory copy (GB/s);
  * to_arrow: `reader.to_arrow()` time for 1e3 … 1e7 rows of a 4-column table (flat: O(columns));
  * write: GB/s of `colfile.write` against `np.save`, `pyarrow.ipc` (RecordBatch file) and Feather v2
    (uncompressed), each to the page cache only and with fsync of the file (colfile: `sync=True`
    also flushes the folder); each sample writes a new file (the previous one is removed, and
    `sync` run, before the clock starts);
  * sharing: 4 spawned Pool workers summing the 1.6 GB column (Σ Pss growth ÷ bytes).
`--attach-only` stops after the attach tables. Prints a Markdown report. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed from this process's own
environment (it re-executes itself without them), never from the tests'.
"""

import argparse
import multiprocessing
import os
import platform
import shutil
import statistics
import sys
import time

BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(name in os.environ for name in BLAS_VARIABLES):
    environment = {k: v for k, v in os.environ.items() if k not in BLAS_VARIABLES}
    os.execve(sys.executable, [sys.executable] + sys.argv, environment)

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.feather as feather  # noqa: E402
import pyarrow.ipc as ipc  # noqa: E402

import colfile  # noqa: E402


def median_time(body, runs, loops=1):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(loops):
            body()
        times.append((time.perf_counter() - start) / loops)
    return statistics.median(times)


def fmt_us(seconds):
    return f"{seconds * 1e6:.1f} µs"


def make_files(folder, rows, tag):
    values = np.arange(rows, dtype=np.float64) * 0.5
    paths = {"colfile": os.path.join(folder, f"{tag}.col"), "npy": os.path.join(folder, f"{tag}.npy"),
             "arrow": os.path.join(folder, f"{tag}.arrow")}
    colfile.write(paths["colfile"], {"x": values}, sync=False)
    np.save(paths["npy"], values)
    table = pa.table({"x": values})
    with ipc.new_file(paths["arrow"], table.schema) as writer:
        writer.write_table(table, max_chunksize=rows)
    return paths, values.nbytes


def attach(paths, runs, loops):
    results = {}
    results["colfile"] = median_time(lambda: colfile.open(paths["colfile"])["x"][0], runs, loops)
    results["numpy"] = median_time(lambda: np.load(paths["npy"], mmap_mode="r")[0], runs, loops)
    results["arrow"] = median_time(
        lambda: ipc.open_file(pa.memory_map(paths["arrow"])).get_batch(0).column(0)[0].as_py(), runs, loops)
    return results


def make_wide_files(folder, columns, rows, runs):
    """Writes the wide table with each tool (page cache only), timing each write; returns the
    paths, the last column's name and the medians."""
    data = {f"c{index}": np.arange(rows, dtype=np.int64) + index for index in range(columns)}
    paths = {"colfile": os.path.join(folder, "wide.col"), "npz": os.path.join(folder, "wide.npz"),
             "arrow": os.path.join(folder, "wide.arrow")}

    def arrow_ipc():
        table = pa.table(data)
        with ipc.new_file(paths["arrow"], table.schema) as writer:
            writer.write_table(table, max_chunksize=rows)

    writes = {"colfile": median_time(lambda: colfile.write(paths["colfile"], data, sync=False), runs),
              "numpy": median_time(lambda: np.savez(paths["npz"], **data), runs),
              "arrow": median_time(arrow_ipc, runs)}
    return paths, f"c{columns - 1}", writes


def wide_attach(paths, last, runs, loops):
    results = {}
    results["colfile"] = median_time(lambda: colfile.open(paths["colfile"])[last][0], runs, loops)
    results["numpy"] = median_time(lambda: np.load(paths["npz"])[last][0], runs, loops)
    results["arrow"] = median_time(
        lambda: ipc.open_file(pa.memory_map(paths["arrow"])).get_batch(0).column(last)[0].as_py(), runs, loops)
    return results


def write_speeds(folder, rows, runs):
    values = np.arange(rows, dtype=np.float64) * 0.5
    table = pa.table({"x": values})
    nbytes = values.nbytes
    target = os.path.join(folder, "write")

    def fsynced(write):
        def body():
            write()
            descriptor = os.open(target, os.O_RDONLY)
            os.fsync(descriptor)
            os.close(descriptor)
        return body

    def np_save():
        with open(target, "wb") as handle:
            np.save(handle, values)

    def arrow_ipc():
        with ipc.new_file(target, table.schema) as writer:
            writer.write_table(table, max_chunksize=1 << 20)

    def feather_v2():
        feather.write_feather(table, target, compression="uncompressed")

    cases = [
        ("colfile.write(sync=False)", lambda: colfile.write(target, {"x": values}, sync=False)),
        ("np.save", np_save),
        ("pyarrow.ipc RecordBatch file", arrow_ipc),
        ("Feather v2 (uncompressed)", feather_v2),
        ("colfile.write(sync=True): fsync file + folder", lambda: colfile.write(target, {"x": values}, sync=True)),
        ("np.save + fsync", fsynced(np_save)),
        ("pyarrow.ipc + fsync", fsynced(arrow_ipc)),
        ("Feather v2 + fsync", fsynced(feather_v2)),
    ]
    results = []
    for label, body in cases:
        times = []
        for _ in range(runs):
            if os.path.exists(target):
                os.unlink(target)  # every writer writes a new file (removing the old one is not timed)
            os.sync()
            start = time.perf_counter()
            body()
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        results.append((label, nbytes / seconds / 1e9, seconds))
        os.unlink(target)
    return results, nbytes


def to_arrow_times(folder, runs):
    rows_list = [1_000, 100_000, 1_000_000, 10_000_000]
    results = []
    for rows in rows_list:
        path = os.path.join(folder, f"arrow-{rows}.col")
        offsets = pa.py_buffer((np.arange(rows + 1, dtype=np.int32) * 4).tobytes())
        strings = pa.Array.from_buffers(pa.string(), rows, [None, offsets, pa.py_buffer(b"abcd" * rows)])
        colfile.write(path, {"x": np.arange(rows, dtype=np.float64), "s": strings,
                             "flag": np.arange(rows) % 3 == 0,
                             "v": np.ma.MaskedArray(np.arange(rows, dtype=np.int32), mask=np.arange(rows) % 7 == 0)},
                      sync=False)
        reader = colfile.open(path)
        seconds = median_time(lambda: reader.to_arrow(), runs, 20)
        results.append((rows, seconds, os.path.getsize(path)))
        reader.close()
        os.unlink(path)
    return results


def _pss():
    with open("/proc/self/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


_worker = {}


def _init(barrier, warm):
    _worker["barrier"] = barrier
    float(np.sum(colfile.open(warm)["x"][:10]))
    _worker["baseline"] = _pss()


def _shared(path):
    reader = colfile.open(path)
    total = float(np.sum(reader["x"]))
    _worker["barrier"].wait(120)
    growth = _pss() - _worker["baseline"]
    _worker["barrier"].wait(120)
    return total, growth


def sharing(path, warm, nbytes):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    with context.Pool(4, initializer=_init, initargs=(barrier, warm)) as pool:
        results = pool.map(_shared, [path] * 4, chunksize=1)
    return sum(growth for _, growth in results) / nbytes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default="/var/tmp/colfile-pybench")
    parser.add_argument("--big-rows", type=int, default=200_000_000)
    parser.add_argument("--small-rows", type=int, default=1_250_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--wide-columns", type=int, default=10_000)
    parser.add_argument("--attach-only", action="store_true", help="stop after the attach tables")
    arguments = parser.parse_args()
    os.makedirs(arguments.dir, exist_ok=True)
    folder = arguments.dir
    runs = arguments.runs
    print(f"# Python package benchmark: {platform.python_version()}, numpy {np.__version__}, "
          f"pyarrow {pa.__version__}, colfile {colfile.__version__}, {os.cpu_count()} cores; "
          f"medians of {runs} runs, warm page cache\n")

    print("## Attach: open and read the first value\n")
    print("| file | colfile.open(p)['x'][0] | np.load(p, mmap_mode='r')[0] | pyarrow.ipc.open_file(memory_map(p)) first value | colfile ÷ NumPy |")
    print("|---|---|---|---|---|")
    sizes = {}
    for tag, rows in (("small", arguments.small_rows), ("big", arguments.big_rows)):
        paths, nbytes = make_files(folder, rows, tag)
        sizes[tag] = (paths, nbytes)
        for path in paths.values():  # warm: read each file once
            with open(path, "rb") as handle:
                while handle.read(64 << 20):
                    pass
        result = attach(paths, runs, 200)
        print(f"| {nbytes / 1e6:,.0f} MB Float64 | {fmt_us(result['colfile'])} | {fmt_us(result['numpy'])} | "
              f"{fmt_us(result['arrow'])} | {result['colfile'] / result['numpy']:.2f} |")

    columns = arguments.wide_columns
    print(f"\n## Wide attach: open and read the first value of the last of {columns:,} Int64 columns (200 rows)\n")
    print("| colfile.open(p)[last][0] | np.load(p.npz)[last][0] | pyarrow.ipc.open_file(memory_map(p)) first value "
          "of last | colfile ÷ NumPy | colfile ÷ Arrow |")
    print("|---|---|---|---|---|")
    wide, last, writes = make_wide_files(folder, columns, 200, max(3, runs // 2))
    result = wide_attach(wide, last, runs, 5)
    print(f"| {fmt_us(result['colfile'])} | {fmt_us(result['numpy'])} | {fmt_us(result['arrow'])} | "
          f"{result['colfile'] / result['numpy']:.3f} | {result['colfile'] / result['arrow']:.3f} |")
    print(f"\nWriting that table (page cache only), medians of {max(3, runs // 2)}:\n")
    print("| colfile.write | np.savez | pyarrow Table + IPC file | colfile ÷ NumPy | colfile ÷ Arrow |")
    print("|---|---|---|---|---|")
    print(f"| {writes['colfile'] * 1e3:.1f} ms | {writes['numpy'] * 1e3:.1f} ms | {writes['arrow'] * 1e3:.1f} ms | "
          f"{writes['colfile'] / writes['numpy']:.2f} | {writes['colfile'] / writes['arrow']:.2f} |")
    for path in wide.values():
        os.unlink(path)
    if arguments.attach_only:
        for tag in ("small", "big"):
            for path in sizes[tag][0].values():
                os.unlink(path)
        shutil.rmtree(folder, ignore_errors=True)
        return

    print("\n## Scan: np.sum\n")
    paths, nbytes = sizes["big"]
    view = colfile.open(paths["colfile"])["x"]
    memory = np.array(view)
    on_view = median_time(lambda: np.sum(view), runs)
    on_memory = median_time(lambda: np.sum(memory), runs)
    del memory, view  # the parent must not map the file during the sharing measurement
    print("| what | time | GB/s |\n|---|---|---|")
    print(f"| np.sum over the colfile view ({nbytes / 1e9:.1f} GB, mapped) | {on_view * 1e3:.0f} ms | "
          f"{nbytes / on_view / 1e9:.1f} |")
    print(f"| np.sum over an in-memory copy | {on_memory * 1e3:.0f} ms | {nbytes / on_memory / 1e9:.1f} |")

    print("\n## to_arrow: time against rows (4 columns: Float64, String, Bool, Int32 with nulls)\n")
    print("| rows | file | reader.to_arrow() |\n|---|---|---|")
    for rows, seconds, size in to_arrow_times(folder, runs):
        print(f"| {rows:,} | {size / 1e6:,.1f} MB | {fmt_us(seconds)} |")

    print("\n## Sharing: 4 spawned Pool workers each summing the big column\n")
    warm = os.path.join(folder, "warm.col")
    colfile.write(warm, {"x": np.arange(100.0)}, sync=False)
    ratio = sharing(paths["colfile"], warm, nbytes)
    print(f"Σ Pss growth ÷ bytes touched = {ratio:.3f}\n")

    for tag in ("small", "big"):
        for path in sizes[tag][0].values():
            os.unlink(path)

    print("## Write: one Float64 column\n")
    results, nbytes = write_speeds(folder, arguments.big_rows, max(3, runs // 2))
    print(f"{nbytes / 1e9:.1f} GB, medians of {max(3, runs // 2)} runs, same folder (ext4)\n")
    print("| writer | GB/s | time |\n|---|---|---|")
    for label, speed, seconds in results:
        print(f"| {label} | {speed:.2f} | {seconds:.2f} s |")
    os.unlink(warm)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
