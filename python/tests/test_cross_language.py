"""Swift and Python on the same files: value for value both ways, one decode cache shared both ways,
the same inspect output, the same verdict on hostile files.

Needs the Swift binaries `colfile` and `colfile-fixture` ($COLFILE_BIN_DIR, else
`swift build --show-bin-path`); without them these tests fail, they never skip."""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap

import pytest

import colfile
from support import (FIXTURES, GOLDEN, assert_same, data_from_description, describe, random_description,
                     run_swift)

pa = pytest.importorskip("pyarrow")

ROW_COUNTS = [0, 1, 9, 257]


def _python_write(description, path, compress, chunk_size=4096, file_id=None):
    """Writes a JSON description with the Python writer; chunks of ``chunk_size`` for an explicit codec
    (None: the codec's default), the defaults for ``auto``."""
    data, column_metadata = data_from_description(description)
    colfile.write(path, data, metadata=description["metadata"], column_metadata=column_metadata,
                  compress=compress, chunk_size=chunk_size if compress in ("zlib", "zstd") else None,
                  file_id=file_id)


@pytest.mark.parametrize("rows", ROW_COUNTS)
@pytest.mark.parametrize("compress", [None, "zlib", "zstd", "auto"])
def test_python_writes_swift_reads_value_for_value(rows, compress, tmp_path):
    description = random_description(seed=1000 + rows, rows=rows)
    path = tmp_path / "python.col"
    _python_write(description, path, compress)
    verified = run_swift("colfile", "verify", path, check=False)
    assert verified.returncode == 0, verified.stderr
    dumped = run_swift("colfile-fixture", "dump", path, env={"COLFILE_CACHE_DIR": str(tmp_path / "cache")})
    assert_same(json.loads(dumped.stdout), description)
    reader = colfile.open(path)
    if compress in ("zlib", "zstd") and rows:
        # Dictionary-encoded columns are format 1.2 whatever the codec (§3, §6.4).
        dictionaries = any(column.get("dictionary") for column in description["columns"])
        assert reader.format_version == ("1.2" if dictionaries else {"zlib": "1.1", "zstd": "1.2"}[compress])
        assert {info.codec for info in reader.columns} == {compress}


@pytest.mark.parametrize("rows", ROW_COUNTS)
@pytest.mark.parametrize("options", [["--compress", "none"], ["--compress", "zlib", "--chunk-size", "4096"],
                                     ["--compress", "zstd", "--chunk-size", "4096"],
                                     ["--compress", "zstd", "--level", "19", "--streamed"],
                                     ["--compress", "auto", "--streamed"], ["--streamed"]])
def test_swift_writes_python_reads_value_for_value(rows, options, tmp_path):
    description = random_description(seed=2000 + rows, rows=rows)
    source = tmp_path / "table.json"
    source.write_text(json.dumps(description))
    path = tmp_path / "swift.col"
    run_swift("colfile-fixture", "write", source, path, *options)
    for policy in ("shared", "private"):
        with colfile.open(path, cold_columns=policy, cache_dir=str(tmp_path / "cache")) as reader:
            assert_same(describe(reader), description)
            reader.verify()
            reader.to_arrow().validate(full=True)


@pytest.mark.parametrize("compress, swift_options, python_options", [
    ("zlib", ["--chunk-size", "4096"], {"chunk_size": 4096}),
    ("zstd", ["--chunk-size", "4096"], {"chunk_size": 4096}),
    ("zstd", ["--level", "-3", "--chunk-size", "8192"], {"chunk_size": 8192, "compression_level": -3}),
    ("zstd", [], {}),  # each column's chunk size chosen from its sample (128 or 32 KiB)
    ("zstd", ["--level", "19"], {"compression_level": 19}),
    ("auto", [], {}),
])
def test_swift_and_python_write_the_same_bytes(compress, swift_options, python_options, tmp_path):
    """With the same file id, a table written by each writer is the same file, cold columns included
    (zstd frames from the same libzstd with the same parameters are the same bytes)."""
    _same_bytes(random_description(seed=5, rows=300), compress, swift_options, python_options, tmp_path)


@pytest.mark.parametrize("compress", ["zstd", "auto"])
def test_the_same_bytes_with_several_default_zstd_chunks(compress, tmp_path):
    """Columns of several 128 KiB and 32 KiB zstd chunks (the sizes each writer picks from a column's
    sample), and a column auto leaves plain."""
    rng = random.Random(8)
    rows = 50_000
    columns = [
        ("small", "Int64", [row % 100 for row in range(rows)]),  # compresses well: 128 KiB chunks
        ("noise", "Float64", [_random_float_text(rng) for _ in range(rows)]),  # not: 32 KiB, or plain for auto
        ("text", "String", [f"row {row % 1000}" for row in range(rows)]),
    ]
    description = {"rowCount": rows, "metadata": {}, "columns": [
        {"name": name, "physicalType": kind, "logicalType": "none", "shape": [], "nullCount": 0, "metadata": {},
         "values": values} for name, kind, values in columns]}
    reader = _same_bytes(description, compress, [], {}, tmp_path)
    chunks = {info.name: {(b.chunk_size, b.chunk_count) for b in info.buffers} for info in reader.columns}
    assert chunks["small"] == {(128 << 10, 4)}
    assert chunks["noise"] == ({(32 << 10, 13)} if compress == "zstd" else {(0, 0)})


def _random_float_text(rng):
    return repr(rng.uniform(-1e6, 1e6))


def _same_bytes(description, compress, swift_options, python_options, tmp_path):
    source = tmp_path / "table.json"
    source.write_text(json.dumps(description))
    swift_path = tmp_path / "swift.col"
    run_swift("colfile-fixture", "write", source, swift_path, "--compress", compress, *swift_options)
    python_path = tmp_path / "python.col"
    data, column_metadata = data_from_description(description)
    colfile.write(python_path, data, metadata=description["metadata"], column_metadata=column_metadata,
                  compress=compress, **python_options)
    swift_bytes, python_bytes = bytearray(swift_path.read_bytes()), bytearray(python_path.read_bytes())
    # The file ids are random: make them equal, and the header CRC with them.
    python_bytes[24:40] = swift_bytes[24:40]
    python_bytes[60:64] = swift_bytes[60:64]
    assert python_bytes == swift_bytes
    reader = colfile.open(python_path, cold_columns="refuse")
    if compress == "zstd":
        assert {info.codec for info in reader.columns} == {"zstd"} and reader.format_version == "1.2"
    return reader


def _entries(folder):
    return {name: (os.stat(folder / name).st_ino, os.stat(folder / name).st_mtime_ns)
            for name in sorted(os.listdir(folder))}


def _cold_names(fixture):
    return [info.name for info in colfile.open(FIXTURES / f"{fixture}.col", cold_columns="refuse").columns
            if info.is_compressed]


# dictionary.col's one cold column is dictionary-encoded: entry layout version 2 (§13.4).
@pytest.mark.parametrize("fixture", ["cold", "cold-zstd", "dictionary"])
def test_a_column_decoded_by_swift_is_mapped_by_python(fixture, tmp_path):
    cache = tmp_path / "cache"
    expected = json.loads((FIXTURES / f"{fixture}.json").read_text())
    swift = run_swift("colfile-fixture", "dump", FIXTURES / f"{fixture}.col", env={"COLFILE_CACHE_DIR": str(cache)})
    assert_same(json.loads(swift.stdout), expected)
    before = _entries(cache)
    cold = _cold_names(fixture)
    assert len(before) == len(cold) and all(name.endswith(".colcache") for name in before)
    with colfile.open(FIXTURES / f"{fixture}.col", cache_dir=str(cache)) as reader:
        assert_same(describe(reader), expected)
        assert {reader.cold_column_source(name) for name in cold} == {"mapped"}
    assert _entries(cache) == before  # same files (inode, mtime): mapped, not decoded again


@pytest.mark.parametrize("fixture", ["cold", "cold-zstd", "dictionary"])
def test_a_column_decoded_by_python_is_mapped_by_swift(fixture, tmp_path):
    cache = tmp_path / "cache"
    expected = json.loads((FIXTURES / f"{fixture}.json").read_text())
    with colfile.open(FIXTURES / f"{fixture}.col", cache_dir=str(cache)) as reader:
        assert_same(describe(reader), expected)
        cold = _cold_names(fixture)
        assert {reader.cold_column_source(name) for name in cold} == {"decoded"}
    before = _entries(cache)
    assert len(before) == len(cold) and not [name for name in before if name.endswith(".lock")]
    swift = run_swift("colfile-fixture", "dump", FIXTURES / f"{fixture}.col", env={"COLFILE_CACHE_DIR": str(cache)})
    assert_same(json.loads(swift.stdout), expected)
    assert _entries(cache) == before  # Swift trusted and mapped every entry: none was rewritten
    # And the entries are byte for byte what Swift writes itself.
    swift_cache = tmp_path / "swift-cache"
    run_swift("colfile-fixture", "dump", FIXTURES / f"{fixture}.col", env={"COLFILE_CACHE_DIR": str(swift_cache)})
    assert sorted(os.listdir(swift_cache)) == sorted(before)
    for name in before:
        assert (swift_cache / name).read_bytes() == (cache / name).read_bytes(), name
    listed = run_swift("colfile", "cache", "list", "--folder", cache).stdout
    assert all(name.removesuffix(".colcache") in listed for name in before)


def test_untrusted_entries_are_replaced_by_both(tmp_path):
    cache = tmp_path / "cache"
    with colfile.open(FIXTURES / "cold.col", cache_dir=str(cache)) as reader:
        reader["id"]
    entry = next(cache / name for name in os.listdir(cache))
    os.chmod(entry, 0o664)  # group-writable: never trusted
    old = os.stat(entry).st_ino
    with colfile.open(FIXTURES / "cold.col", cache_dir=str(cache)) as reader:
        assert reader["id"][0] == -1000 and reader.cold_column_source("id") == "decoded"
    assert os.stat(entry).st_ino != old and os.stat(entry).st_mode & 0o777 == 0o644
    os.chmod(entry, 0o664)
    old = os.stat(entry).st_ino
    run_swift("colfile-fixture", "dump", FIXTURES / "cold.col", env={"COLFILE_CACHE_DIR": str(cache)})
    assert os.stat(entry).st_ino != old
    data = bytearray(entry.read_bytes())
    data[4096] ^= 1  # a flipped decoded byte: the CRC check replaces the entry
    entry.write_bytes(data)
    colfile._cache.forget_checked_entries()
    with colfile.open(FIXTURES / "cold.col", cache_dir=str(cache)) as reader:
        assert reader["id"][0] == -1000 and reader.cold_column_source("id") == "decoded"


@pytest.mark.parametrize("name", GOLDEN)
def test_inspect_json_is_the_tools(name):
    path = str(FIXTURES / f"{name}.col")
    tool = json.loads(run_swift("colfile", "inspect", "--json", path).stdout)
    mine = colfile.open(path).inspect()
    for left, right in zip(tool["columns"], mine["columns"]):
        assert left.pop("compressionRatio") == pytest.approx(right.pop("compressionRatio"))
    assert mine == tool


def test_a_large_file_from_the_swift_tool(tmp_path):
    path = tmp_path / "demo.col"
    run_swift("colfile", "demo", "--output", path, "--rows", "200000", "--processes", "0")
    reader = colfile.open(path)
    assert reader.row_count == 200000
    reader.verify()
    table = reader.to_arrow()
    table.validate(full=True)
    for info in reader.columns:
        stats = reader[info.name]
        assert len(stats) == 200000


def test_the_tools_clean_removes_a_killed_python_writers_temporary(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, numpy as np, colfile
        with colfile.Writer(sys.argv[1], named_temporary=True) as writer:
            print("writing", flush=True)
            while True:
                writer.write_batch({"x": np.zeros(1 << 16)})
        """), str(tmp_path / "data.col")], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    leftovers = os.listdir(tmp_path)
    assert len(leftovers) == 1 and leftovers[0].startswith(f".data.col.colfile-tmp-{child.pid}-")
    run_swift("colfile", "clean", tmp_path)
    assert os.listdir(tmp_path) == []


def test_hostile_files_get_the_same_verdict_from_both(tmp_path):
    """A differential sweep: resealed random flips of the golden fixtures, `colfile verify` against
    open() + verify(): the same error text (or both accept). (`colfile verify` itself escapes control
    characters in names for the terminal; the fixture tool prints the library's description.)"""
    sys.path.insert(0, os.path.dirname(__file__))
    from sweep_child import cases
    rng = random.Random(11)
    disagreements = []
    checked = 0
    for fixture in GOLDEN:
        for mode in ("reseal", "flip"):
            for label, data in list(cases(mode, rng.randrange(1 << 30), 10, fixture)):
                path = tmp_path / "case.col"
                path.write_bytes(data)
                swift = run_swift("colfile-fixture", "verify", path, check=False,
                                  env={"COLFILE_CACHE_DIR": str(tmp_path / "cache")})
                try:
                    with colfile.open(path, cache_dir=str(tmp_path / "cache")) as reader:
                        reader.verify()
                    python = f"{path}: ok"
                except colfile.ColFileError as error:
                    python = str(error)
                swift_text = swift.stderr.strip() if swift.returncode else f"{path}: ok"
                checked += 1
                if swift_text != python:
                    disagreements.append((label, swift_text, python))
    assert checked >= 250
    assert disagreements == []
