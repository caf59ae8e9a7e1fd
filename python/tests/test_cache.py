"""The shared decode cache (Specification.md §13.4) in Python: concurrent first readers decode once,
and only trusted entries and folders are used."""

import errno
import multiprocessing
import os
import stat

import numpy as np
import pytest

import colfile
from colfile import _cache
from support import FIXTURES

COLD = str(FIXTURES / "cold.col")


def _first_read(cache):
    _state["barrier"].wait(timeout=60)
    reader = colfile.open(COLD, cache_dir=cache)
    values = reader["label"].to_pylist()
    return reader.cold_column_source("label"), values[20]


_state = {}


def _init(barrier):
    _state["barrier"] = barrier


def test_concurrent_first_readers_decode_once(tmp_path):
    cache = str(tmp_path / "cache")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    with context.Pool(4, initializer=_init, initargs=(barrier,)) as pool:
        results = pool.map(_first_read, [cache] * 4, chunksize=1)
    assert sorted(source for source, _ in results) == ["decoded", "mapped", "mapped", "mapped"]
    assert {value for _, value in results} == {"é-20"}
    assert sorted(os.listdir(cache)) == ["000102030405060708090a0b0c0d0e0f-22a891c4-2.colcache"]


def _entry(cache):
    return os.path.join(cache, "000102030405060708090a0b0c0d0e0f-22a891c4-0.colcache")


def _source_after(cache):
    _cache.forget_checked_entries()
    reader = colfile.open(COLD, cache_dir=cache)
    assert reader["id"][5] == 5 * 3 - 1000
    return reader.cold_column_source("id")


def test_only_trusted_entries_are_mapped(tmp_path):
    cache = str(tmp_path / "cache")
    assert _source_after(cache) == "decoded"
    assert _source_after(cache) == "mapped"
    entry = _entry(cache)
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
    # Not of the exact size.
    with open(entry, "ab") as handle:
        handle.write(b"\0")
    assert _source_after(cache) == "decoded"
    # A symbolic link to a good entry.
    good = entry + ".good"
    os.rename(entry, good)
    os.symlink(good, entry)
    assert _source_after(cache) == "decoded" and not os.path.islink(entry)
    # Another owner.
    os.chown(entry, 65534, 65534)
    assert _source_after(cache) == "decoded" and os.stat(entry).st_uid == os.geteuid()
    # A header naming another column.
    data = bytearray(open(entry, "rb").read())
    data[12] = 9
    open(entry, "wb").write(data)
    assert _source_after(cache) == "decoded"
    assert not [name for name in os.listdir(cache) if name.endswith(".lock") or "colfile-tmp" in name]


def test_an_unsafe_folder_is_not_used(tmp_path):
    cache = tmp_path / "shared"
    cache.mkdir()
    os.chmod(cache, 0o777)  # writable by others: decode privately instead
    reader = colfile.open(COLD, cache_dir=str(cache))
    with pytest.warns(colfile.CacheFallback, match="writable by group or others"):
        assert reader["id"][0] == -1000 and reader.cold_column_source("id") == "private"
    assert os.listdir(cache) == []
    link = tmp_path / "link"
    good = tmp_path / "good"
    good.mkdir(mode=0o700)
    link.symlink_to(good)
    reader = colfile.open(COLD, cache_dir=str(link))
    with pytest.warns(colfile.CacheFallback, match="not a folder"):
        assert reader["id"][0] == -1000 and reader.cold_column_source("id") == "private"


def test_the_default_folder(monkeypatch):
    monkeypatch.setenv("COLFILE_CACHE_DIR", "/x/explicit")
    assert colfile.default_cache_folder() == "/x/explicit"
    monkeypatch.setenv("COLFILE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/xdg")
    assert colfile.default_cache_folder() == "/x/xdg/colfile"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", "/x/home")
    assert colfile.default_cache_folder() == "/x/home/.cache/colfile"
    monkeypatch.setenv("HOME", "")
    assert colfile.default_cache_folder() == f"/tmp/colfile-cache-{os.geteuid()}"


def test_a_zero_row_cold_column(tmp_path):
    path = tmp_path / "empty.col"
    colfile.write(path, {"x": np.zeros(0), "s": np.array([], dtype=str)}, compress="zlib")
    reader = colfile.open(path, cache_dir=str(tmp_path / "cache"))
    assert reader["x"].tolist() == [] and reader["s"].to_pylist() == []
    assert reader.cold_column_source("x") == "decoded"
    sizes = {name.rsplit("-", 1)[1]: os.path.getsize(tmp_path / "cache" / name)
             for name in os.listdir(tmp_path / "cache")}
    assert sizes == {"0.colcache": 4096, "1.colcache": 8192}  # the header page; + the offsets [0]


def test_an_entry_that_cannot_be_mapped_fails_the_read_saying_why(tmp_path, monkeypatch):
    """An entry ``mmap`` refuses (``ENOMEM``: the address space limit or ``vm.max_map_count``)
    fails the read with ``io`` naming the entry, as in Swift; the entry stays and is used later."""
    cache = str(tmp_path / "cache")
    real = _cache.mmap.mmap

    class Refusing(real):  # a subclass, so that isinstance checks on regions still work
        def __new__(cls, fd, length, **kwargs):
            if length > 0 and os.path.dirname(os.readlink(f"/proc/self/fd/{fd}")) == cache:
                raise OSError(errno.ENOMEM, os.strerror(errno.ENOMEM))
            return super().__new__(cls, fd, length, **kwargs)

    _cache.forget_checked_entries()
    monkeypatch.setattr(_cache.mmap, "mmap", Refusing)
    reader = colfile.open(COLD, cache_dir=cache)
    with pytest.raises(colfile.ColFileError) as caught:
        reader["id"]
    assert caught.value.code == "io"
    assert str(caught.value) == (f"{COLD}: column 'id': cannot map the cache entry {_entry(cache)}: "
                                 "Cannot allocate memory (errno 12)")
    assert os.listdir(cache) == [os.path.basename(_entry(cache))]
    monkeypatch.setattr(_cache.mmap, "mmap", real)
    assert _source_after(cache) == "mapped"
