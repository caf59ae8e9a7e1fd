#!/usr/bin/env python3
"""A dataset whose shards store string columns dictionary-encoded against the same dataset plain
(Specification.md §14.3): the NYC flights CSV imported twice with `--shard-rows 100000` (with and
without `--dictionary never`), then `ShardedDataset.to_arrow` of its four string columns: a first
read (open, the once-per-column checks, the table) and a repeated one (the table only: plain shards
give zero-copy views, encoded ones are decoded each time), 21 alternating pairs; and the encoded
dataset's repeated `to_arrow(dictionaries="keep")` (its dictionaries kept, indices widened to Int32).

    colfile import -q --shard-rows 100000 flights.csv fl-dict.ds
    colfile import -q --shard-rows 100000 --dictionary never flights.csv fl-plain.ds
    PYTHONPATH=python/src python3 Tools/bench/dataset-dictionary.py   # in the folder holding both
"""
import statistics
import time

import colfile

STRING_COLUMNS = ["carrier", "tailnum", "origin", "dest"]
PAIRS = 21


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def report(what: str, encoded: list, plain: list) -> None:
    ratios = [e / p for e, p in zip(encoded, plain)]
    print(f"{what}: encoded {statistics.median(encoded) * 1e3:.3f} ms, plain {statistics.median(plain) * 1e3:.3f} ms, "
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


if __name__ == "__main__":
    main()
