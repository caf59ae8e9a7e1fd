"""The writer: type mapping and refusals, compression, streaming with bounded memory, atomic publish."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import colfile
from support import assert_same, data_from_description, describe, random_description

pa = pytest.importorskip("pyarrow")


def _read(path, name):
    return colfile.open(path)[name]


def test_numpy_types_map_as_documented(tmp_path):
    path = tmp_path / "numpy.col"
    data = {
        "i8": np.array([-1, 2], np.int8), "i16": np.array([-1, 2], np.int16), "i32": np.array([-1, 2], np.int32),
        "i64": np.array([-1, 2], np.int64), "u8": np.array([1, 2], np.uint8), "u16": np.array([1, 2], np.uint16),
        "u32": np.array([1, 2], np.uint32), "u64": np.array([1, 2**64 - 1], np.uint64),
        "f16": np.array([0.5, -0.0], np.float16), "f32": np.array([1.5, np.inf], np.float32),
        "f64": np.array([np.nan, -0.0]), "big_endian": np.array([1.25, 2.5], ">f8"),
        "flag": np.array([True, False]), "ts": np.array([1, 2], "datetime64[ms]"),
        "day": np.array(["2024-01-01", "1969-12-31"], "datetime64[D]"), "text": np.array(["é", ""]),
        "obj": np.array(["a", None], object), "blob": [b"\x00", None], "nums": [1.5, None],
        "tensor": np.arange(12, dtype=np.float32).reshape(2, 2, 3),
        "masked": np.ma.MaskedArray([1, 2], mask=[True, False]),
    }
    colfile.write(path, data)
    reader = colfile.open(path)
    types = {info.name: (info.physical_type, info.logical_type, info.shape) for info in reader.columns}
    assert types == {
        "i8": ("Int8", "none", ()), "i16": ("Int16", "none", ()), "i32": ("Int32", "none", ()),
        "i64": ("Int64", "none", ()), "u8": ("UInt8", "none", ()), "u16": ("UInt16", "none", ()),
        "u32": ("UInt32", "none", ()), "u64": ("UInt64", "none", ()), "f16": ("Float16", "none", ()),
        "f32": ("Float32", "none", ()), "f64": ("Float64", "none", ()), "big_endian": ("Float64", "none", ()),
        "flag": ("Bool", "none", ()), "ts": ("Int64", "Timestamp(ms)", ()), "day": ("Int32", "Date", ()),
        "text": ("String", "none", ()), "obj": ("String", "none", ()), "blob": ("Binary", "none", ()),
        "nums": ("Float64", "none", ()), "tensor": ("Float32", "none", (2, 3)), "masked": ("Int64", "none", ()),
    }
    assert reader["u64"].tolist() == [1, 2**64 - 1]
    assert np.signbit(reader["f16"][1]) and np.isnan(reader["f64"][0]) and np.signbit(reader["f64"][1])
    assert reader["big_endian"].tolist() == [1.25, 2.5]
    assert reader["day"].tolist() == [19723, -1]
    assert reader["ts"].tolist() == data["ts"].tolist()
    assert reader["obj"].to_pylist() == ["a", None] and reader["blob"].to_pylist() == [b"\x00", None]
    assert reader.masked("nums").tolist() == [1.5, None]
    assert reader["tensor"].tolist() == data["tensor"].tolist()
    assert reader.masked("masked").tolist() == [None, 2] and reader["masked"][0] == 0  # nulls store zeros
    assert reader.format_version == "1.0"


def test_arrow_types_map_as_documented(tmp_path):
    path = tmp_path / "arrow.col"
    tensor_type = pa.fixed_shape_tensor(pa.float64(), [2, 2])
    storage = pa.array([[1, 2, 3, 4], None], pa.list_(pa.float64(), 4))
    table = pa.table({
        "i": pa.array([1, None], pa.int16()), "h": pa.array(np.array([1, 2], np.float16)),
        "b": pa.array([True, None]), "s": pa.array(["x", None], pa.large_string()),
        "bin": pa.array([b"", None], pa.large_binary()), "ts": pa.array([1, None], pa.timestamp("ns", "Asia/Tokyo")),
        "d": pa.array([1, None], pa.date32()), "fsl": pa.array([[1, 2], None], pa.list_(pa.int32(), 2)),
        "nested": pa.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], pa.list_(pa.list_(pa.uint8(), 2), 2)),
        "tensor": pa.ExtensionArray.from_storage(tensor_type, storage),
    })
    colfile.write(path, table)
    reader = colfile.open(path)
    types = {info.name: (info.physical_type, info.logical_type, info.shape) for info in reader.columns}
    assert types == {"i": ("Int16", "none", ()), "h": ("Float16", "none", ()), "b": ("Bool", "none", ()),
                     "s": ("String", "none", ()), "bin": ("Binary", "none", ()),
                     "ts": ("Int64", "Timestamp(ns, Asia/Tokyo)", ()), "d": ("Int32", "Date", ()),
                     "fsl": ("Int32", "none", (2,)), "nested": ("UInt8", "none", (2, 2)),
                     "tensor": ("Float64", "none", (2, 2))}
    back = reader.to_arrow()
    assert back.column("ts").to_pylist() == table.column("ts").to_pylist()
    assert back.column("s").to_pylist() == ["x", None]
    assert reader.masked("tensor")[0].tolist() == [[1, 2], [3, 4]] and reader.masked("tensor").mask[1].all()
    assert reader["nested"].tolist() == [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]
    sliced = table.slice(1, 1)
    colfile.write(tmp_path / "sliced.col", sliced)
    assert colfile.open(tmp_path / "sliced.col")["nested"].tolist() == [[[5, 6], [7, 8]]]


@pytest.mark.parametrize("array", [
    pa.array([True, False]).dictionary_encode(), pa.array([1, 2], pa.date64()), pa.array([1, 2], pa.time32("s")),
    pa.array([1, 2], pa.duration("s")), pa.array([1, 2], pa.decimal128(5, 2)), pa.array([[1], [2, 3]]),
    pa.array([{"a": 1}, {"a": 2}]), pa.array([None, None], pa.null()), pa.array([b"ab", b"cd"], pa.binary(2)),
    pa.array([["a", "b"], ["c", "d"]], pa.list_(pa.string(), 2)), pa.array([[1, None], [3, 4]], pa.list_(pa.int8(), 2)),
], ids=lambda array: str(array.type))
def test_arrow_types_without_a_colfile_type_are_refused_naming_the_column(array, tmp_path):
    path = tmp_path / "refused.col"
    colfile.write(path, {"fine": pa.array([1, 2])})
    before = path.read_bytes()
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.write(path, {"fine": pa.array([1, 2]), "bad": array})
    assert caught.value.code == "invalidArgument" and caught.value.column == "bad"
    assert path.read_bytes() == before  # the previous file is untouched
    assert [name for name in os.listdir(tmp_path) if name != "refused.col"] == []


@pytest.mark.parametrize("value,message", [
    (np.array([1 + 2j, 3j]), "NumPy dtype complex128 has no colfile type"),
    (np.array([b"a", b"b"]), "NumPy bytes_ ('S') arrays drop trailing zero bytes"),
    (np.array([1, 2], "timedelta64[s]"), "NumPy dtype timedelta64[s] has no colfile type"),
    (np.array(["2024-01-01"], "datetime64[h]"), "has no colfile type"),
    ([1, "a"], "a list mixing text, bytes and numbers has no colfile type"),
    ([None, None], "a column of only None values has no type"),
    (np.array(5), "a column needs one value per row, not a scalar"),
    (np.array([["a"]]), "cannot be a tensor column"),
    (np.ma.MaskedArray(np.zeros((2, 2)), mask=[[True, False], [False, False]]), "masked whole"),
])
def test_numpy_values_without_a_colfile_type_are_refused(value, message, tmp_path):
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.write(tmp_path / "x.col", {"bad": value})
    assert caught.value.code == "invalidArgument" and caught.value.column == "bad"
    assert message in str(caught.value)


def test_argument_errors(tmp_path):
    path = tmp_path / "x.col"
    with pytest.raises(colfile.ColFileError, match="every column must have the same number of rows"):
        colfile.write(path, {"a": np.arange(2), "b": np.arange(3)})
    with pytest.raises(colfile.ColFileError, match="column names must be 1 to 1024 bytes"):
        colfile.write(path, {"": np.arange(2)})
    with pytest.raises(colfile.ColFileError, match="metadata keys must be 1 to 1024 bytes"):
        colfile.write(path, {"a": np.arange(2)}, metadata={"": "x"})
    with pytest.raises(colfile.ColFileError, match="compress must be"):
        colfile.write(path, {"a": np.arange(2)}, compress="lz4")
    with pytest.raises(colfile.ColFileError, match="a file id must be 16 bytes"):
        colfile.write(path, {"a": np.arange(2)}, file_id=b"x")
    with pytest.raises(colfile.ColFileError, match="chunk sizes are multiples of 64"):
        colfile.write(path, {"a": np.arange(2)}, compress="zlib", chunk_size=1000)
    assert not path.exists()


def test_a_name_given_twice_is_refused_after_its_first_column_was_written(tmp_path):
    """A table naming a column twice (Arrow allows it): ``write`` finishes each column before it
    declares the next, so the second ``a`` meets the first among the finished columns."""
    pa = pytest.importorskip("pyarrow")
    path = tmp_path / "x.col"
    table = pa.table([pa.array([1, 2]), pa.array([3, 4]), pa.array([5, 6])], names=["a", "b", "a"])
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.write(path, table)
    assert str(caught.value) == f"{path}: column 'a': a column of this name was already added"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("options, message", [
    ({"compress": "zlib", "compression_level": 10}, "zlib levels are 0 to 9"),
    ({"compress": "zstd", "compression_level": 0}, "zstd levels are -7 to 22, not 0"),
    ({"compress": "zstd", "compression_level": 23}, "zstd levels are -7 to 22, not 0"),
    ({"compress": {"a": "zstd", "b": "zlib"}, "compression_level": 12}, "column 'b': zlib levels are 0 to 9"),
    ({"compress": "auto", "compression_level": 3}, "auto compression chooses its codec, level and chunk size"),
    ({"compress": "auto", "chunk_size": 4096}, "auto compression chooses its codec, level and chunk size"),
    ({"compress": {"a": "lz4"}}, "compress must be None, 'none', 'zstd', 'zlib', 'auto'"),
])
def test_compression_arguments_are_checked(options, message, tmp_path):
    path = tmp_path / "x.col"
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.write(path, {"a": np.arange(2), "b": np.arange(2)}, **options)
    assert caught.value.code == "invalidArgument" and message in str(caught.value)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/Port-au-Prince", "Etc/GMT+5",
                                  "America/Argentina/Buenos_Aires", "+01:00", "-09:30", "+23:59", "-00:00"])
def test_valid_time_zones_round_trip(zone, tmp_path):
    path = tmp_path / "z.col"
    colfile.write(path, {"at": pa.array([1, 2], pa.timestamp("ms", tz=zone))})
    info = colfile.open(path).info("at")
    assert info.time_zone == zone and info.logical_type == f"Timestamp(ms, {zone})"


@pytest.mark.parametrize("zone", ["Europe Paris", "/UTC", "UTC/", "Europe//Paris", "1Zone", "+24:00", "+01:60", "+1:00",
                                  "01:00", "Zürich", "UTC\0"])
def test_invalid_time_zones_are_refused_by_the_writer(zone, tmp_path):
    """The Swift writer's refusals (TimeZoneTests): Specification.md §6.2 allows ±HH:MM or an IANA-style name."""
    path = tmp_path / "z.col"
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.write(path, {"at": pa.array([1], pa.timestamp("s", tz=zone))})
    assert caught.value.code == "invalidArgument" and caught.value.column == "at"
    assert caught.value.detail == (f"column 'at': time zones are offsets like +01:00 or zone names like "
                                   f"Europe/Paris, not '{zone}'")
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.Writer(path, {"at": f"Timestamp(s, {zone})"})
    assert caught.value.code == "invalidArgument"
    assert os.listdir(tmp_path) == []


def test_pandas_frames(tmp_path):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"x": [1.5, 2.5, None], "n": pd.array([1, None, 3], "Int64"), "s": ["a", None, "c"],
                          "t": pd.to_datetime(["2024-01-01", None, "2024-01-03"]).tz_localize("UTC")})
    path = tmp_path / "frame.col"
    colfile.write(path, frame)
    reader = colfile.open(path)
    assert reader.info("t").logical_type == f"Timestamp({frame['t'].dtype.unit}, UTC)"
    assert reader.masked("n").tolist() == [1, None, 3]
    back = reader.to_pandas()
    assert back["s"].tolist()[0] == "a" and pd.isna(back["s"].tolist()[1])
    assert back["x"].tolist()[:2] == [1.5, 2.5]
    with pytest.raises(colfile.ColFileError, match="reset_index"):
        colfile.write(path, frame.set_index("s"))


def test_compression_choices(tmp_path):
    rng = np.random.default_rng(0)
    data = {"random": rng.random(100_000), "small": np.arange(100_000) % 7, "text": ["abc"] * 100_000}
    path = tmp_path / "auto.col"
    colfile.write(path, data, compress="auto")
    reader = colfile.open(path)
    assert [info.codec for info in reader.columns] == ["none", "zstd", "zstd"]  # random doubles do not pay
    assert reader.format_version == "1.2"
    assert reader.info("small").buffers[0].chunk_size == 128 << 10  # the Swift writer's zstd chunk size
    assert reader["small"].tolist() == data["small"].tolist()
    colfile.write(path, data, compress={"random": "zlib"})
    reader = colfile.open(path)
    assert [info.codec for info in reader.columns] == ["zlib", "none", "none"]
    assert reader.info("random").buffers[0].chunk_size == 65536  # the Swift writer's zlib chunk size
    assert reader.format_version == "1.1"
    assert np.array_equal(reader["random"], data["random"])
    colfile.write(path, data, compress={"random": "zstd", "small": "zstd", "text": "zlib"})
    reader = colfile.open(path)
    assert [info.codec for info in reader.columns] == ["zstd", "zstd", "zlib"]
    assert reader.format_version == "1.2"  # the highest feature any column uses
    # zstd's chunk size follows the sample: 32 KiB for near-random data, 128 KiB otherwise.
    assert [reader.info(name).buffers[0].chunk_size for name in ("random", "small")] == [32 << 10, 128 << 10]
    assert np.array_equal(reader["random"], data["random"]) and reader["text"][5] == "abc"
    colfile.write(path, data, compress="zstd", compression_level=19, chunk_size=8192)
    reader = colfile.open(path)
    assert {b.chunk_size for info in reader.columns for b in info.buffers} == {8192}
    assert reader["small"].tolist() == data["small"].tolist()
    colfile.write(path, data, compress=None)
    assert colfile.open(path).format_version == "1.0"


@pytest.mark.parametrize("compress", [None, "zlib", "zstd", "auto"])
def test_streamed_batches_give_the_same_file_as_one_write(compress, tmp_path):
    description = random_description(seed=7, rows=203)
    data, column_metadata = data_from_description(description)
    whole = tmp_path / "whole.col"
    colfile.write(whole, data, metadata=description["metadata"], column_metadata=column_metadata,
                  file_id=bytes(16), compress=compress)
    streamed = tmp_path / "streamed.col"
    table = colfile.open(whole).to_arrow()
    with colfile.Writer(streamed, table.schema, metadata=description["metadata"], column_metadata=column_metadata,
                        file_id=bytes(16), compress=compress) as writer:
        for start in (0, 5, 13, 100, 101):  # batch boundaries off the bitmaps' bytes
            end = {0: 5, 5: 13, 13: 100, 100: 101, 101: 203}[start]
            writer.write_batch(table.slice(start, end - start))
    assert streamed.read_bytes() == whole.read_bytes()
    assert_same(describe(colfile.open(whole)), description)


def test_writer_schema_checks(tmp_path):
    path = tmp_path / "s.col"
    writer = colfile.Writer(path, {"x": "Float64", "name": "String", "when": "Timestamp(ms, UTC)",
                                   "emb": ("Float32", [4])})
    with pytest.raises(colfile.ColFileError, match="the values have another type than the column"):
        writer.write_batch({"x": np.arange(2), "name": ["a", "b"], "when": np.zeros(2, "datetime64[ms]"),
                            "emb": np.zeros((2, 4), np.float32)})
    with pytest.raises(colfile.ColFileError, match="the batch has no values for this column"):
        writer.write_batch({"x": np.zeros(2)})
    writer.write_batch({"x": [1.0, None], "name": ["a", None],
                        "when": pa.array([1, 2], pa.timestamp("ms", "UTC")), "emb": np.ones((2, 4), np.float32)})
    writer.close()
    reader = colfile.open(path)
    assert reader.masked("x").tolist() == [1.0, None] and reader.info("when").time_zone == "UTC"
    empty = tmp_path / "empty.col"
    colfile.Writer(empty, {"a": "Int8", "b": "Binary"}).close()
    assert colfile.open(empty).row_count == 0 and colfile.open(empty).names == ["a", "b"]


def test_large_forms_are_chosen_by_size(tmp_path, monkeypatch):
    import colfile._writer as writer_module
    monkeypatch.setattr(writer_module, "INT32_MAX", 10)  # as if 10 bytes were 2 GiB
    path = tmp_path / "large.col"
    colfile.write(path, {"s": ["hello", "world", "!"], "t": ["short", None, ""], "b": [b"0123456789ab"]*3})
    reader = colfile.open(path)
    assert [info.physical_type for info in reader.columns] == ["LargeString", "String", "LargeBinary"]
    assert reader["s"].to_pylist() == ["hello", "world", "!"] and reader["s"].offsets.dtype == np.dtype("<i8")
    assert reader.to_arrow().schema.field("s").type == pa.large_string()


_STREAMING_CHILD = textwrap.dedent("""
    import sys, numpy as np, pyarrow as pa, colfile
    rows, batches = 1 << 19, int(sys.argv[2])
    offsets = pa.py_buffer((np.arange(rows + 1, dtype=np.int32) * 8).tobytes())
    strings = pa.Array.from_buffers(pa.string(), rows, [None, offsets, pa.py_buffer(b"abcdefgh" * rows)])
    with colfile.Writer(sys.argv[1], sync=False) as writer:
        for batch in range(batches):
            writer.write_batch({"x": np.full(rows, batch, np.float64), "y": np.arange(rows, dtype=np.int32),
                                "s": strings})
    # VmHWM: this process image's peak RSS (ru_maxrss would carry the parent's over fork and exec).
    print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
""")


def test_streaming_memory_stays_bounded(tmp_path):
    """A 1.2 GB table written in 100 batches: the writer's peak RSS stays far below the table's size."""
    path = tmp_path / "big.col"
    result = subprocess.run([sys.executable, "-c", _STREAMING_CHILD, str(path), "100"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    peak = int(result.stdout) * 1024
    size = path.stat().st_size
    assert size > 1_000_000_000
    assert peak < 300 << 20, f"peak RSS {peak >> 20} MiB for a {size >> 20} MiB file"
    reader = colfile.open(path)
    assert reader.row_count == 100 << 19 and reader["x"][-1] == 99 and reader["s"][12345] == "abcdefgh"
    path.unlink()


_WIDE_CHILD = textwrap.dedent("""
    import resource, sys, numpy as np, colfile
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
    columns = int(sys.argv[2])
    with colfile.Writer(sys.argv[1], sync=False) as writer:
        for batch in range(3):
            writer.write_batch({f"c{column}": np.full(2, column * 10 + batch, np.int32) if column % 2
                                else [f"{column}-{batch}", None] for column in range(columns)})
""")


def test_a_wide_table_is_written_under_a_low_open_file_limit(tmp_path):
    """10,000 streamed columns under RLIMIT_NOFILE 64: the writer's buffers share one scratch file."""
    path = tmp_path / "wide.col"
    columns = 10_000
    result = subprocess.run([sys.executable, "-c", _WIDE_CHILD, str(path), str(columns)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    reader = colfile.open(path)
    assert reader.row_count == 6 and len(reader.columns) == columns
    assert reader["c9999"].tolist() == [99990, 99990, 99991, 99991, 99992, 99992]
    assert reader["c4000"].to_pylist() == ["4000-0", None, "4000-1", None, "4000-2", None]
    path.unlink()


_KILLED_CHILD = textwrap.dedent("""
    import sys, numpy as np, colfile
    named = sys.argv[2] == "named"
    with colfile.Writer(sys.argv[1], named_temporary=named) as writer:
        print("writing", flush=True)
        while True:
            writer.write_batch({"x": np.zeros(1 << 20)})
""")


@pytest.mark.parametrize("temporary", ["unnamed", "named"])
def test_a_killed_writer_leaves_the_previous_file(temporary, tmp_path):
    path = tmp_path / "data.col"
    colfile.write(path, {"x": np.arange(5.0)})
    before = path.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", _KILLED_CHILD, str(path), temporary], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "writing"
    time.sleep(0.5)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert path.read_bytes() == before
    assert colfile.open(path)["x"].tolist() == [0, 1, 2, 3, 4]
    leftovers = [name for name in os.listdir(tmp_path) if name != "data.col"]
    if temporary == "unnamed":
        assert leftovers == []  # O_TMPFILE: nothing left behind
    else:
        assert len(leftovers) == 1 and leftovers[0].startswith(f".data.col.colfile-tmp-{child.pid}-")


def test_publish_is_atomic_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "data.col"
    for version in range(3):
        colfile.write(path, {"v": np.full(10, version)}, sync=version == 1, named_temporary=version == 2)
        assert colfile.open(path)["v"][0] == version
    assert os.listdir(tmp_path) == ["data.col"]
    assert oct(path.stat().st_mode & 0o777) == "0o644"
