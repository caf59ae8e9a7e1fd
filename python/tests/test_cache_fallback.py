"""A decode cache that cannot take an entry (a full disk, a read-only file system, a folder that is
not ours) makes the reader decode privately (issue 17): the read succeeds, ``Reader.cache_fallbacks``
and a ``colfile.CacheFallback`` warning say why, and no entry, temporary or lock file is left."""

import errno
import os

import numpy as np
import pytest

import colfile
from colfile import _cache
from support import tmpfs

ROWS = 1 << 18  # 2 MiB decoded: more than the 1 MiB tmpfs


@pytest.fixture
def cold(tmp_path):
    path = tmp_path / "cold.col"
    values = (np.arange(ROWS, dtype=np.int64) * 2654435761) % 1000003
    colfile.write(path, {"x": values}, compress="zlib")
    return str(path), values


def _read(path, cache):
    with pytest.warns(colfile.CacheFallback) as caught:
        reader = colfile.open(path, cache_dir=str(cache))
        values = np.asarray(reader["x"])
    assert reader.cold_column_source("x") == "private"
    assert len(reader.cache_fallbacks) == 1 and reader.cache_fallbacks[0] == caught[0].message
    return reader, values


def test_a_full_tmpfs(tmp_path, cold):
    path, expected = cold
    with tmpfs(tmp_path / "disk", "1m") as disk:
        reader, values = _read(path, disk)
        assert np.array_equal(values, expected)
        fallback = reader.cache_fallbacks[0]
        assert fallback.errno == errno.ENOSPC and fallback.column == "x" and fallback.folder == str(disk)
        assert str(fallback).endswith("No space left on device (errno 28))")
        assert os.listdir(disk) == []


def test_a_read_only_tmpfs(tmp_path, cold):
    path, expected = cold
    with tmpfs(tmp_path / "disk", read_only=True) as disk:
        reader, values = _read(path, disk)
        assert np.array_equal(values, expected)
        assert reader.cache_fallbacks[0].errno == errno.EROFS
        assert os.listdir(disk) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EACCES])
def test_an_injected_write_fault(tmp_path, cold, monkeypatch, code):
    path, expected = cold
    real = _cache.write_all
    written = []

    def failing(fd, data, offset=None):
        written.append(len(memoryview(data)))
        if sum(written) > (512 << 10):
            raise OSError(code, os.strerror(code))
        real(fd, data, offset)

    monkeypatch.setattr(_cache, "write_all", failing)
    cache = tmp_path / "cache"
    reader, values = _read(path, cache)
    assert np.array_equal(values, expected)
    assert reader.cache_fallbacks[0].errno == code
    assert os.listdir(cache) == []
    monkeypatch.setattr(_cache, "write_all", real)
    again = colfile.open(path, cache_dir=str(cache))
    assert np.array_equal(np.asarray(again["x"]), expected) and again.cache_fallbacks == []
    assert len(os.listdir(cache)) == 1


def test_a_folder_writable_by_others(tmp_path, cold):
    path, expected = cold
    cache = tmp_path / "shared"
    cache.mkdir()
    os.chmod(cache, 0o777)
    reader, values = _read(path, cache)
    assert np.array_equal(values, expected)
    assert reader.cache_fallbacks[0].reason == "writable by group or others"
    assert os.listdir(cache) == []
