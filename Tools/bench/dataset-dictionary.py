#!/usr/bin/env python3
"""A dataset whose shards store string columns dictionary-encoded against the same dataset plain
(Specification.md §14.3): the NYC flights CSV imported twice with `--shard-rows 100000` (with and
without `--dictionary never`), then `ShardedDataset.to_arrow` of its four string columns: a first
read (open, the once-per-column checks, the table) and a repeated one (the table only: plain shards
give zero-copy views, encoded ones are decoded each time), 21 alternating pairs; and the encoded
dataset's repeated `to_arrow(dictionaries="keep")` (its dictionaries kept, indices widened to Int32).
With `--dask`, also `colfile.dask.read_dataset` of the string columns computed (the synchronous
scheduler: this process reads every shard) decoded and with `categories`, alternating: time and
the result's `memory_usage(deep=True)`.

    colfile import -q --shard-rows 100000 flights.csv fl-dict.ds
    colfile import -q --shard-rows 100000 --dictionary never flights.csv fl-plain.ds
    PYTHONPATH=python/src python3 Tools/bench/dataset-dictionary.py [--dask]   # in the folder holding both
"""
import statistics
import sys
import time

import colfile

STRING_COLUMNS = ["carrier", "tailnum", "origin", "dest"]
PAIRS = 21


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def report(what: str, encoded: list, plain: list, names=("encoded", "plain")) -> None:
    ratios = [e / p for e, p in zip(encoded, plain)]
    print(f"{what}: {names[0]} {statistics.median(encoded) * 1e3:.3f} ms, "
          f"{names[1]} {statistics.median(plain) * 1e3:.3f} ms, "
          f"ratio by pair {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})")


def main() -> None:
    held = {name: colfile.dataset(name) for name in ("fl-dict.ds", "fl-plain.ds")}
    for dataset in held.values():
        dataset.to_arrow(STRING_COLUMNS)  # the checks, once per column and reader
    first = {name: [] for name in held}
    again = {name: [] for name in held}
    kept = []
    for _ in range(PAIRS):
        for name, dataset in held.items():
            first[name].append(seconds(lambda: colfile.dataset(name).to_arrow(STRING_COLUMNS)))
            again[name].append(seconds(lambda: dataset.to_arrow(STRING_COLUMNS)))
        kept.append(seconds(lambda: held["fl-dict.ds"].to_arrow(STRING_COLUMNS, dictionaries="keep")))
    report("first read (open, checks, to_arrow)", first["fl-dict.ds"], first["fl-plain.ds"])
    report("again (to_arrow only)", again["fl-dict.ds"], again["fl-plain.ds"])
    report("again, encoded with dictionaries='keep' against plain", kept, again["fl-plain.ds"])
    table = held["fl-dict.ds"].to_arrow(STRING_COLUMNS)
    print("rows", table.num_rows, "types", [str(kind) for kind in table.schema.types])
    if "--dask" in sys.argv:
        dask_frames()


def dask_frames() -> None:
    """The encoded dataset's string columns through Dask, decoded against ``categories``: the
    partitions as the workers make them (``load_partition`` of every shard, in this process), and
    the whole frame computed (the synchronous scheduler, which then concatenates the partitions)."""
    import colfile.dask
    from colfile._shard_task import ShardTask

    dataset = colfile.ShardedDataset("fl-dict.ds")
    tasks = [ShardTask.of(dataset, shard) for shard in dataset.shards]
    schema = tuple(column for column in dataset.schema if column.name in STRING_COLUMNS)

    def partitions(categories):
        return [colfile.dask.load_partition(task, schema, {}, categories) for task in tasks]

    def compute(categories):
        frame = colfile.dask.read_dataset("fl-dict.ds", STRING_COLUMNS, categories=categories or None)
        return frame.compute(scheduler="sync")

    loads = {(): [], tuple(STRING_COLUMNS): []}
    computes = {(): [], tuple(STRING_COLUMNS): []}
    for _ in range(PAIRS):
        for categories in loads:
            loads[categories].append(seconds(lambda: partitions(categories)))
            computes[categories].append(seconds(lambda: compute(categories)))
    categorical = tuple(STRING_COLUMNS)
    report("dask partitions (load_partition of each shard)", loads[categorical], loads[()],
           names=("categories", "decoded"))
    report("dask compute to one frame", computes[categorical], computes[()], names=("categories", "decoded"))
    for name, categories in (("decoded", ()), ("categories", categorical)):
        frame = compute(categories)
        print(f"dask {name}: memory_usage(deep=True) {frame.memory_usage(deep=True).sum() / 1e6:.1f} MB, "
              f"dtypes {sorted(set(str(kind) for kind in frame.dtypes))}")

if __name__ == "__main__":
    main()
