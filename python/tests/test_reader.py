"""The reader's views: zero-copy, read-only, shaped, typed; lifetime; modes for cold columns."""

import gc
import os

import numpy as np
import pytest

import colfile
from support import FIXTURES, copy_fixture

pa = pytest.importorskip("pyarrow")


def _mapping_range(reader):
    """The address range of the reader's file mapping."""
    buffer = pa.py_buffer(reader._mm)
    return buffer.address, buffer.address + buffer.size


def _in(address_range, address):
    return address_range[0] <= address < address_range[1]


def _table_buffers(table):
    for column in table.columns:
        for chunk in column.chunks:
            array = chunk.storage if isinstance(chunk, pa.ExtensionArray) else chunk
            stack = [array]
            while stack:
                current = stack.pop()
                for buffer in current.buffers():
                    if buffer is not None and buffer.size > 0:
                        yield column, buffer
                if pa.types.is_fixed_size_list(current.type):
                    stack.append(current.values)


@pytest.mark.parametrize("name", ["nulls", "tensor", "strings", "binary", "temporal", "bool", "extremes"])
def test_to_arrow_buffers_point_into_the_mapping(name):
    reader = colfile.open(FIXTURES / f"{name}.col")
    table = reader.to_arrow()
    address_range = _mapping_range(reader)
    buffers = list(_table_buffers(table))
    assert buffers
    for column, buffer in buffers:
        assert _in(address_range, buffer.address) and buffer.address + buffer.size <= address_range[1], column
    table.validate(full=True)


def test_numpy_views_are_read_only_views_of_the_mapping():
    reader = colfile.open(FIXTURES / "nulls.col")
    address_range = _mapping_range(reader)
    for name in ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f16", "f32", "f64", "tensor", "date"]:
        view = reader[name]
        assert not view.flags.writeable, name
        assert _in(address_range, view.ctypes.data), name
        with pytest.raises(ValueError):
            view[0] = 1
    assert reader["f16"].dtype == np.float16
    assert reader["tensor"].shape == (9, 2)
    stamps = reader["timestamp"]
    assert stamps.dtype == np.dtype("datetime64[us]") and _in(address_range, stamps.ctypes.data)
    assert reader.info("timestamp").time_zone == "UTC"
    strings = reader["string"]
    assert _in(address_range, strings.data.ctypes.data) and _in(address_range, strings.offsets.ctypes.data)
    assert strings[1] is None and strings[2] == "" and strings[3] == "ü" and strings[-1] == "y"
    assert strings[0:3] == ["a", None, ""]
    assert reader.bitmap("string") is not None and _in(address_range, reader.bitmap("string").ctypes.data)


def test_nulls_through_masked_arrays_and_validity():
    reader = colfile.open(FIXTURES / "nulls.col")
    masked = reader.masked("i8")
    assert masked.tolist() == [1, None, 3, None, 5, 6, 7, 8, None]
    assert np.shares_memory(masked.data, reader["i8"]) or masked.data.ctypes.data == reader["i8"].ctypes.data
    tensor = reader.masked("tensor")
    assert tensor.mask.shape == (9, 2) and tensor.mask[1].all() and not tensor.mask[0].any()
    assert reader.masked("bool").tolist() == [True, None, False, True, None, False, True, False, None]
    assert reader.validity("i16").tolist() == [False] + [True] * 8
    spec = colfile.open(FIXTURES / "spec-example.col")
    assert spec.validity("id") is None and spec.masked("id").mask.sum() == 0
    with pytest.raises(colfile.ColFileError) as caught:
        spec.masked("name")
    assert caught.value.code == "typeMismatch"


def test_temporal_units_and_zones():
    reader = colfile.open(FIXTURES / "temporal.col")
    at = reader.info("at")
    assert (at.logical_type, at.time_unit, at.time_zone) == ("Timestamp(ms, Europe/Paris)", "ms", "Europe/Paris")
    assert reader["at"][1] == np.datetime64(1_700_000_000_000, "ms")
    assert reader["at_ns"][1] == np.datetime64(1_700_000_000_123_456_789, "ns")
    assert reader["day"].dtype == np.dtype("<i4") and reader.info("day").logical_type == "Date"
    table = reader.to_arrow()
    assert table.schema.field("at").type == pa.timestamp("ms", tz="Europe/Paris")
    assert table.schema.field("day").type == pa.date32()


def test_views_outlive_the_reader_and_the_file(tmp_path):
    path = copy_fixture("nulls", tmp_path)
    reader = colfile.open(path)
    view = reader["f64"]
    table = reader.to_arrow()
    reader.close()  # views still exist: the mapping stays until the last one goes
    assert reader.closed
    with pytest.raises(ValueError):
        reader["f64"]
    os.unlink(path)
    assert view.tolist()[:2] == [1.0, 2.0]
    assert table.column("string").to_pylist()[0] == "a"
    del view, table
    gc.collect()
    with colfile.open(FIXTURES / "spec-example.col") as reader:
        assert reader["id"].tolist() == [1, 2, 3]
    assert reader.closed and reader._mm.closed  # no view left: unmapped at once


def test_file_has_been_replaced(tmp_path):
    path = tmp_path / "data.col"
    colfile.write(path, {"x": np.arange(3)})
    reader = colfile.open(path)
    assert not reader.file_has_been_replaced()
    colfile.write(path, {"x": np.arange(4)})
    assert reader.file_has_been_replaced()
    assert reader["x"].tolist() == [0, 1, 2]  # the version it opened
    assert colfile.open(path)["x"].tolist() == [0, 1, 2, 3]
    os.unlink(path)
    assert reader.file_has_been_replaced()


def test_info_and_inspect():
    reader = colfile.open(FIXTURES / "cold.col", cold_columns="refuse")
    info = reader.info("label")
    assert info.codec == "zlib" and info.is_compressed and info.physical_type == "String"
    assert [b.role for b in info.buffers] == ["validity", "offsets", "values"]
    assert all(b.chunk_size == 4096 and b.chunk_count >= 1 for b in info.buffers)
    described = reader.inspect()
    assert described["formatVersion"] == "1.1" and described["rows"] == 1100
    assert described["metadata"] == {"kind": "cold columns"}
    assert [c["name"] for c in described["columns"]] == reader.names == ["id", "price", "label", "flag", "embedding"]
    assert "embedding" in reader and "nope" not in reader and list(reader) == reader.names
    assert "Float32" in repr(reader.info("embedding")) and "shape=(2,)" in repr(reader.info("embedding"))


@pytest.mark.parametrize("policy", ["shared", "private"])
def test_cold_columns_decode_to_the_same_values(policy):
    cold = colfile.open(FIXTURES / "cold.col", cold_columns=policy)
    assert cold["id"].tolist() == [row * 3 - 1000 for row in range(1100)]
    label = cold["label"]
    assert label[3] is None and label[20] == "é-20" and label[11] == "item-11"
    assert cold["embedding"].shape == (1100, 2)
    assert cold.cold_column_source("id") == ("decoded" if policy == "shared" else "private")
    assert cold.to_arrow().num_rows == 1100


def test_chunked_random_access_decodes_one_chunk():
    cold = colfile.open(FIXTURES / "cold.col", cold_columns="refuse")  # explicit chunk reads still decode
    ids = cold.chunked("id")
    assert ids[600] == 600 * 3 - 1000 and ids.chunks_decoded == 1
    assert ids[601] == 601 * 3 - 1000 and ids.chunks_decoded == 1  # same chunk, kept
    assert ids[-1] == 1099 * 3 - 1000
    label = cold.chunked("label")
    assert label[3] is None and label[20] == "é-20" and label[1099] == "item-1099"
    assert cold.chunked("flag")[3] is True and cold.chunked("flag")[4] is False
    embedding = cold.chunked("embedding")
    assert embedding[49] is None and embedding[2].tolist() == [2.0, -1.0]
    assert cold.cold_column_source("id") is None  # nothing decoded whole
    with pytest.raises(IndexError):
        ids[1100]


def test_dict_like_access():
    reader = colfile.open(FIXTURES / "metadata.col")
    assert reader.keys() == ["price", "label", "plain"]
    assert reader.metadata["unicode"] == "ünïcødé ✓ 日本"
    assert reader.info("price").metadata == {"unit": "EUR", "precision": "2"}
    assert reader.get("nope") is None
    assert len(reader) == 2 and reader.column_count == 3
    table = reader.to_arrow(["plain", "price"])
    assert table.column_names == ["plain", "price"]
    assert table.schema.field("price").metadata == {b"unit": b"EUR", b"precision": b"2"}
    assert table.schema.metadata[b"author"] == b"colfile tests"


def test_to_pandas_does_not_copy_numeric_columns(tmp_path):
    pd = pytest.importorskip("pandas")
    path = tmp_path / "numbers.col"
    colfile.write(path, {"x": np.arange(1000, dtype=np.float64), "y": np.arange(1000, dtype=np.int32),
                         "s": ["a"] * 1000})
    reader = colfile.open(path)
    frame = reader.to_pandas()
    address_range = _mapping_range(reader)
    for name in ("x", "y"):
        values = frame[name].to_numpy()
        assert _in(address_range, values.ctypes.data), name
    assert frame["s"].iloc[5] == "a"
    assert isinstance(frame, pd.DataFrame)


def test_offsets_are_checked_once_on_first_access(tmp_path):
    reader = colfile.open(FIXTURES / "broken" / "offsets-not-increasing.col")
    with pytest.raises(colfile.ColFileError) as caught:
        reader["name"]
    assert caught.value.code == "offsetsNotIncreasing"
    good = colfile.open(FIXTURES / "strings.col")
    good["text"]
    assert good._checked_offsets == {0}
