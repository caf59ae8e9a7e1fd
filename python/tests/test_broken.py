"""The broken fixtures are the rejection suite: each fails with the Swift library's code and message."""

import json
import os

import pytest

import colfile
from support import CATALOG, FIXTURES, describe

BROKEN = {entry["name"]: entry for entry in CATALOG}


def _options(entry, policy, cache):
    return {"cold_columns": policy, "cache_dir": str(cache), "max_decoded_bytes": entry.get("maxDecodedBytes")}


def _run_stage(entry, reader):
    stage = entry["stage"]
    if stage == "firstUse":
        reader.columns
    elif stage == "column":
        reader[entry["column"]]
    elif stage == "readValues":
        describe(reader)
    elif stage == "verify":
        reader.verify()


def _failure(entry, open_reader):
    try:
        reader = open_reader()
    except colfile.ColFileError as error:
        # Open makes the checks of §9 steps 1-13 only, as the Swift reader: a column's checks fail
        # on its first use, at the stage the catalog names.
        assert entry["stage"] == "open", f"{entry['name']}: fails at open, not at {entry['stage']}: {error}"
        return error
    assert entry["stage"] != "open", f"{entry['name']}: opens, but must fail at open"
    with pytest.raises(colfile.ColFileError) as caught:
        _run_stage(entry, reader)
    return caught.value


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_file_fails_with_its_code_and_message(name, tmp_path):
    entry = BROKEN[name]
    path = str(FIXTURES / "broken" / f"{name}.col")
    error = _failure(entry, lambda: colfile.open(path, **_options(entry, "shared", tmp_path)))
    assert error.code == entry["code"]
    assert str(error) == f"{path}: {entry['message']}"
    assert error.detail == entry["message"]
    assert error.path == path
    # The column-by-column check finds the same problem.
    if entry["stage"] == "verify" and error.column is not None:
        reader = colfile.open(path, **_options(entry, "shared", tmp_path))
        with pytest.raises(colfile.ColFileError) as by_column:
            reader.verify(error.column)
        assert by_column.value == error


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_bytes_in_memory_fail_the_same_way(name):
    entry = BROKEN[name]
    data = (FIXTURES / "broken" / f"{name}.col").read_bytes()
    error = _failure(entry, lambda: colfile.Reader.from_bytes(data, f"{name}.col",
                                                              max_decoded_bytes=entry.get("maxDecodedBytes")))
    assert str(error) == f"{name}.col: {entry['message']}"


@pytest.mark.parametrize("name", [e["name"] for e in CATALOG if e["stage"] == "readValues"])
def test_cold_column_faults_surface_when_decoded(name, tmp_path):
    """Chunk-level faults appear when the column is first decoded (never at open), the same way through
    the shared cache (which then holds no entry for the column and no lock file) and in private memory,
    and in verify()."""
    entry = BROKEN[name]
    path = str(FIXTURES / "broken" / f"{name}.col")
    failing = None
    for policy in ("shared", "private"):
        reader = colfile.open(path, **_options(entry, policy, tmp_path))
        with pytest.raises(colfile.ColFileError) as reading:
            describe(reader)
        assert str(reading.value) == f"{path}: {entry['message']}"
        # Every fault names its chunk, except bytes after the last chunk (the buffer's).
        assert reading.value.chunk is not None or name == "bytes-after-last-chunk"
        with pytest.raises(colfile.ColFileError) as verifying:
            reader.verify()
        assert verifying.value == reading.value
        failing = reading.value.column
    refusing = colfile.open(path, cold_columns="refuse")
    index = refusing.info(failing).index
    leftovers = os.listdir(tmp_path)
    assert not [f for f in leftovers if f.endswith(f"-{index}.colcache")]
    assert not [f for f in leftovers if f.endswith(".lock") or ".colfile-tmp-" in f]


def test_chunk_checksums_are_checked_on_decode_only_when_asked(tmp_path):
    entry = BROKEN["chunk-checksum-mismatch"]
    path = str(FIXTURES / "broken" / "chunk-checksum-mismatch.col")
    assert len(colfile.open(path, cache_dir=str(tmp_path))["label"]) == 1100
    strict = colfile.open(path, cold_columns="private", check_chunk_checksums=True)
    with pytest.raises(colfile.ColFileError) as caught:
        strict["label"]
    assert str(caught.value) == f"{path}: {entry['message']}"


def test_every_file_error_code_has_a_broken_fixture():
    """Every code a file can cause has a broken file (a dataset's, a broken dataset: test_dataset.py)."""
    # notARegularFile and fileChanged are about the path and the file's surroundings (test_special_files.py);
    # versionConflict is a race between dataset writers (test_dataset.py); a draft's own codes come from
    # opening or sealing a draft (test_drafts.py).
    not_from_files = {"unsupportedHost", "io", "noSuchColumn", "typeMismatch", "invalidArgument", "wouldDecode",
                      "codecUnavailable", "notARegularFile", "fileChanged", "versionConflict", "sealedDraft",
                      "draftBusy", "badDraftHeader", "badDraftLayout", "draftIncomplete"}
    datasets = json.loads((FIXTURES / "datasets" / "broken" / "catalog.json").read_text())
    covered = {entry["code"] for entry in CATALOG} | {entry["code"] for entry in datasets}
    assert set(colfile.CODES) - not_from_files - covered == set()


def test_errors_outside_files(tmp_path):
    missing = str(tmp_path / "missing.col")
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.open(missing)
    assert caught.value.code == "io"
    assert str(caught.value) == f"{missing}: cannot open the file: No such file or directory (errno 2)"
    reader = colfile.open(FIXTURES / "spec-example.col")
    with pytest.raises(colfile.ColFileError) as caught:
        reader["nope"]
    assert caught.value.code == "noSuchColumn"
    assert str(caught.value) == f"{reader.path}: column 'nope': no such column"
    cold = colfile.open(FIXTURES / "cold.col", cold_columns="refuse")
    with pytest.raises(colfile.ColFileError) as caught:
        cold["id"]
    assert caught.value.code == "wouldDecode"
    assert caught.value.detail == "column 'id': the column is compressed and this reader does not decode"
    capped = colfile.open(FIXTURES / "cold.col", max_decoded_bytes=100)
    with pytest.raises(colfile.ColFileError) as caught:
        capped["id"]
    assert caught.value.code == "decodeLimitExceeded"
    assert caught.value.detail == ("column 'id': decoding the column needs more memory than allowed "
                                   "(expected at most 100 bytes, found 8800 bytes)")


def test_errors_pickle():
    import pickle
    error = colfile.ColFileError("badMagic", "x.col", None, "not a colfile file", offset=0)
    copy = pickle.loads(pickle.dumps(error))
    assert copy == error and str(copy) == "x.col: not a colfile file at offset 0"


def test_the_codes_are_the_swift_librarys_in_its_order():
    """``colfile.CODES`` mirrors ``ColFileError.Code`` (Sources/ColFile/ColFileError.swift), case by case."""
    import re
    from support import ROOT
    source = (ROOT / "Sources" / "ColFile" / "ColFileError.swift").read_text()
    body = source[source.index("public enum Code"):]
    body = body[:body.index("\n    }\n")]
    assert tuple(re.findall(r"^\s*case (\w+)\s*$", body, re.MULTILINE)) == colfile.CODES
