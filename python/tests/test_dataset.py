"""Datasets (Specification.md §14) in Python: the golden and broken dataset fixtures (the Swift
library's codes and messages, its manifests byte for byte), versions published by transactions,
racing writers, held versions through publishing and garbage collection, the lock, any hint, a
zero-copy ``to_arrow()`` with one chunk per shard."""

import datetime
import errno
import fcntl
import json
import os
import threading

import numpy as np
import pytest

import colfile
from colfile import _writer
from colfile._dataset_format import DatasetShard, Manifest
from colfile._sharded import DatasetFolder
from support import FIXTURES, run_swift

pa = pytest.importorskip("pyarrow")

DATASETS = FIXTURES / "datasets"
GOLDEN = DATASETS / "golden"
DICTIONARY = DATASETS / "dictionary"
BROKEN = json.loads((DATASETS / "broken" / "catalog.json").read_text())


def _table(ids, nulls=False):
    labels = [None if nulls and i % 2 == 0 else f"l{i}" for i in ids]
    return {"id": np.asarray(ids, np.int64), "label": labels}


def _ids(dataset):
    return [int(v) for index in range(len(dataset.shards)) for v in dataset.shard(index)["id"]]


def _data_files(path):
    return sorted(name for name in os.listdir(path) if name not in ("_lock", "_latest"))


# -- fixtures ----------------------------------------------------------------------------------------

def test_golden_dataset_reads_as_its_json_says():
    expected = json.loads((DATASETS / "golden.json").read_text())["versions"]
    assert colfile.dataset(GOLDEN).version == 2
    for version in expected:
        dataset = colfile.dataset(GOLDEN, version["version"])
        described = dataset.inspect()
        assert described.pop("path") == str(GOLDEN)
        ids = version.pop("ids")
        assert described == version
        assert _ids(dataset) == ids
        assert dataset.to_arrow().column("id").to_pylist() == ids
        dataset.verify()


def test_dictionary_dataset_reads_as_its_json_says():
    """One shard stores ``label`` and ``day`` plain, the other dictionary-encoded (§14.3): the schema
    says the values' kinds, and ``to_arrow``/``to_pandas`` give every shard's values decoded."""
    expected = json.loads((DATASETS / "dictionary.json").read_text())["versions"][0]
    labels, days, encoded = expected.pop("labels"), expected.pop("days"), expected.pop("dictionaryEncoded")
    dataset = colfile.dataset(DICTIONARY)
    described = dataset.inspect()
    assert described.pop("path") == str(DICTIONARY)
    assert described == expected
    assert [shard.name for index, shard in enumerate(dataset.shards)
            if dataset.shard(index).info("label").dictionary is not None] == encoded
    table = dataset.to_arrow()
    assert table.schema.field("label").type == pa.string() and table.schema.field("day").type == pa.date32()
    assert table.column("label").to_pylist() == labels
    assert table.column("day").cast(pa.int32()).to_pylist() == days
    kept = dataset.to_arrow(dictionaries="keep")
    assert kept.schema.field("label").type == pa.dictionary(pa.int32(), pa.string())
    assert kept.column("label").to_pylist() == labels
    frame = dataset.to_pandas()
    assert frame["label"].isna().tolist() == [label is None for label in labels]
    assert frame["label"].dropna().tolist() == [label for label in labels if label is not None]
    assert [(day - datetime.date(1970, 1, 1)).days for day in frame["day"]] == days
    dataset.verify()


@pytest.mark.parametrize("folder, version", [(GOLDEN, 1), (GOLDEN, 2), (DICTIONARY, 1)],
                         ids=["golden-1", "golden-2", "dictionary-1"])
def test_manifest_is_what_the_writer_writes(folder, version, tmp_path):
    committed = (folder / f"_manifest-{version:020d}.col").read_bytes()
    folder = DatasetFolder(folder)
    file_id = colfile.open(folder.manifest_path(version)).file_id
    folder.manifest(version).write(str(tmp_path / "manifest.col"), sync=False, file_id=bytes.fromhex(file_id))
    assert (tmp_path / "manifest.col").read_bytes() == committed


@pytest.mark.parametrize("entry", BROKEN, ids=[entry["name"] for entry in BROKEN])
def test_broken_dataset_fails_with_its_code_and_message(entry):
    folder = DATASETS / "broken" / entry["name"]
    with pytest.raises(colfile.ColFileError) as caught:
        dataset = colfile.dataset(folder)
        assert entry["stage"] == "shards", f"{entry['name']}: opens, but must fail at {entry['stage']}"
        dataset.open_all_shards()
    assert caught.value.code == entry["code"]
    assert str(caught.value) == f"{folder}/{entry['file']}: {entry['message']}"


def test_every_dataset_file_error_has_a_broken_dataset():
    assert {entry["code"] for entry in BROKEN} == {"badManifest", "shardMismatch"}


# -- versions ------------------------------------------------------------------------------------------

def test_create_append_replace_and_open_every_version(tmp_path):
    path = tmp_path / "ds"
    for name, ids, nulls in (("a.col", [1, 2, 3], False), ("b.col", [4, 5], False), ("c.col", [6, 9], True)):
        colfile.write(tmp_path / name, _table(ids, nulls))
    with colfile.DatasetTransaction(path, create=True, metadata={"source": "test"}) as create:
        create.add_file(tmp_path / "a.col")
        create.add_file(tmp_path / "b.col", copy=True)
    first = create.published
    assert (first.version, first.row_count, [s.name for s in first.shards]) == (1, 5, ["a.col", "b.col"])
    assert [s.first_row for s in first.shards] == [0, 3]
    assert first.schema == [colfile.DatasetColumn("id", "Int64"), colfile.DatasetColumn("label", "String")]
    assert first.metadata == {"source": "test"}

    change = colfile.DatasetTransaction(path)
    written = change.write_shard(_table([7, 8]))
    change.add_file(tmp_path / "c.col")
    change.replace("a.col")
    change.set_metadata("round", "2")
    second = change.commit()
    assert second.version == 2
    assert [s.name for s in second.shards] == [written.name, "c.col", "b.col"]
    assert _ids(second) == [7, 8, 6, 9, 4, 5]
    assert second.schema[1].nullable and second.metadata == {"source": "test", "round": "2"}
    assert written.name.startswith("part-") and written.name.endswith(".col")
    assert [second.shard_index(row) for row in (0, 2, 4)] == [0, 1, 2]

    assert colfile.dataset(path).version == 2
    old = colfile.dataset(path, 1)
    assert _ids(old) == [1, 2, 3, 4, 5] and not old.schema[1].nullable
    old.verify()
    assert first.newest_version() == 2
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.dataset(path, 3)
    assert caught.value.code == "io" and caught.value.errno == errno.ENOENT

    third = colfile.write_dataset(path, [_table([9])], append=True, metadata={"round": "3"})
    assert third.version == 3 and third.metadata["round"] == "3" and third.row_count == 7


def test_a_held_version_survives_publishing_and_collection(tmp_path):
    path = tmp_path / "ds"
    create = colfile.DatasetTransaction(path, create=True)
    replaced = create.write_shard(_table([1, 2]))
    create.write_shard(_table([3]))
    held = create.commit()
    table = held.to_arrow()  # maps every shard
    change = colfile.DatasetTransaction(path)
    change.write_shard(_table([10, 20]))
    change.replace(replaced.name)
    change.commit()
    report = colfile.collect_garbage(path, keep=1, grace=0)
    assert (report.removed_versions, report.removed_files, report.kept_versions) == ([1], [replaced.name], [2])
    assert report.held_lock and not (path / replaced.name).exists()
    assert table.column("id").to_pylist() == [1, 2, 3] and _ids(held) == [1, 2, 3]
    held.verify()
    assert _ids(colfile.dataset(path)) == [10, 20, 3]
    with pytest.raises(colfile.ColFileError):
        colfile.dataset(path, 1)
    late = colfile.write_dataset(tmp_path / "other", [_table([1])])
    os.unlink(late.shard_path(0))
    with pytest.raises(colfile.ColFileError) as caught:
        late.shard(0)
    assert caught.value.code == "io" and caught.value.errno == errno.ENOENT
    assert str(caught.value) == (f"{late.shard_path(0)}: cannot open shard '{late.shards[0].name}' of dataset version 1 "
                                 "(removed by garbage collection?): No such file or directory (errno 2)")


def test_concurrent_writers_build_on_each_other(tmp_path):
    path = tmp_path / "ds"
    create = colfile.DatasetTransaction(path, create=True)
    shared = create.write_shard(_table([1]))
    create.commit()
    left, right = colfile.DatasetTransaction(path), colfile.DatasetTransaction(path)
    left.write_shard(_table([2]))
    right.write_shard(_table([3]))
    assert left.commit().version == 2
    rebased = right.commit()
    assert rebased.version == 3 and _ids(rebased) == [1, 2, 3]

    first, second = colfile.DatasetTransaction(path), colfile.DatasetTransaction(path)
    first.replace(shared.name)
    second.replace(shared.name)
    second.write_shard(_table([9]))
    first.commit()
    with pytest.raises(colfile.ColFileError) as caught:
        second.commit()
    assert caught.value.code == "versionConflict"
    assert str(caught.value) == f"{path}: shard '{shared.name}' is not in dataset version 4: another writer replaced or removed it"
    second.abort()
    assert len([n for n in os.listdir(path) if n.startswith("part-")]) == 3
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.DatasetTransaction(path, create=True)
    assert caught.value.code == "versionConflict" and str(caught.value) == f"{path}: a dataset already exists here (version 4)"


def test_threads_racing_to_publish_all_land(tmp_path):
    path = tmp_path / "ds"
    colfile.write_dataset(path, [_table([0])])
    errors = []

    def append(index):
        try:
            colfile.write_dataset(path, [_table([index])], append=True, sync=False)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=append, args=(index,)) for index in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    final = colfile.dataset(path)
    assert final.version == 9 and sorted(_ids(final)) == list(range(9))


def test_garbage_collection_outlasts_a_lock_let_go_of_at_once(tmp_path):
    """A collection that does not wait tries again for a moment, so a lock let go of within that
    moment (as a forked child's copy of it is, at the child's exec) does not fail it."""
    path = tmp_path / "ds"
    colfile.write_dataset(path, [_table([1])])
    holder = os.open(path / "_lock", os.O_RDWR | os.O_CLOEXEC)
    fcntl.flock(holder, fcntl.LOCK_SH)
    let_go = threading.Timer(0.02, os.close, args=(holder,))
    let_go.start()
    try:
        report = colfile.collect_garbage(path, keep=1, grace=0)
    finally:
        let_go.join()
    assert report.held_lock and report.removed_files == []


def test_garbage_collection_spares_writers_and_young_files(tmp_path):
    path = tmp_path / "ds"
    colfile.write_dataset(path, [_table([1])])
    writer = colfile.DatasetTransaction(path)
    pending = writer.write_shard(_table([2]))
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.collect_garbage(path, keep=1, grace=0)
    assert caught.value.code == "io" and caught.value.errno == errno.EWOULDBLOCK
    assert str(caught.value).startswith(f"{path}/_lock: a writer is publishing to the dataset (it holds the lock); "
                                        "try again once it has published: ")
    writer.commit()
    assert (path / pending.name).exists()

    colfile.write(path / "orphan.col", _table([5]))
    young = colfile.collect_garbage(path, keep=1, grace=3600)
    assert young.young_files == ["orphan.col"] and young.removed_files == [] and young.removed_versions == [1]
    assert colfile.collect_garbage(path, keep=1, grace=0, dry_run=True).removed_files == ["orphan.col"]
    assert (path / "orphan.col").exists()
    collected = colfile.collect_garbage(path, keep=1, grace=0)
    assert collected.removed_files == ["orphan.col"] and collected.removed_bytes > 0
    assert _data_files(path) == sorted(["_manifest-00000000000000000002.col"] +
                                       [s.name for s in colfile.dataset(path).shards])
    (path / "_latest").write_text("1\n")
    assert colfile.dataset(path).version == 2
    colfile.collect_garbage(path, keep=1, grace=0)
    assert (path / "_latest").read_text() == "2\n"


@pytest.mark.parametrize("hint", ["", "7x\n", "0\n", "1\n", "99\n", None, "fifo"])
def test_newest_version_whatever_the_hint(hint, tmp_path):
    path = tmp_path / "ds"
    colfile.write_dataset(path, [_table([0])])
    for round_ in (1, 2):
        colfile.write_dataset(path, [_table([round_])], append=True)
    if hint is None:
        os.unlink(path / "_latest")
    elif hint == "fifo":  # opened without blocking and ignored, as the readers treat non-regular files
        os.unlink(path / "_latest")
        os.mkfifo(path / "_latest")
    else:
        (path / "_latest").write_text(hint)
    found = []
    opener = threading.Thread(target=lambda: found.append(colfile.dataset(path).version), daemon=True)
    opener.start()
    opener.join(timeout=30)
    assert found == [3]


def test_misuse_is_refused(tmp_path):
    path = tmp_path / "ds"
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.dataset(path)
    assert caught.value.code == "io" and caught.value.errno == errno.ENOENT
    with pytest.raises(colfile.ColFileError):
        colfile.DatasetTransaction(path)
    empty = colfile.DatasetTransaction(path, create=True)
    with pytest.raises(colfile.ColFileError) as caught:
        empty.commit()
    assert caught.value.code == "invalidArgument"
    empty.abort()
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.DatasetTransaction(path, create=True, metadata={"colfile.dataset.version": "9"})
    assert caught.value.code == "invalidArgument"
    schema = [colfile.DatasetColumn("id", "Int64"), colfile.DatasetColumn("label", "String")]
    assert colfile.DatasetTransaction(path, create=True, schema=schema).commit().shards == []
    other = tmp_path / "other.col"
    colfile.write(other, {"id": np.array([1.5]), "label": ["x"]})
    change = colfile.DatasetTransaction(path)
    with pytest.raises(colfile.ColFileError) as caught:
        change.add_file(other)
    assert caught.value.code == "invalidArgument"
    assert str(caught.value) == (f"{other}: the file does not fit the dataset's schema: column 'id' is Float64 where "
                                 "the dataset's is Int64")
    change.abort()
    assert _data_files(path) == ["_manifest-00000000000000000001.col"]


def test_placed_files_get_usable_names(tmp_path):
    colfile.write(tmp_path / "_hidden.col", _table([1]))
    colfile.write(tmp_path / "day.col", _table([2]))
    with colfile.DatasetTransaction(tmp_path / "ds", create=True) as create:
        hidden = create.add_file(tmp_path / "_hidden.col")
        day = create.add_file(tmp_path / "day.col")
        again = create.add_file(tmp_path / "day.col")
    assert hidden.name.startswith("part-") and day.name == "day.col"
    assert again.name.startswith("day-") and len(again.name) == len("day-12345678.col")
    assert create.published.shards[1].identity == create.published.shards[2].identity


def test_an_exception_in_the_with_block_leaves_the_dataset_unchanged(tmp_path):
    path = tmp_path / "ds"
    colfile.write_dataset(path, [_table([1])])
    with pytest.raises(RuntimeError):
        with colfile.DatasetTransaction(path) as change:
            change.write_shard(_table([2]))
            raise RuntimeError("stop")
    assert colfile.dataset(path).version == 1 and len(os.listdir(path)) == 4  # manifest, shard, hint, lock


def test_schema_text_is_canonical(tmp_path):
    names = ["q\"b\\s/", "t\tn\nr\r\x08\x0c\x01\x1f\x7f", "é日本😀"]
    schema = [colfile.DatasetColumn(names[0], "LargeString", nullable=True),
              colfile.DatasetColumn(names[1], "Int64", "Timestamp", "ns", "+01:00"),
              colfile.DatasetColumn(names[2], "Float16", shape=(2, 3))]
    dataset = colfile.DatasetTransaction(tmp_path / "ds", create=True, schema=schema).commit()
    assert [c.name for c in dataset.schema] == names and dataset.schema[0].type == "String"
    manifest = colfile.open(tmp_path / "ds" / "_manifest-00000000000000000001.col")
    # The same text the Swift test expects (DatasetTests.schemaTextIsCanonical).
    assert manifest.metadata["colfile.dataset.schema"] == (
        '[{"name":"q\\"b\\\\s/","type":"String","logicalType":"none","shape":[],"nullable":true},'
        '{"name":"t\\tn\\nr\\r\\b\\f\\u0001\\u001f\x7f","type":"Int64","logicalType":"Timestamp","timeUnit":"ns",'
        '"timeZone":"+01:00","shape":[],"nullable":false},'
        '{"name":"é日本😀","type":"Float16","logicalType":"none","shape":[2,3],"nullable":false}]')


# -- Arrow -----------------------------------------------------------------------------------------------

def _inside(address, reader):
    base = np.frombuffer(reader._mm, np.uint8).ctypes.data
    return base <= address < base + reader.file_bytes


def test_to_arrow_is_one_zero_copy_chunk_per_shard(tmp_path):
    rng = np.random.default_rng(5)
    tables = [{"x": rng.random(n), "e": rng.random((n, 4)).astype(np.float32), "s": [f"s{i}" for i in range(n)],
               "m": np.ma.masked_array(np.arange(n), mask=np.arange(n) % 3 == 0)} for n in (1000, 1, 2500)]
    dataset = colfile.write_dataset(tmp_path / "ds", tables)
    table = dataset.to_arrow()
    assert table.num_rows == 3501 and table.schema.field("m").nullable and not table.schema.field("x").nullable
    readers = dataset.open_all_shards()
    for name in ("x", "e", "s", "m"):
        column = table.column(name)
        assert column.num_chunks == 3
        for chunk, reader in zip(column.chunks, readers):
            storage = chunk.storage if isinstance(chunk, pa.ExtensionArray) else chunk
            buffers = [b for b in storage.buffers() if b is not None and b.size > 0]
            if isinstance(storage.type, pa.FixedSizeListType):
                buffers += [b for b in storage.values.buffers() if b is not None and b.size > 0]
            assert buffers and all(_inside(b.address, reader) for b in buffers), name
    expected = np.concatenate([t["x"] for t in tables])
    assert np.array_equal(table.column("x").to_numpy(), expected)
    frame = dataset.to_pandas(["x", "s"])
    assert list(frame["s"][:2]) == ["s0", "s1"] and len(frame) == 3501


def test_to_arrow_widens_string_offsets_across_shards(tmp_path, monkeypatch):
    colfile.write(tmp_path / "narrow.col", {"s": ["a", "bc"]})
    monkeypatch.setattr(_writer, "INT32_MAX", 0)  # every String column is written as LargeString
    colfile.write(tmp_path / "wide.col", {"s": ["def"]})
    monkeypatch.undo()
    assert colfile.open(tmp_path / "wide.col").info("s").physical_type == "LargeString"
    with colfile.DatasetTransaction(tmp_path / "ds", create=True) as create:
        create.add_file(tmp_path / "narrow.col")
        create.add_file(tmp_path / "wide.col")
    column = create.published.to_arrow().column("s")
    assert column.type == pa.large_string() and column.to_pylist() == ["a", "bc", "def"]


def test_dictionaries_keep_gives_one_dictionary_type_over_every_shard(tmp_path, monkeypatch):
    """``to_arrow(dictionaries="keep")``: a column some shard stores encoded is ``dictionary<int32,
    values>`` throughout, each encoded shard's dictionary kept, the plain shards encoded, String
    widened to LargeString when a shard has 64-bit offsets; ``to_pandas`` gives a Categorical. A
    column no shard encodes, and the default, are as before."""
    colfile.write(tmp_path / "narrow.col", {"s": ["a", "bc"], "n": np.array([1, 2], np.int64)})
    colfile.write(tmp_path / "encoded.col", pa.table({"s": pa.array(["bc", None, "x"]).dictionary_encode().cast(
        pa.dictionary(pa.int8(), pa.string())), "n": pa.array([3, 4, 5], pa.int64())}))
    monkeypatch.setattr(_writer, "INT32_MAX", 0)  # every String column is written as LargeString
    colfile.write(tmp_path / "wide.col", {"s": ["def"], "n": np.array([6], np.int64)})
    monkeypatch.undo()
    with colfile.DatasetTransaction(tmp_path / "ds", create=True) as create:
        for name in ("narrow.col", "encoded.col", "wide.col"):
            create.add_file(tmp_path / name)
    dataset = create.published
    expected = ["a", "bc", "bc", None, "x", "def"]
    kept = dataset.to_arrow(dictionaries="keep")
    assert kept.schema.field("s").type == pa.dictionary(pa.int32(), pa.large_string())
    assert kept.schema.field("n").type == pa.int64()
    assert kept.column("s").to_pylist() == expected
    assert [chunk.dictionary.to_pylist() for chunk in kept.column("s").chunks] == [["a", "bc"], ["bc", "x"], ["def"]]
    decoded = dataset.to_arrow()
    assert decoded.schema.field("s").type == pa.large_string() and decoded.column("s").to_pylist() == expected
    frame = dataset.to_pandas(dictionaries="keep")
    assert str(frame["s"].dtype) == "category" and sorted(frame["s"].cat.categories) == ["a", "bc", "def", "x"]
    assert frame["s"].isna().tolist() == [value is None for value in expected]
    with pytest.raises(ValueError):
        dataset.to_arrow(dictionaries="categorical")


# -- format 1.2 shards --------------------------------------------------------------------------------

def test_shards_of_every_codec_mix(tmp_path):
    """The codec is each shard's own choice (§14.3): zstd, zlib and plain shards in one version read
    alike, and Swift reads them; the manifest, which uses no codec, is written as 1.0."""
    path = tmp_path / "ds"
    ids = np.arange(15000, dtype=np.int64)
    with colfile.DatasetTransaction(path, create=True) as create:
        for index, compress in enumerate(("zstd", "zlib", None)):
            part = ids[index * 5000:(index + 1) * 5000]
            create.write_shard({"id": part, "label": [f"l{i % 7}" for i in part]}, compress=compress)
    dataset = colfile.dataset(path)
    readers = [dataset.shard(index) for index in range(3)]
    assert [reader.format_version for reader in readers] == ["1.2", "1.1", "1.0"]
    assert [reader.info("id").codec for reader in readers] == ["zstd", "zlib", "none"]
    assert _ids(dataset) == ids.tolist()
    assert dataset.to_arrow().column("label").to_pylist()[4999] == "l1"
    dataset.verify()
    assert colfile.open(path / "_manifest-00000000000000000001.col").format_version == "1.0"
    swift = run_swift("colfile", "dataset", "verify", path)
    assert swift.returncode == 0, swift.stderr


def test_a_shard_column_of_an_unknown_type_is_refused_only_when_asked_for(tmp_path):
    """A shard column of a type this library does not know (§9 step 14.2: a later version's shard)
    is refused when asked for, its neighbours read; a writer never adds such a file (§14.5)."""
    later = FIXTURES / "broken" / "unknown-physical-type.col"
    schema = [colfile.DatasetColumn("id", "Int32"), colfile.DatasetColumn("name", "String", nullable=True)]
    with pytest.raises(colfile.ColFileError) as refused:
        with colfile.DatasetTransaction(tmp_path / "ds", create=True, schema=schema) as create:
            create.add_file(later, copy=True)
    assert (refused.value.code, refused.value.column) == ("invalidArgument", "id")

    # As a later writer would publish it: the manifest names the file with its identity.
    folder = tmp_path / "later"
    folder.mkdir()
    (folder / "s.col").write_bytes(later.read_bytes())
    reader = colfile.open(folder / "s.col")
    shard = DatasetShard("s.col", reader.row_count, reader.file_bytes, bytes.fromhex(reader.file_id),
                         int(reader.identity.rsplit("-", 1)[1], 16))
    Manifest(1, schema, {}, [shard]).write(str(folder / "_manifest-00000000000000000001.col"), sync=False)
    opened = colfile.dataset(folder).shard(0)
    assert opened.info("id").unreadable.code == "unknownPhysicalType"
    with pytest.raises(colfile.ColFileError) as asked:
        opened["id"]
    assert asked.value.code == "unknownPhysicalType"
    assert opened["name"].to_pylist() == ["a", "bc", None]
    assert colfile.dataset(folder).to_arrow(["name"]).column("name").to_pylist() == ["a", "bc", None]


def test_a_dictionary_encoded_column_fits_the_kind_of_its_values(tmp_path):
    """A dictionary-encoded column (§6.4) fits the schema column of its values' kind (§14.3): a
    plain shard and encoded ones (Arrow's ``dictionary_encode`` with a null among its rows, a pandas
    ``Categorical``, which ``write_shard`` keeps encoded) make one version whose ``label`` is
    ``String``; ``to_arrow`` gives one string column of them all."""
    plain = pa.table({"id": pa.array([1, 2], pa.int64()), "label": pa.array(["a", "b"])})
    encoded = pa.table({"id": pa.array([3, 4, 5], pa.int64()),
                        "label": pa.array(["b", None, "c"]).dictionary_encode()})
    pd = pytest.importorskip("pandas")
    categorical = pd.DataFrame({"id": np.array([6, 7], np.int64), "label": pd.Categorical(["d", "d"])})
    with colfile.DatasetTransaction(tmp_path / "ds", create=True) as create:
        create.write_shard(plain)
        create.write_shard(encoded)
        create.write_shard(categorical)
    dataset = colfile.dataset(tmp_path / "ds")
    assert [str(column) for column in dataset.schema] == ["id: Int64", "label: String nullable"]
    assert [reader.info("label").dictionary for reader in dataset.open_all_shards()] == [
        None, colfile.DictionaryInfo("Int32", "String", 2), colfile.DictionaryInfo("Int8", "String", 1)]
    table = dataset.to_arrow()
    assert table.schema.field("label").type == pa.string()
    assert table.column("label").to_pylist() == ["a", "b", "b", None, "c", "d", "d"]
    dataset.verify()


def test_a_dictionary_of_another_kind_is_refused(tmp_path):
    """A dictionary's value type is what must fit: a shard whose ``label`` is a dictionary of Binary
    does not join a dataset whose ``label`` is String, with the Swift library's message."""
    colfile.write(tmp_path / "plain.col", _table([1, 2]))
    colfile.write(tmp_path / "binary.col", pa.table({"id": pa.array([3], pa.int64()),
                                                     "label": pa.array([b"l3"]).dictionary_encode()}))
    with pytest.raises(colfile.ColFileError) as refused:
        with colfile.DatasetTransaction(tmp_path / "ds", create=True) as create:
            create.add_file(tmp_path / "plain.col")
            create.add_file(tmp_path / "binary.col")
    assert refused.value.code == "invalidArgument"
    assert refused.value.message == ("the file does not fit the dataset's schema: "
                                     "column 'label' is Binary where the dataset's is String")