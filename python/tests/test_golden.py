"""The golden fixtures are the conformance suite: read value for value, written back byte for byte."""

import json

import numpy as np
import pytest

import colfile
from support import FIXTURES, GOLDEN, assert_same, data_from_description, describe

pa = pytest.importorskip("pyarrow")


@pytest.mark.parametrize("name", GOLDEN)
@pytest.mark.parametrize("policy", ["shared", "private"])
def test_golden_fixture_reads_value_for_value(name, policy):
    expected = json.loads((FIXTURES / f"{name}.json").read_text())
    with colfile.open(FIXTURES / f"{name}.col", cold_columns=policy) as reader:
        assert_same(describe(reader), expected)
        reader.verify()
        for info in reader.columns:
            assert info.nullable == (info.null_count > 0)


@pytest.mark.parametrize("name", GOLDEN)
def test_python_writer_reproduces_each_golden_file_byte_for_byte(name, tmp_path):
    """The writer lays a file out exactly as the Swift reference writer does (same file id)."""
    description = json.loads((FIXTURES / f"{name}.json").read_text())
    committed = FIXTURES / f"{name}.col"
    with colfile.open(committed, cold_columns="refuse") as reader:
        cold = [info for info in reader.columns if info.is_compressed]
        codecs = {info.codec for info in cold}
        chunk_size = max((b.chunk_size for info in cold for b in info.buffers), default=None)
        # Every column compressed, or only some (dictionary.col's city-zstd): then named.
        compress = (codecs.pop() if len(cold) == len(reader.columns) else {info.name: info.codec for info in cold}
                    ) if cold else None
    assert len(codecs) <= 1
    data, column_metadata = data_from_description(description)
    target = tmp_path / f"{name}.col"
    colfile.write(target, data, metadata=description["metadata"], column_metadata=column_metadata,
                  file_id=bytes(range(16)), compress=compress, chunk_size=chunk_size)
    assert target.read_bytes() == committed.read_bytes()


@pytest.mark.parametrize("name", GOLDEN)
def test_arrow_table_of_each_golden_file_round_trips(name, tmp_path):
    with colfile.open(FIXTURES / f"{name}.col") as reader:
        table = reader.to_arrow()
        assert table.num_rows == reader.row_count
        assert table.column_names == reader.names
        target = tmp_path / "copy.col"
        colfile.write(target, table, metadata=reader.metadata)
        with colfile.open(target) as copy:
            assert copy.to_arrow().schema.equals(table.schema, check_metadata=True)
            assert_same(describe(copy), describe(reader))


def test_spec_example_views():
    reader = colfile.open(FIXTURES / "spec-example.col")
    ids = reader["id"]
    assert ids.dtype == np.dtype("<i4") and ids.tolist() == [1, 2, 3]
    assert not ids.flags.writeable
    names = reader["name"]
    assert names.to_pylist() == ["a", "bc", None]
    assert names.offsets.tolist() == [0, 1, 3, 3]
    assert names.data.tobytes() == b"abc"
    assert reader.validity("name").tolist() == [True, True, False]
    assert reader.validity("id") is None
    assert reader.identity == "000102030405060708090a0b0c0d0e0f-08d3f2ff"
    assert reader.format_version == "1.0"
    assert "spec-example.col" in repr(reader) and "rows=3" in repr(reader)
