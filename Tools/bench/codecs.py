"""Cold columns: colfile's codecs side by side with Arrow IPC zstd, on the same data, in one run.

Runs `colfile bench --codecs-only --json` (zlib, zstd at levels 1, 3 and 9 on three columns of
10 M rows: int = i % 1000, float = random doubles, text = "symbol-(i % 500) order (i % 7)"), then
Arrow IPC with zstd (record batches of 8,192 rows: 64 KiB of Float64) on the same three columns,
and prints one table per column and for the three together: compression ratio (stored / raw
bytes), decode speed on one thread and on every core, and one random row of the float column.
Decode speed counts every buffer of a column (validity, offsets, values) as raw bytes.

    swift build -c release
    pip install -r Tools/bench/requirements.txt
    python3 Tools/bench/codecs.py --colfile .build/release/colfile --dir /var/tmp/colfile-codecs --json codecs.json

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed from this process's environment, as
`peers.py` does (it re-executes itself without them).
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from peers import COLD_BATCH_ROWS, Figures, cold_table, drop, samples, write_arrow  # noqa: E402  (re-executes without OPENBLAS_*)

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.ipc as ipc  # noqa: E402

COLUMNS = ("int", "float", "text")
CODECS = (("zlib", "zlib 6, 64 KiB"), ("zstd1", "zstd 1"), ("zstd", "zstd 3 (default)"), ("zstd9", "zstd 9"))


def measure_arrow(rows, repetitions, folder):
    """Arrow IPC zstd: per column and together, ratio, decode on one thread and all, random row."""
    figures = Figures()
    table = cold_table(rows)
    paths = {}
    for name in COLUMNS + ("all",):
        part = table if name == "all" else table.select([name])
        path = f"{folder}/codecs-{name}.arrow"
        write_arrow(path, part, "zstd", COLD_BATCH_ROWS)
        paths[name] = (path, part.nbytes, os.path.getsize(path))
    del table
    one = ipc.IpcReadOptions(use_threads=False)
    every = ipc.IpcReadOptions(use_threads=True)
    for name, (path, raw, stored) in paths.items():
        suffix = "" if name == "all" else f"_{name}"
        figures.add(f"zstdCompressionRatio{suffix}", [stored / raw], lower_is_better=True)
        figures.rate(f"zstdDecodeMBps{suffix}",
                     samples(repetitions, lambda: ipc.open_file(pa.memory_map(path), options=one).read_all()), raw, 1e6)
        if name == "all":
            figures.rate("zstdDecodeParallelMBps",
                         samples(repetitions, lambda: ipc.open_file(pa.memory_map(path), options=every).read_all()),
                         raw, 1e6)
    reader = ipc.open_file(pa.memory_map(paths["float"][0]), options=one)
    rng = np.random.default_rng(1)

    def random_rows():
        for r in rng.integers(0, rows, 200):
            reader.get_batch(int(r) // COLD_BATCH_ROWS).column(0)[int(r) % COLD_BATCH_ROWS]
    figures.time("coldRandomRowMicros", samples(repetitions, random_rows), 1e6 / 200)
    for path, _, _ in paths.values():
        drop(path)
    return figures.values


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--colfile", default=os.path.join(HERE, "../../.build/release/colfile"))
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--dir", default="/var/tmp/colfile-codecs")
    parser.add_argument("--json", help="also write every figure to this JSON file")
    parser.add_argument("--keep-raw", action="store_true",
                        help="write the raw buffers (int, float, text_offsets, text_values .raw) to --dir for zstd-chunks.c")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    print(f"load average at start: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    run = subprocess.run([args.colfile, "bench", "--codecs-only", "--json", "--rows", str(args.rows),
                          "--repetitions", str(args.repetitions), "--dir", args.dir],
                         check=True, capture_output=True, text=True)
    mine = json.loads(run.stdout)
    arrow = measure_arrow(args.rows, args.repetitions, args.dir)
    if args.keep_raw:
        table = cold_table(args.rows)
        for name in ("int", "float"):
            np.asarray(table.column(name).combine_chunks()).tofile(f"{args.dir}/{name}.raw")
        text = table.column("text").combine_chunks().buffers()
        for name, buffer in (("text_offsets", text[1]), ("text_values", text[2])):
            with open(f"{args.dir}/{name}.raw", "wb") as f:
                f.write(buffer)
    print(f"load average at end: {os.getloadavg()[0]:.2f}", file=sys.stderr)

    def cell(value):
        return "—" if value is None else (f"{value:,.0f}" if value >= 100 else f"{value:.3g}")

    print(f"{args.rows:,} rows, medians of {args.repetitions} runs; ratio = stored / raw bytes, MB/s of raw bytes")
    header = "| column | figure | " + " | ".join(label for _, label in CODECS) + " | Arrow zstd | zstd / Arrow |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for column in COLUMNS + ("all",):
        suffix = "" if column == "all" else f"_{column}"
        for figure, label, higher in (("CompressionRatio", "ratio", False), ("DecodeMBps", "decode MB/s, 1 thread", True),
                                      ("DecodeParallelMBps", "decode MB/s, all cores", True)):
            if figure == "DecodeParallelMBps" and column != "all":
                continue
            values = [mine.get(f"{key}{figure}{suffix}") for key, _ in CODECS]
            theirs = arrow.get(f"zstd{figure}{suffix}", (None,))[0]
            default = mine.get(f"zstd{figure}{suffix}")
            ratio = None if theirs is None or default is None else (default / theirs if higher else theirs / default)
            print(f"| {column} | {label} | " + " | ".join(cell(v) for v in values)
                  + f" | {cell(theirs)} | {'—' if ratio is None else f'{ratio:.2f}'} |")
    print(f"| float | one random row, µs | {cell(mine.get('zlibRandomRowMicros'))} | — | "
          f"{cell(mine.get('coldRandomRowMicros'))} | — | {cell(arrow['coldRandomRowMicros'][0])} | "
          f"{arrow['coldRandomRowMicros'][0] / mine['coldRandomRowMicros']:.2f} |")
    print("| all | colfile decode / library call, 1 thread | "
          + " | ".join(cell(mine[f"{key}DecodeMBps"] / mine[f"{key}ReferenceMBps"]) for key, _ in CODECS) + " | — | — |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"colfile": mine, "arrow": {k: v[0] for k, v in arrow.items()}}, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
