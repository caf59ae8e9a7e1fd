"""The CRC-32 every check and every write uses: ISA-L's where installed, zlib's values either way."""

import importlib.util
import sys
import zlib

import numpy as np
import pytest

import colfile
from colfile import _crc

# Around the size from which ISA-L's code is used, and far past it; odd sizes and offsets so its
# folding's tail and unaligned start are both reached.
SIZES = [0, 1, 7, _crc.FAST_MINIMUM - 1, _crc.FAST_MINIMUM, _crc.FAST_MINIMUM + 1, 4095, 65_537, (1 << 20) + 3]


def _bytes(count: int, seed: int = 11) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, count, dtype=np.uint8).tobytes()


def _load_without_isal(monkeypatch):
    """A separate copy of the module, loaded as if the ``isal`` package were not installed."""
    monkeypatch.setitem(sys.modules, "isal", None)  # an import of it now raises ImportError
    monkeypatch.setitem(sys.modules, "isal.isal_zlib", None)
    spec = importlib.util.spec_from_file_location("colfile_crc_without_isal", _crc.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_fast_code_is_used_exactly_when_isal_is_installed():
    installed = importlib.util.find_spec("isal") is not None
    assert _crc.IMPLEMENTATION == ("isal" if installed else "zlib")


@pytest.mark.parametrize("count", SIZES)
def test_every_size_gives_zlibs_value(count):
    data = _bytes(count)
    assert _crc.crc32(data) == zlib.crc32(data)
    assert _crc.crc32(data, 0x1234_5678) == zlib.crc32(data, 0x1234_5678)


def test_a_crc_continued_over_pieces_is_the_crc_of_the_whole():
    data = _bytes(300_001, seed=3)
    value = 0
    for start in range(0, len(data), 70_001):
        value = _crc.crc32(data[start:start + 70_001], value)
    assert value == zlib.crc32(data)


def test_any_contiguous_buffer_is_taken():
    data = _bytes(10_000, seed=5)
    expected = zlib.crc32(data[3:])
    assert _crc.crc32(memoryview(data)[3:]) == expected
    assert _crc.crc32(bytearray(data[3:])) == expected
    assert _crc.crc32(np.frombuffer(data, np.uint8)[3:]) == expected


def test_without_isal_zlibs_code_gives_the_same_values(monkeypatch):
    without = _load_without_isal(monkeypatch)
    assert without.IMPLEMENTATION == "zlib"
    for count in SIZES:
        data = _bytes(count, seed=count)
        assert without.crc32(data, 99) == zlib.crc32(data, 99) == _crc.crc32(data, 99)


def test_a_file_written_and_checked_with_either_code_reads_back(tmp_path, monkeypatch):
    values = np.arange(200_000, dtype=np.float64)
    with_fast = tmp_path / "fast.col"
    colfile.write(with_fast, {"x": values}, sync=False)
    monkeypatch.setattr(_crc, "_fast", None)  # zlib's code alone from here on
    colfile.open(with_fast).verify()
    with_zlib = tmp_path / "zlib.col"
    colfile.write(with_zlib, {"x": values}, sync=False)
    monkeypatch.undo()
    reader = colfile.open(with_zlib)
    reader.verify()
    np.testing.assert_array_equal(reader["x"], values)
