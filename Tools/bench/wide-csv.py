#!/usr/bin/env python3
"""The wide and narrow CSV inputs of BENCHMARKS.md's "Wide tables and attach (issue #16)":

    python3 Tools/bench/wide-csv.py [--dir /tmp/wide2]

Writes, seeded (`random.seed(1)`, the same bytes every time), integers below 100,000 in every cell:
  * wide10k.csv: 10,000 columns × 200 rows (11.8 MB),
  * wide50k.csv: 50,000 columns × 40 rows (12.1 MB),
  * narrow.csv: 10 columns × 200,000 rows (11.8 MB), the same bytes in a narrow shape,
with a header row `c0,c1,…`. A file already there is written again.
"""
import argparse
import os
import random


def write(path: str, columns: int, rows: int) -> None:
    """Writes a CSV of `columns` × `rows` random integers below 100,000, with a header row."""
    with open(path, "w") as file:
        file.write(",".join(f"c{index}" for index in range(columns)) + "\n")
        for _ in range(rows):
            file.write(",".join(str(random.randrange(100_000)) for _ in range(columns)) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default="/tmp/wide2", help="the folder to write into (made if missing)")
    arguments = parser.parse_args()
    os.makedirs(arguments.dir, exist_ok=True)
    random.seed(1)
    for name, columns, rows in (("wide10k.csv", 10_000, 200), ("wide50k.csv", 50_000, 40), ("narrow.csv", 10, 200_000)):
        write(os.path.join(arguments.dir, name), columns, rows)
        print(os.path.join(arguments.dir, name))


if __name__ == "__main__":
    main()
