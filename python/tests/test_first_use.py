"""A column's name and record are checked on its first use, once per reader, whichever thread asks
first (Specification.md §9), as the Swift reader does (Tests/ColFileTests/FirstUseTests.swift): open
checks what every column shares, a bad column keeps failing with the same error, the other columns
stay readable, and a lookup by name checks the name index entries it visits."""

import gc
import threading
import weakref

import numpy as np
import pytest

import colfile
from support import CATALOG, FIXTURES

BROKEN = {entry["name"]: entry for entry in CATALOG}


def _open(name: str, path: str) -> colfile.Reader:
    return colfile.Reader.from_bytes((FIXTURES / "broken" / f"{name}.col").read_bytes(), path)


def test_concurrent_first_uses_of_a_bad_column_all_fail_the_same_way():
    """``overlapping-buffers``: column ``name``'s offsets overlap column ``id``'s values."""
    reader = _open("overlapping-buffers", "o.col")
    errors = [None] * 16
    start = threading.Barrier(16)

    def use(slot: int) -> None:
        start.wait()
        try:
            reader.info("name") if slot % 2 == 0 else reader["name"]
        except colfile.ColFileError as error:
            errors[slot] = error

    threads = [threading.Thread(target=use, args=(slot,)) for slot in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(error is not None and error == errors[0] for error in errors)
    assert str(errors[0]) == f"o.col: {BROKEN['overlapping-buffers']['message']}"
    # Asking again answers as the first use did.
    with pytest.raises(colfile.ColFileError) as again:
        reader.info("name")
    assert again.value == errors[0]


def test_a_bad_record_does_not_stop_the_other_columns():
    """A file whose last column's record is bad opens, and its first column reads."""
    reader = _open("first-offset-not-zero", "f.col")
    assert reader["id"].tolist() == [1, 2, 3]
    with pytest.raises(colfile.ColFileError) as caught:
        reader.info("name")
    assert caught.value.code == "badOffsets"
    assert reader.names == ["id", "name"]
    with pytest.raises(colfile.ColFileError) as listing:
        reader.columns
    assert listing.value == caught.value


def test_a_bad_name_fails_on_its_columns_first_use():
    """``empty-column-name``: column ``id`` (index 0) has a name of 0 bytes; the lookup of ``name``
    visits only its own entry."""
    reader = _open("empty-column-name", "e.col")
    assert reader.info("name").index == 1
    expected = f"e.col: {BROKEN['empty-column-name']['message']}"
    for _ in range(2):
        with pytest.raises(colfile.ColFileError) as caught:
            reader.columns
        assert caught.value.code == "badColumnName" and str(caught.value) == expected
    with pytest.raises(colfile.ColFileError) as listing:
        reader.names
    assert str(listing.value) == expected


def test_a_lookup_checks_the_entries_it_visits():
    """``name-index-entry-out-of-range``: the index's first entry (the place of ``id``) is 7."""
    reader = _open("name-index-entry-out-of-range", "r.col")
    assert reader.info("name").index == 1
    with pytest.raises(colfile.ColFileError) as lookup:
        reader.info("id")
    assert str(lookup.value) == f"r.col: {BROKEN['name-index-entry-out-of-range']['message']}"
    with pytest.raises(colfile.ColFileError) as listing:
        reader.columns
    assert listing.value == lookup.value


def test_a_lookup_that_misses_checks_the_whole_index():
    """``name-index-unsorted`` (entries swapped): the search for ``name`` misses it and reports the
    index, not "no such column"."""
    reader = _open("name-index-unsorted", "u.col")
    assert reader.info("id").index == 0
    with pytest.raises(colfile.ColFileError) as miss:
        reader.info("name")
    assert miss.value.code == "badNameIndex"
    assert str(miss.value) == f"u.col: {BROKEN['name-index-unsorted']['message']}"
    with pytest.raises(colfile.ColFileError) as other:
        reader.info("no such name")
    assert other.value == miss.value
    with pytest.raises(colfile.ColFileError) as membership:  # membership asks the same search
        "no such name" in reader
    assert membership.value == miss.value


def test_every_name_is_found_without_a_listing(tmp_path):
    """In a valid file every name is found by a lookup made before any listing, at every depth of
    the binary search, and a name that is not there is "no such column"."""
    path = tmp_path / "wide.col"
    names = [f"c{index}" for index in range(300)]
    colfile.write(path, {name: np.array([index % 100], dtype=np.int8) for index, name in enumerate(names)},
                  sync=False)
    for index, name in enumerate(names):
        with colfile.open(path) as reader:
            assert reader.info(name).index == index
            assert reader[name].tolist() == [index % 100]
    with colfile.open(path) as reader:
        with pytest.raises(colfile.ColFileError) as caught:
            reader.info("c300")
        assert caught.value.code == "noSuchColumn"
        assert "c300" not in reader and "\udc80" not in reader


def test_a_failed_first_use_leaves_no_reference_cycle():
    """The error kept for a bad column holds no traceback: the reader and its mapping are freed by
    reference counting alone, without waiting for the garbage collector."""
    gc.disable()
    try:
        reader = _open("overlapping-buffers", "o.col")
        for _ in range(2):
            with pytest.raises(colfile.ColFileError):
                reader.info("name")
        layout = weakref.ref(reader._layout)
        del reader
        assert layout() is None
    finally:
        gc.enable()
