"""colfile.dask on a real cluster: a ``distributed.LocalCluster`` of 2 worker processes over TCP,
started and stopped by this module. Results equal pandas and NumPy on the same data; the task graph
carries paths and identities, not data (bytes per task do not grow with the shards); the workers'
memory shows mappings, not copies (Pss from their own ``/proc/self/smaps_rollup``); ``to_colfile``
writes one shard per partition on the workers and publishes one version."""

import json
import os
import pickle

import numpy as np
import pytest

import colfile
from support import FIXTURES, import_or_skip

dask = import_or_skip("dask")
import_or_skip("distributed")
pa = import_or_skip("pyarrow")
pd = import_or_skip("pandas")

import colfile.dask as cd  # noqa: E402
import dask.dataframe as dd  # noqa: E402
from distributed import Client, LocalCluster, wait  # noqa: E402

SHARDS = 8


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           protocol="tcp", silence_logs=40)
    client = Client(cluster)
    try:
        assert all(address.startswith("tcp://") for address in client.scheduler_info()["workers"])
        yield client
    finally:
        client.close()
        cluster.close()


def _tables(rows_per_shard, seed=3):
    rng = np.random.default_rng(seed)
    tables = []
    for index in range(SHARDS):
        rows = rows_per_shard
        tables.append({
            "x": rng.random(rows),
            "n": np.arange(index * rows, (index + 1) * rows, dtype=np.int64),
            "maybe": np.ma.masked_array(rng.integers(0, 100, rows), mask=rng.random(rows) < 0.1),
            "label": [f"s{index}-{i % 7}" if i % 11 else None for i in range(rows)],
            "ts": pa.array(rng.integers(0, 1 << 40, rows), pa.timestamp("ms", tz="UTC")),
            "emb": rng.random((rows, 2)).astype(np.float32),
        })
    return tables


def _expected_frame(tables):
    frames = []
    for table in tables:
        frames.append(pd.DataFrame({
            "x": table["x"], "n": table["n"],
            "maybe": pd.arrays.ArrowExtensionArray(pa.array(table["maybe"].filled(0), mask=table["maybe"].mask)),
            "label": table["label"], "ts": table["ts"].to_pandas(),
        }))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    path = tmp_path_factory.mktemp("dask") / "small"
    tables = _tables(1000)
    colfile.write_dataset(path, tables)
    return path, tables


def test_read_dataset_equals_pandas(client, dataset):
    path, tables = dataset
    frame = cd.read_dataset(path)
    assert frame.npartitions == SHARDS
    assert frame.divisions == tuple(range(0, SHARDS * 1000, 1000)) + (SHARDS * 1000 - 1,)
    assert str(frame.dtypes["x"]) == "float64" and str(frame.dtypes["maybe"]) == "int64[pyarrow]"
    computed = frame.compute()
    expected = _expected_frame(tables)
    pd.testing.assert_frame_equal(computed.drop(columns=["emb"]), expected, check_dtype=False)
    assert computed["emb"].iloc[1001] == pytest.approx(list(tables[1]["emb"][1]))
    assert frame.x.sum().compute() == pytest.approx(expected.x.sum())
    assert frame.maybe.sum().compute() == expected.maybe.sum()
    assert frame.label.value_counts().compute().to_dict() == expected.label.value_counts().to_dict()
    only = cd.read_dataset(path, ["n", "label"])
    assert list(only.columns) == ["n", "label"] and only.n.max().compute() == SHARDS * 1000 - 1
    assert frame.loc[2500:2502].compute()["n"].tolist() == [2500, 2501, 2502]


def test_array_equals_numpy(client, dataset):
    path, tables = dataset
    x = cd.array(path, "x")
    assert x.chunks == ((1000,) * SHARDS,)
    expected = np.concatenate([t["x"] for t in tables])
    assert np.array_equal(x.compute(), expected)
    assert float(x.sum().compute()) == pytest.approx(float(expected.sum()))
    emb = cd.array(path, "emb")
    assert emb.shape == (SHARDS * 1000, 2) and emb.chunks[1] == (2,)
    assert np.array_equal(emb.compute(), np.concatenate([t["emb"] for t in tables]))
    maybe = cd.array(path, "maybe")
    expected_maybe = np.ma.concatenate([t["maybe"] for t in tables])
    assert int(maybe.sum().compute()) == int(expected_maybe.sum())
    ts = cd.array(path, "ts")
    assert ts.dtype == np.dtype("datetime64[ms]")
    with pytest.raises(colfile.ColFileError) as caught:
        cd.array(path, "label")
    assert caught.value.code == "typeMismatch"


def test_dictionary_encoded_shards_read_decoded(client, tmp_path):
    """The dictionary dataset fixture (one shard plain, one dictionary-encoded, §14.3) reads with the
    schema's dtypes whatever each shard chose; ``to_colfile`` of a categorical column whose categories
    Dask does not know writes each shard encoded with the index type its own categories need."""
    fixture = FIXTURES / "datasets" / "dictionary"
    expected = json.loads((FIXTURES / "datasets" / "dictionary.json").read_text())["versions"][0]
    frame = cd.read_dataset(fixture)
    computed = frame.compute()
    assert str(frame.dtypes["label"]) == str(computed.dtypes["label"])
    assert computed["label"].isna().tolist() == [label is None for label in expected["labels"]]
    assert computed["label"].dropna().tolist() == [label for label in expected["labels"] if label is not None]
    assert cd.array(fixture, "day").compute().tolist() == expected["days"]

    # A shard whose Int64 dictionary is empty (every row null) beside a plain one with a null.
    colfile.write_dataset(tmp_path / "empty", [
        {"x": np.ma.masked_array(np.array([1, 2], np.int64), mask=[False, True])},
        {"x": colfile.DictionaryEncoded([None, None], np.array([], np.int64))}])
    x = cd.array(tmp_path / "empty", "x").compute()
    assert x.data.tolist() == [1, 0, 0, 0] and x.mask.tolist() == [False, True, True, True]

    source = pd.DataFrame({"n": np.arange(1000, dtype=np.int64),
                           "s": pd.Categorical([f"v{i % 300}" for i in range(1000)])})
    frame = dd.from_pandas(source, npartitions=2)
    frame["s"] = frame["s"].cat.as_unknown()
    published = cd.to_colfile(frame, tmp_path / "out")
    assert [str(column) for column in published.schema] == ["n: Int64", "s: String"]
    assert [reader.info("s").dictionary.index_type for reader in published.open_all_shards()] == ["Int16", "Int16"]
    back = cd.read_dataset(tmp_path / "out").compute()
    assert back["s"].tolist() == source["s"].astype(str).tolist()


def test_categories_keep_each_shards_dictionary(client, dataset):
    """``categories`` reads a column as pandas Categoricals: an encoded shard's dictionary becomes its
    partition's categories as stored, a plain shard's values are encoded in the worker; Dask knows the
    categories only once computed."""
    fixture = FIXTURES / "datasets" / "dictionary"
    expected = json.loads((FIXTURES / "datasets" / "dictionary.json").read_text())["versions"][0]
    frame = cd.read_dataset(fixture, categories=["label"])
    assert str(frame.dtypes["label"]) == "category" and not frame["label"].cat.known
    assert str(frame.dtypes["day"]) == str(cd.read_dataset(fixture).dtypes["day"])
    computed = frame.compute()
    assert str(computed.dtypes["label"]) == "category"
    assert [None if pd.isna(value) else value for value in computed["label"]] == expected["labels"]
    readers = colfile.ShardedDataset(fixture).open_all_shards()
    for index, reader in enumerate(readers):
        part = frame.get_partition(index).compute()["label"]
        stored = reader["label"]
        if isinstance(stored, colfile.DictColumn):
            assert part.cat.categories.tolist() == list(stored.categories)
            assert part.cat.codes.tolist() == stored.codes.tolist()
        else:
            assert sorted(part.cat.categories.tolist()) == sorted({v for v in part.dropna()})
    known = frame["label"].cat.as_known()
    assert sorted(known.cat.categories.tolist()) == sorted({label for label in expected["labels"] if label})

    path, tables = dataset
    labels = cd.read_dataset(path, ["n", "label"], categories=["label"])
    assert labels.label.value_counts().compute().to_dict() == _expected_frame(tables).label.value_counts().to_dict()
    for names, error in [(["nope"], colfile.ColFileError), (["emb"], colfile.ColFileError), (["x"], ValueError),
                         ("label", TypeError)]:
        with pytest.raises(error):
            cd.read_dataset(path, ["n", "label", "emb"], categories=names)


def _graph_bytes_per_task(collection):
    graph = dict(collection.__dask_graph__())
    return len(pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL)) / len(graph), len(graph)


def test_graph_bytes_per_task_do_not_grow_with_shards(tmp_path):
    measured = {}
    for name, rows in (("small", 1_000), ("large", 200_000)):
        path = tmp_path / name
        colfile.write_dataset(path, [{"x": np.zeros(rows), "n": np.zeros(rows, np.int64)}] * SHARDS, sync=False)
        frame_bytes, frame_tasks = _graph_bytes_per_task(cd.read_dataset(path))
        array_bytes, array_tasks = _graph_bytes_per_task(cd.array(path, "x"))
        assert array_tasks == SHARDS and frame_tasks >= SHARDS
        measured[name] = (frame_bytes, array_bytes, rows * 16)
    print(f"\ngraph bytes per task (frame, array) for 16 kB and 3.2 MB shards: {measured}")
    for index in (0, 1):
        small, large = measured["small"][index], measured["large"][index]
        assert abs(large - small) <= 16, measured  # the rows' counts are a few bytes longer, nothing else
        assert large < 1024 and large < measured["large"][2] / 1000


def _rollup():
    """This worker's Pss, Pss_Anon and Pss_File in bytes (from its own /proc/self/smaps_rollup)."""
    values = {}
    with open("/proc/self/smaps_rollup") as rollup:
        for line in rollup:
            key, _, rest = line.partition(":")
            if key in ("Pss", "Pss_Anon", "Pss_File"):
                values[key] = int(rest.split()[0]) * 1024
    return values


def _read_every_shard(path):
    """Maps and sums every shard in this worker; keeps the readers so the pages stay mapped."""
    dataset = colfile.dataset(path)
    total = sum(float(np.sum(dataset.shard(index)["x"])) for index in range(len(dataset.shards)))
    _read_every_shard.held = dataset
    return total


def _sum_growth(before, after, key):
    return sum(after[worker][key] - before[worker][key] for worker in before)


def test_workers_map_shards_instead_of_copying_them(client, tmp_path):
    path = tmp_path / "pss"
    rows = 1 << 20  # 8 shards of 8 MiB of float64: 64 MiB
    colfile.write_dataset(path, [{"x": np.full(rows, float(i))} for i in range(SHARDS)], sync=False)
    data = SHARDS * rows * 8
    client.run(_rollup)
    before = client.run(_rollup)
    held = cd.array(path, "x").persist()  # chunks stay on the workers: views of their mappings
    wait(held)
    assert float(held.sum().compute()) == pytest.approx(rows * sum(range(SHARDS)))
    mapped = client.run(_rollup)
    anon, total = _sum_growth(before, mapped, "Pss_Anon"), _sum_growth(before, mapped, "Pss")
    copied = held.map_blocks(np.array, copy=True).persist()  # the same data, copied into each worker's memory
    wait(copied)
    assert float(copied.sum().compute()) == pytest.approx(rows * sum(range(SHARDS)))
    after_copy = client.run(_rollup)
    copy_anon = _sum_growth(mapped, after_copy, "Pss_Anon")
    print(f"\nΣ worker growth for {data >> 20} MiB: mapped Pss {total / data:.2f}, Pss_Anon {anon / data:.2f}; "
          f"copied Pss_Anon {copy_anon / data:.2f}")
    assert anon < 0.15 * data, "persisted chunks must be views of the mappings, not copies"
    assert 0.8 * data < total < 1.3 * data
    assert copy_anon > 0.8 * data
    del held, copied

    # Both workers map every shard of another dataset: the page cache holds one copy of each page,
    # and each worker's Pss counts half of it.
    other = tmp_path / "pss-shared"
    colfile.write_dataset(other, [{"x": np.full(rows, float(i))} for i in range(SHARDS)], sync=False)
    before = client.run(_rollup)
    assert set(client.run(_read_every_shard, str(other)).values()) == {float(rows * sum(range(SHARDS)))}
    shared = client.run(_rollup)
    ratio = _sum_growth(before, shared, "Pss") / data
    print(f"Σ Pss growth ÷ data when 2 workers map every shard: {ratio:.2f}")
    assert ratio < 1.3


def _who_writes():
    return os.getpid()


def test_to_colfile_writes_one_shard_per_partition_on_the_workers(client, tmp_path):
    rng = np.random.default_rng(9)
    source = pd.DataFrame({"a": rng.random(10_000), "b": np.arange(10_000, dtype=np.int64),
                           "c": pd.array([None if i % 13 == 0 else i for i in range(10_000)], dtype="Int64"),
                           "s": [f"v{i % 17}" for i in range(10_000)]})
    frame = dd.from_pandas(source, npartitions=5)
    published = cd.to_colfile(frame, tmp_path / "out", metadata={"by": "dask"})
    assert published.version == 1 and len(published.shards) == 5 and published.metadata == {"by": "dask"}
    assert [column.nullable for column in published.schema] == [False, False, True, False]
    back = colfile.dataset(tmp_path / "out").to_pandas()
    pd.testing.assert_frame_equal(back, source, check_dtype=False)
    # The workers wrote the shards: every file's writer was a worker process, not this one.
    workers = set(client.run(_who_writes).values())
    assert os.getpid() not in workers
    more = cd.to_colfile(frame.head(10, npartitions=1, compute=False), tmp_path / "out", append=True)
    assert more.version == 2 and more.row_count == 10_010
    assert cd.read_dataset(tmp_path / "out").b.sum().compute() == source.b.sum() + sum(range(10))
