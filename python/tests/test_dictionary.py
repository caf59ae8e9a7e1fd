"""Dictionary-encoded columns (Specification.md §6.4) in Python: zero-copy views, Arrow and pandas,
random access, the once-per-column checks, and the writer's inputs and refusals."""

import numpy as np
import pytest

import colfile
from support import FIXTURES

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

GOLDEN = FIXTURES / "dictionary.col"


def test_views_are_zero_copy_reads_of_the_mapping():
    reader = colfile.open(GOLDEN)
    carrier = reader["carrier"]
    assert isinstance(carrier, colfile.DictColumn) and reader.column("carrier").info == carrier.info
    assert carrier.codes.dtype == np.dtype("<i1") and not carrier.codes.flags.writeable
    assert carrier.codes.tolist() == [0, 1, -1, 0, 2, 1, 0, -1, 3, 0]
    assert carrier.categories.to_pylist() == ["UA", "AA", "B6", "DL"]
    assert carrier.to_pylist() == ["UA", "AA", None, "UA", "B6", "AA", "UA", None, "DL", "UA"]
    assert carrier.info.dictionary == colfile.DictionaryInfo("Int8", "String", 4)
    assert carrier.info.dtype is None and carrier.info.value_type == "String"
    price = reader["price"]
    assert price.codes.dtype == np.dtype("<i4") and not price.categories.flags.writeable
    # The indices' and the dictionary's buffers are the bytes in the file.
    located = {b.role: b.offset for b in carrier.info.buffers}
    address = np.frombuffer(reader._mm, np.uint8).ctypes.data
    assert carrier.codes.ctypes.data == address + located["values"]
    assert carrier.categories.data.ctypes.data == address + located["dictionary values"]


def test_arrow_dictionary_array_points_into_the_mapping():
    reader = colfile.open(GOLDEN)
    array = reader.to_arrow(["carrier"]).column(0).chunk(0)
    assert isinstance(array, pa.DictionaryArray) and array.type.index_type == pa.int8()
    assert array.indices.buffers()[1].address == reader["carrier"].codes.ctypes.data
    assert array.dictionary.buffers()[2].address == reader["carrier"].categories.data.ctypes.data
    array.validate(full=True)
    assert array.to_pylist() == reader["carrier"].to_pylist()
    day = reader.to_arrow(["day"]).column(0).chunk(0)
    assert day.type == pa.dictionary(pa.int8(), pa.date32())


def test_pandas_categorical_keeps_the_codes():
    reader = colfile.open(GOLDEN)
    categorical = reader["carrier"].to_pandas()
    assert isinstance(categorical, pd.Categorical)
    assert np.shares_memory(categorical.codes, reader["carrier"].codes)
    assert list(categorical.categories) == ["UA", "AA", "B6", "DL"]
    frame = reader.to_pandas(["carrier", "price", "plain"])
    assert frame["carrier"].dtype == "category" and frame["carrier"].isna().sum() == 2
    assert np.shares_memory(frame["carrier"].array.codes, reader["carrier"].codes)
    assert np.shares_memory(frame["plain"].to_numpy(), reader["plain"])
    # NaN and -0.0 beside each other cannot be pandas categories: the values instead.
    assert frame["price"].dtype == np.float64


@pytest.mark.parametrize("policy", ["shared", "private"])
def test_cold_dictionary_column_decodes_through_the_cache(policy, tmp_path):
    reader = colfile.open(GOLDEN, cold_columns=policy, cache_dir=str(tmp_path))
    city = reader["city-zstd"]
    assert city.info.codec == "zstd"
    assert city.to_pylist() == ["Paris", "Zürich", None, "Lagos"] * 2 + ["Paris", "Zürich"]
    entries = [name for name in (tmp_path.iterdir() if tmp_path.exists() else []) if name.suffix == ".colcache"]
    assert len(entries) == (1 if policy == "shared" else 0)
    if entries:
        header = entries[0].read_bytes()[:16]
        assert header[:8] == b"COLFDCOL" and int.from_bytes(header[8:12], "little") == 2  # layout version 2


def test_random_access_checks_the_row_it_reads():
    reader = colfile.open(GOLDEN, cold_columns="refuse")
    chunked = reader.chunked("city-zstd")
    assert [chunked[row] for row in range(4)] == ["Paris", "Zürich", None, "Lagos"]
    assert chunked.dictionary_index(3) == 2 and chunked.dictionary_index(2) is None
    assert chunked.value_bytes(1) == "Zürich".encode()


def test_index_past_the_dictionary_fails_before_any_value(tmp_path):
    path = str(FIXTURES / "broken" / "dictionary-index-past-end.col")
    reader = colfile.open(path)
    for read in (lambda: reader[reader.columns[0].name], reader.to_arrow, reader.verify):
        with pytest.raises(colfile.ColFileError) as caught:
            read()
        assert caught.value.code == "badDictionaryIndex"


@pytest.mark.parametrize("compress", [None, "zstd"])
def test_written_inputs_read_back(compress, tmp_path):
    path = tmp_path / "d.col"
    table = {
        "explicit": colfile.DictionaryEncoded([0, 1, None, 1], ["x", "y"]),
        "encoded": colfile.DictionaryEncoded.encode(["b", "a", "b", None]),
        "arrow": pa.array(["p", None, "q", "p"]).dictionary_encode(),
        "pandas": pd.Categorical(["u", "v", None, "u"]),
        "floats": colfile.DictionaryEncoded(np.ma.MaskedArray([1, 0, 0, 1], mask=[0, 0, 1, 0]),
                                            np.array([2.5, -1.0]), index_type="Int16"),
        "dates": colfile.DictionaryEncoded([0, 0, 0, 0], np.array(["2024-01-02"], "datetime64[D]")),
    }
    colfile.write(path, table, compress=compress)
    reader = colfile.open(path, cache_dir=str(tmp_path / "cache"))
    assert reader.format_version == "1.2"
    assert reader["explicit"].to_pylist() == ["x", "y", None, "y"]
    assert reader["encoded"].categories.to_pylist() == ["b", "a"]
    assert reader["arrow"].info.dictionary.index_type == "Int32"  # the Arrow array's index type is kept
    assert reader["arrow"].codes.tolist() == [0, -1, 1, 0]  # a null row's index is -1, whatever Arrow held
    assert reader["pandas"].info.dictionary.index_type == "Int8"
    assert reader["floats"].to_pylist() == [-1.0, 2.5, None, -1.0]
    assert reader["dates"].info.logical_type == "Date"
    reader.verify()


def test_batches_with_different_dictionaries_are_joined(tmp_path):
    path = tmp_path / "batches.col"
    with colfile.Writer(path) as writer:
        writer.write_batch({"c": pa.array(["a", "b", None]).dictionary_encode()})
        writer.write_batch({"c": pa.array(["c", "a"]).dictionary_encode()})
    column = colfile.open(path)["c"]
    assert column.categories.to_pylist() == ["a", "b", "c"]
    assert column.to_pylist() == ["a", "b", None, "c", "a"]


@pytest.mark.parametrize("value, message", [
    (colfile.DictionaryEncoded([0, 2], ["a", "b"]), "the index of row 1 is outside the dictionary (expected 0 to 1, found 2)"),
    (colfile.DictionaryEncoded([0], ["a", None]), "a dictionary cannot hold nulls"),
    (colfile.DictionaryEncoded([0], [True, False]), "a dictionary cannot hold Bool values"),
    (colfile.DictionaryEncoded([0], ["a"], index_type="Int64"), "dictionary indices are Int8, Int16 or Int32"),
    (colfile.DictionaryEncoded(list(range(129)), [str(i) for i in range(129)], index_type="Int8"),
     "Int8 indices address at most 128 entries"),
])
def test_writer_refusals(value, message, tmp_path):
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.write(tmp_path / "x.col", {"c": value})
    assert caught.value.code == "invalidArgument" and caught.value.column == "c"
    assert message in str(caught.value)


def test_a_writer_schema_declares_dictionary_columns(tmp_path):
    path = tmp_path / "schema.col"
    schema = pa.schema([("c", pa.dictionary(pa.int16(), pa.string()))])
    with colfile.Writer(path, schema) as writer:
        writer.write_batch(pa.table({"c": pa.array(["x", None, "y"]).dictionary_encode()}))
        with pytest.raises(colfile.ColFileError) as caught:
            writer.write_batch({"c": ["plain", "strings", "refused"]})
        assert "expected Dictionary(String), found String" in str(caught.value)
    column = colfile.open(path)["c"]
    assert column.to_pylist() == ["x", None, "y"] and column.info.dictionary.index_type == "Int16"  # the schema's


def test_timestamp_unsigned_and_float16_dictionaries(tmp_path):
    path = tmp_path / "kinds.col"
    colfile.write(path, {
        "t": pa.array([1, 2, 1, None], pa.timestamp("ms", tz="UTC")).dictionary_encode(),
        "u": pa.array([3, 4, 3, 3], pa.uint64()).dictionary_encode(),
        "h": pa.array([0.5, 1.5, 0.5, None], pa.float16()).dictionary_encode(),
    })
    reader = colfile.open(path)
    assert reader.info("t").logical_type == "Timestamp(ms, UTC)"
    table = reader.to_arrow()
    assert table.schema.field("t").type == pa.dictionary(pa.int32(), pa.timestamp("ms", tz="UTC"))
    assert table.column("t").to_pylist()[3] is None
    assert reader["u"].to_pylist() == [3, 4, 3, 3]
    frame = reader.to_pandas()
    assert frame["u"].dtype == "category"
    assert str(frame["t"].cat.categories.dtype) == "datetime64[ms, UTC]" and frame["t"].isna().sum() == 1
    assert frame["h"].dtype == np.float16  # no Float16 categories in pandas: the values
    assert reader["h"].to_pandas().tolist()[:3] == [0.5, 1.5, 0.5]
