"""Datasets shared by Swift and Python: each reads the other's versions and publishes on top of them,
both describe a version alike (``colfile dataset inspect --json`` = ``ShardedDataset.inspect()``),
they race to publish on one folder, share one lock, and a reader process of one language keeps its
version while the other's tool publishes and collects.

Needs the Swift binary ``colfile`` ($COLFILE_BIN_DIR, else ``swift build --show-bin-path``); without
it these tests fail, they never skip."""

import json
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import colfile
from colfile import _writer
from support import run_swift, swift_bin_dir

pa = pytest.importorskip("pyarrow")


def _swift_inspect(path, *options):
    return json.loads(run_swift("colfile", "dataset", "inspect", "--json", *options, path).stdout)


def _tables(seed, counts):
    rng = np.random.default_rng(seed)
    tables = []
    for rows in counts:
        tables.append({
            "id": np.arange(rows, dtype=np.int64),
            "price": np.ma.masked_array(rng.random(rows), mask=rng.random(rows) < 0.2),
            "name": [None if i % 5 == 0 else f"n{i}é" for i in range(rows)],
            "ts": pa.array(rng.integers(0, 1 << 40, rows), pa.timestamp("us", tz="UTC")),
            "day": pa.array(rng.integers(0, 20000, rows).astype(np.int32), pa.date32()),
            "flag": rng.random(rows) < 0.5,
            "emb": rng.random((rows, 3)).astype(np.float32),
            "raw": [bytes([i % 256]) * (i % 4) for i in range(rows)],
        })
    return tables


def test_python_writes_swift_reads_and_appends(tmp_path):
    path = tmp_path / "ds"
    dataset = colfile.write_dataset(path, _tables(1, [100, 0, 37]), metadata={"made": "python"})
    assert run_swift("colfile", "dataset", "verify", path).returncode == 0
    assert _swift_inspect(path) == dataset.inspect()

    swift_schema = "id:int64,price:float64,name:string,ts:timestamptz(us),day:date,flag:bool,emb:float32[3],raw:binary"
    rows = ["7,0.5,x,2024-01-02T00:00:00.000001Z,2024-01-02,true,\"[1,2,3]\",AAE=", "8,,,,,false,\"[4,5,6]\","]
    (tmp_path / "more.csv").write_text("id,price,name,ts,day,flag,emb,raw\n" + "\n".join(rows) + "\n")
    run_swift("colfile", "import", "-q", "--schema", swift_schema, tmp_path / "more.csv", tmp_path / "more.col")
    run_swift("colfile", "dataset", "append", "--metadata", "made=both", path, tmp_path / "more.col")
    second = colfile.dataset(path)
    assert second.version == 2 and second.row_count == 139 and second.metadata == {"made": "both"}
    assert second.to_arrow().column("id").to_pylist()[-2:] == [7, 8]
    assert second.to_arrow().column("raw").to_pylist()[-2:] == [b"\x00\x01", None]
    second.verify()
    assert _swift_inspect(path, "--version", "1") == colfile.dataset(path, 1).inspect()


def test_swift_writes_python_reads_and_appends(tmp_path):
    lines = ["id,score,label"] + [f"{i},{i / 8 if i % 9 else ''},{'' if i % 7 == 0 else f'l{i}'}" for i in range(2500)]
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n")
    path = tmp_path / "ds"
    run_swift("colfile", "import", "-q", "--shard-rows", "1000", tmp_path / "in.csv", path)
    dataset = colfile.dataset(path)
    assert _swift_inspect(path) == dataset.inspect()
    assert [shard.rows for shard in dataset.shards] == [1000, 1000, 500]
    table = dataset.to_arrow()
    assert table.column("id").to_pylist() == list(range(2500))
    assert table.column("label").to_pylist()[:8] == [None, "l1", "l2", "l3", "l4", "l5", "l6", None]
    assert table.column("score").null_count == len([i for i in range(2500) if i % 9 == 0])

    with colfile.DatasetTransaction(path) as change:
        change.write_shard({"id": np.array([9000], np.int64), "score": np.array([1.5]), "label": ["py"]})
        change.replace(dataset.shards[0].name)
    assert run_swift("colfile", "dataset", "verify", path).returncode == 0
    swift = _swift_inspect(path)
    assert swift == change.published.inspect() and swift["version"] == 2
    assert [shard["rows"] for shard in swift["shards"]] == [1, 1000, 500]


def test_dictionary_encoded_shards_cross_languages(tmp_path):
    """``colfile import --shard-rows`` encodes a column of few distinct values in each shard; Python
    reads every shard's values decoded, appends a shard of its own encoded another way (a
    :class:`~colfile.DictionaryEncoded` with its own dictionary) and one that is plain; the Swift tool verifies the
    version and describes it as Python does (§14.3: the encoding is each shard's choice)."""
    colors = ["red", "green", "blue"]
    lines = ["id,color"] + [f"{i},{'' if i % 10 == 0 else colors[i % 3]}" for i in range(2500)]
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n")
    path = tmp_path / "ds"
    run_swift("colfile", "import", "-q", "--shard-rows", "1000", tmp_path / "in.csv", path)
    dataset = colfile.dataset(path)
    assert [str(column) for column in dataset.schema] == ["id: Int64", "color: String nullable"]
    assert all(reader.info("color").dictionary is not None for reader in dataset.open_all_shards())
    expected = [None if i % 10 == 0 else colors[i % 3] for i in range(2500)]
    assert dataset.to_arrow().column("color").to_pylist() == expected

    with colfile.DatasetTransaction(path) as change:
        change.write_shard({"id": np.array([9000, 9001], np.int64),
                            "color": colfile.DictionaryEncoded([1, None], ["red", "teal"], index_type="Int8")})
        change.write_shard({"id": np.array([9002], np.int64), "color": ["plain"]})
    published = change.published
    assert [reader.info("color").dictionary is not None for reader in published.open_all_shards()] == [
        True, True, True, True, False]
    assert published.to_arrow().column("color").to_pylist()[-3:] == ["teal", None, "plain"]
    assert run_swift("colfile", "dataset", "verify", path).returncode == 0
    assert _swift_inspect(path) == published.inspect()


def test_kinds_of_string_offsets_mix_in_one_dataset(tmp_path, monkeypatch):
    colfile.write(tmp_path / "narrow.col", {"s": ["a", "bc"]})
    monkeypatch.setattr(_writer, "INT32_MAX", 0)
    colfile.write(tmp_path / "wide.col", {"s": ["def"]})
    monkeypatch.undo()
    path = tmp_path / "ds"
    run_swift("colfile", "dataset", "create", path, tmp_path / "narrow.col", tmp_path / "wide.col")
    assert colfile.dataset(path).to_arrow().column("s").to_pylist() == ["a", "bc", "def"]
    assert run_swift("colfile", "dataset", "verify", path).returncode == 0


def test_swift_and_python_writers_race_on_one_folder(tmp_path):
    path = tmp_path / "ds"
    colfile.write_dataset(path, [{"id": np.array([0], np.int64)}])
    for index in range(1, 5):
        colfile.write(tmp_path / f"s{index}.col", {"id": np.array([index], np.int64)})
    swift = [subprocess.Popen([str(swift_bin_dir() / "colfile"), "dataset", "append", str(path), str(tmp_path / f"s{i}.col")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(1, 5)]
    errors = []

    def append(index):
        try:
            colfile.write_dataset(path, [{"id": np.array([index], np.int64)}], append=True)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=append, args=(index,)) for index in range(5, 9)]
    for thread in threads:
        thread.start()
    outcomes = [process.communicate(timeout=120) + (process.returncode,) for process in swift]
    for thread in threads:
        thread.join()
    assert errors == [] and all(code == 0 for _, _, code in outcomes), outcomes
    final = colfile.dataset(path)
    assert final.version == 9
    assert sorted(final.to_arrow().column("id").to_pylist()) == list(range(9))


def test_swift_gc_waits_for_a_python_writer(tmp_path):
    path = tmp_path / "ds"
    colfile.write_dataset(path, [{"id": np.array([1], np.int64)}])
    writer = colfile.DatasetTransaction(path)
    pending = writer.write_shard({"id": np.array([2], np.int64)})
    busy = run_swift("colfile", "dataset", "gc", "--keep", "1", "--grace", "0s", path, check=False)
    assert busy.returncode == 2 and "a writer is publishing to the dataset (it holds the lock)" in busy.stderr
    assert (path / pending.name).exists()
    writer.commit()
    done = run_swift("colfile", "dataset", "gc", "--keep", "1", "--grace", "0s", path)
    assert done.stdout.splitlines()[0] == "removed version 1"
    assert colfile.dataset(path).row_count == 2


_HOLDER = textwrap.dedent("""
    import sys
    import colfile
    held = colfile.dataset(sys.argv[1])
    table = held.to_arrow()                       # maps every shard of the version
    print(held.version, sum(table.column("id").to_pylist()), flush=True)
    sys.stdin.readline()                          # the test publishes and collects meanwhile
    again = [int(v) for i in range(len(held.shards)) for v in held.shard(i)["id"]]
    newest = colfile.dataset(sys.argv[1])
    print(held.version, sum(table.column("id").to_pylist()), sum(again), newest.version, newest.row_count, flush=True)
""")


def test_a_python_reader_keeps_its_version_while_swift_publishes_and_collects(tmp_path):
    path = tmp_path / "ds"
    first = colfile.write_dataset(path, [{"id": np.arange(1000, dtype=np.int64)}, {"id": np.arange(10, dtype=np.int64)}])
    reader = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().split() == ["1", str(sum(range(1000)) + 45)]
        colfile.write(tmp_path / "new.col", {"id": np.array([5], np.int64)})
        run_swift("colfile", "dataset", "append", path, "--replace", first.shards[0].name, tmp_path / "new.col")
        run_swift("colfile", "dataset", "gc", "--keep", "1", "--grace", "0s", path)
        assert not (path / first.shards[0].name).exists()
        reader.stdin.write("go\n")
        reader.stdin.flush()
        out, err = reader.communicate(timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0, err
    held, table_sum, again, newest, rows = map(int, out.split())
    assert (held, table_sum, again) == (1, sum(range(1000)) + 45, sum(range(1000)) + 45)
    assert (newest, rows) == (2, 11)
