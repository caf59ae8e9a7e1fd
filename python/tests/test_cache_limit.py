"""The shared decode cache's size limit (Specification.md §13.4): a reader that adds an entry removes
the least recently used others until the entries fit, a mapping marks an entry used, and the Swift
and Python readers share the rule and the folder."""

import os
import time

import numpy as np
import pytest

import colfile
from colfile import _cache
from support import run_swift

ROWS = 10_000
ENTRY_BYTES = 86_016  # the header page and 80,000 bytes of Int64 rounded up to 4 KiB
NAMES = ["a", "b", "c", "d"]


@pytest.mark.parametrize("text, size", [
    ("0", 0), ("1048576", 1 << 20), ("512M", 512 << 20), ("20g", 20 << 30), ("1T", 1 << 40), ("3k", 3 << 10),
    ("8589934591G", 8_589_934_591 << 30),
])
def test_sizes_parse(text, size):
    assert _cache.parse_size(text) == size


@pytest.mark.parametrize("text", ["", "M", "-1", "+1", "1.5G", " 1G", "1G ", "1GB", "1KiB", "1 G", "١٢", "0x10",
                                  "99999999999999999999", "8589934592G", "9223372036854775807K", "1_000"])
def test_non_sizes_do_not_parse(text):
    assert _cache.parse_size(text) is None


def test_the_limit_comes_from_the_caller_the_environment_or_the_file_system(tmp_path, monkeypatch):
    monkeypatch.delenv(_cache.MAX_SIZE_VARIABLE, raising=False)
    assert _cache.size_limit(str(tmp_path), 5) == 5
    info = os.statvfs(tmp_path)
    assert _cache.size_limit(str(tmp_path)) == info.f_blocks * info.f_frsize // 10
    assert _cache.size_limit(str(tmp_path / "none")) is None
    monkeypatch.setenv(_cache.MAX_SIZE_VARIABLE, "100k")
    assert _cache.size_limit(str(tmp_path / "none")) == 102_400
    monkeypatch.setenv(_cache.MAX_SIZE_VARIABLE, "lots")
    assert _cache.size_limit(str(tmp_path)) == info.f_blocks * info.f_frsize // 10


def _cold_file(folder) -> str:
    path = str(folder / "cold.col")
    colfile.write(path, {name: np.arange(ROWS, dtype=np.int64) * 4 + offset for offset, name in enumerate(NAMES)},
                  compress="zlib", chunk_size=4096, sync=False)
    return path


def _read(path, name, cache, max_bytes=None):
    with colfile.open(path, cache_dir=cache, cache_max_bytes=max_bytes) as reader:
        return np.array(reader[name])


def _cached_columns(cache):
    return {int(path.rsplit("-", 1)[1].split(".")[0]) for path, _, _ in _cache.cache_entries(cache)}


def _set_last_use(path, seconds_ago):
    moment = time.time() - seconds_ago
    os.utime(path, (moment, moment))


def test_adding_an_entry_removes_the_least_recently_used(tmp_path):
    path = _cold_file(tmp_path)
    cache = str(tmp_path / "cache")
    limit = 3 * ENTRY_BYTES + ENTRY_BYTES // 2  # a trim leaves 0.9 of it: three entries
    for name in NAMES[:3]:
        _read(path, name, cache, limit)
    entries = _cache.cache_entries(cache)
    assert _cached_columns(cache) == {0, 1, 2} and all(size == ENTRY_BYTES for _, size, _ in entries)
    for (entry, _, _), hours in zip(entries, [3, 2, 1]):
        _set_last_use(entry, hours * 3600)
    # Mapping `a` again marks it used now: `b` becomes the least recently used, and goes.
    assert _read(path, "a", cache, limit)[-1] == (ROWS - 1) * 4
    assert _cache.cache_entries(cache)[-1][0] == entries[0][0]
    assert _read(path, "d", cache, limit)[5] == 23
    assert _cached_columns(cache) == {0, 2, 3}
    # A mapping within a minute of the last mark does not mark it again.
    marked = [used for _, _, used in _cache.cache_entries(cache)]
    _read(path, "a", cache, limit)
    assert [used for _, _, used in _cache.cache_entries(cache)] == marked


def test_the_entry_added_is_kept_even_above_the_limit(tmp_path):
    path = _cold_file(tmp_path)
    cache = str(tmp_path / "cache")
    _read(path, "a", cache, 1000)
    assert _cached_columns(cache) == {0}
    _read(path, "b", cache, 1000)
    assert _cached_columns(cache) == {1}
    _read(path, "c", cache, 4 * ENTRY_BYTES)
    assert _cached_columns(cache) == {1, 2}


def test_a_trim_leaves_nine_tenths_and_lists_the_folder_only_when_it_may_be_full(tmp_path):
    """Ten entries under a limit of ten: the eleventh write trims to nine tenths (two go). A write
    that the last listing says still fits does not list the folder, so an entry put there by
    someone else is counted only at the next listing, which trims it away."""
    path = str(tmp_path / "wide.col")
    colfile.write(path, {f"c{index}": np.arange(ROWS, dtype=np.int64) + index for index in range(12)},
                  compress="zlib", chunk_size=4096, sync=False)
    cache = str(tmp_path / "cache")
    limit = 10 * ENTRY_BYTES
    for index in range(10):
        _read(path, f"c{index}", cache, limit)
    assert _cached_columns(cache) == set(range(10))
    _read(path, "c10", cache, limit)
    assert _cached_columns(cache) == set(range(2, 11))
    # Another process's entry, unseen until the last listing plus this process's writes pass the limit.
    os.link(_cache.cache_entries(cache)[-1][0], f"{cache}/other-0.colcache")
    _read(path, "c11", cache, limit)
    assert len(_cache.cache_entries(cache)) == 11
    _read(path, "c0", cache, limit)
    assert len(_cache.cache_entries(cache)) == 9 and 0 in _cached_columns(cache)


def test_readers_keep_what_they_mapped_when_its_entry_is_removed(tmp_path):
    path = _cold_file(tmp_path)
    cache = str(tmp_path / "cache")
    reader = colfile.open(path, cache_dir=cache)
    values = reader["b"]
    assert len(_cache.trim(cache, 0)) == 1 and _cached_columns(cache) == set()
    assert np.array_equal(values, np.arange(ROWS) * 4 + 1)
    assert np.array_equal(_read(path, "b", cache), values)
    assert _cached_columns(cache) == {1}
    reader.close()


def test_swift_and_python_readers_share_the_limit_and_the_marks(tmp_path):
    """Python decodes `a` and `b`; the Swift tool, reading `c` under a limit of two entries,
    removes the entry the Python reader used least recently; Python then trims a Swift entry."""
    path = _cold_file(tmp_path)
    cache = str(tmp_path / "cache")
    _read(path, "a", cache)
    _read(path, "b", cache)
    entries = _cache.cache_entries(cache)
    _set_last_use(entries[0][0], 7200)
    _set_last_use(entries[1][0], 3600)
    _read(path, "a", cache)  # marks `a` used now
    limit = 2 * ENTRY_BYTES + ENTRY_BYTES * 3 // 10  # a trim leaves 0.9 of it: two entries
    run_swift("colfile", "export", "--columns", "c", path,
              env={"COLFILE_CACHE_DIR": cache, _cache.MAX_SIZE_VARIABLE: str(limit)})
    assert _cached_columns(cache) == {0, 2}
    listed = run_swift("colfile", "cache", "list", "--folder", cache, env={_cache.MAX_SIZE_VARIABLE: "172032"})
    assert listed.stdout.splitlines()[0] == f"{cache}: 2 entries, 172 kB; limit 172 kB ($COLFILE_CACHE_MAX_SIZE)"
    swift_entry = next(entry for entry, _, _ in _cache.cache_entries(cache) if entry.endswith("-2.colcache"))
    _set_last_use(swift_entry, 60)
    _read(path, "d", cache, limit)
    assert _cached_columns(cache) == {0, 3}
