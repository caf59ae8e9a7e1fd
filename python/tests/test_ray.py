"""colfile.ray on a local Ray instance (2 CPUs, started and stopped by this module): one block per
shard, values equal NumPy's, the read tasks carry paths and identities only, a version is fixed
when the source is made. Skipped without Ray (``pip install 'colfile[ray]'``); CI does not install
it (the ``test`` extra leaves it out to keep the run short)."""

import collections
import json
import pickle

import numpy as np
import pytest

import colfile
from support import FIXTURES

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")
pytest.importorskip("pyarrow")

import colfile.ray as cr  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def _tables(shards, rows):
    rng = np.random.default_rng(5)
    return [{"x": rng.random(rows), "n": np.arange(i * rows, (i + 1) * rows, dtype=np.int64),
             "label": [f"s{i}r{j % 3}" for j in range(rows)]} for i in range(shards)]


def test_read_dataset_equals_numpy(local_ray, tmp_path):
    tables = _tables(4, 5000)
    colfile.write_dataset(tmp_path / "ds", tables)
    data = cr.read_dataset(tmp_path / "ds", ["x", "n"])
    assert data.count() == 20_000
    assert data.sum("x") == pytest.approx(sum(float(t["x"].sum()) for t in tables))
    assert sorted(row["n"] for row in data.take_all()) == list(range(20_000))
    assert set(data.schema().names) == {"x", "n"}
    with pytest.raises(colfile.ColFileError) as missing:
        cr.read_dataset(tmp_path / "ds", ["nope"])
    assert missing.value.code == "noSuchColumn"


def test_read_tasks_carry_no_data_and_keep_their_version(local_ray, tmp_path):
    small, large = tmp_path / "small", tmp_path / "large"
    colfile.write_dataset(small, _tables(3, 100))
    colfile.write_dataset(large, _tables(3, 100_000))
    sizes = [len(pickle.dumps(cr.ColfileDatasource(path).get_read_tasks(3)[0])) for path in (small, large)]
    assert sizes[1] - sizes[0] < 64, sizes  # the paths differ by one letter; the data by 1000×

    source = cr.ColfileDatasource(small, ["n"])
    colfile.write_dataset(small, _tables(1, 10), append=True)  # version 2 after the source was made
    assert ray.data.read_datasource(source).count() == 300
    assert cr.read_dataset(small).count() == 310


def test_dictionary_encoded_shards_read_decoded(local_ray):
    """The dictionary dataset fixture (one shard plain, one dictionary-encoded, §14.3): every block
    has the schema's types, the encoded shard's values decoded."""
    expected = json.loads((FIXTURES / "datasets" / "dictionary.json").read_text())["versions"][0]
    data = cr.read_dataset(FIXTURES / "datasets" / "dictionary")
    blocks = ray.get(data.to_arrow_refs())
    assert {str(block.schema.field("label").type) for block in blocks} == {"string"}
    assert {str(block.schema.field("day").type) for block in blocks} == {"date32[day]"}
    assert collections.Counter(row["label"] for row in data.take_all()) == collections.Counter(expected["labels"])
