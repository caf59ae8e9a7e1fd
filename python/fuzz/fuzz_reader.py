"""Fuzz target for the Python reader's open, validate and read path (RELIABILITY.md, "Fuzzing").

Each input is a whole file, opened with :meth:`colfile.Reader.from_bytes` (the checks of
Specification.md §9, cold columns decoded into private memory under a 64 MiB cap per column), then
every column is looked up by name in reverse file order (its first-use checks, out of order), then
read as the public API serves it (NumPy views, ``VarColumn`` values, bitmaps,
masked arrays, Arrow arrays, ``ChunkedColumn`` rows), ``inspect()`` and ``verify()`` run. As the
Swift fuzz target does, each input is run a second time with its header, directory and plain-buffer
checksums re-sealed (:func:`reseal`), so mutations reach the structural checks behind the CRC-32s.

A finding is any exception other than :class:`colfile.ColFileError` (``IndexError``,
``struct.error``, ``OverflowError``, ``MemoryError``, ``UnicodeDecodeError`` …), a crash or a hang.

Run (atheris from PyPI; seeds are the committed fixtures)::

    python python/fuzz/fuzz_reader.py -max_total_time=60 -timeout=10 -rss_limit_mb=2048 \\
        CORPUS Fixtures Fixtures/broken Fixtures/fuzz-corpus

``.ci/fuzz-python SECONDS`` does this with a working corpus in ``.build-fuzz-python/``. Without
atheris, ``python python/fuzz/fuzz_reader.py FILE...`` replays inputs.
"""

from __future__ import annotations

import os
import struct
import sys
import zlib

try:
    import atheris
except ImportError:  # replay mode only
    atheris = None

if atheris is not None:
    with atheris.instrument_imports(include=["colfile"]):
        import colfile
        from colfile import _format
else:  # pragma: no cover
    import colfile
    from colfile import _format

import numpy as np

DECODE_CAP = 64 << 20  # as the Swift fuzz target: the most decoded bytes per cold column
ROWS_READ = 4  # rows read one by one through VarColumn and ChunkedColumn: first, second, middle, last

try:
    import pyarrow  # noqa: F401  (to_arrow is exercised when pyarrow is installed)
    HAVE_ARROW = True
except ImportError:  # pragma: no cover
    HAVE_ARROW = False


def _rows(count: int):
    return sorted({row for row in (0, 1, count // 2, count - 1) if 0 <= row < count})


def _read_everything(reader: "colfile.Reader") -> None:
    # First uses out of file order, each column found by a lookup (§9: the checks a lookup makes
    # and a column's first-use checks, lazily), before the listing below checks them in order.
    try:
        for name in reversed(reader.names):
            reader.info(name)
    except colfile.ColFileError:
        pass
    reader.inspect()
    _ = reader.metadata, reader.identity, reader.format_version, repr(reader)
    for info in reader.columns:
        name = info.name
        info.to_dict()
        if info.unreadable is not None:
            try:
                reader.column(name)
            except colfile.ColFileError:
                pass
            continue
        try:
            values = reader.column(name)
        except colfile.ColFileError:
            continue
        if isinstance(values, colfile.VarColumn):
            for row in _rows(len(values)):
                values[row]
                values.value_bytes(row)
                values.is_null(row)
            if len(values) <= 100_000:
                values.to_pylist()
            values.null_count
            repr(values)
        elif isinstance(values, colfile.DictColumn):
            # Dictionary-encoded (§6.4): rows through the dictionary, the codes and the entries.
            for row in _rows(len(values)):
                values[row]
                values.is_null(row)
            if len(values) <= 100_000:
                values.to_pylist()
            values.codes.sum()
            len(values.categories)
            repr(values)
        else:
            np.asarray(values).sum() if values.dtype.kind in "iuf" else np.asarray(values).any()
            try:
                reader.masked(name)
            except colfile.ColFileError:
                pass
        reader.validity(name)
        reader.bitmap(name)
        if info.is_compressed:
            try:
                chunked = reader.chunked(name)
                for row in _rows(len(chunked)):
                    chunked[row]
            except colfile.ColFileError:
                pass
    if HAVE_ARROW:
        try:
            reader.to_arrow()
        except colfile.ColFileError:
            pass
    try:
        reader.verify()
    except colfile.ColFileError:
        pass


def run(data: bytes) -> None:
    """Opens and reads one input; only ``ColFileError`` may come out of the library."""
    try:
        reader = colfile.Reader.from_bytes(data, path="<fuzz>", max_decoded_bytes=DECODE_CAP, decode_threads=1)
    except colfile.ColFileError:
        return
    try:
        _read_everything(reader)
    except colfile.ColFileError:
        pass


def _load(data: bytes, fmt: str, offset: int) -> int:
    size = struct.calcsize(fmt)
    if offset < 0 or offset + size > len(data):
        return 0
    return struct.unpack_from(fmt, data, offset)[0]


def _store(data: bytearray, fmt: str, offset: int, value: int) -> None:
    if 0 <= offset and offset + struct.calcsize(fmt) <= len(data):
        struct.pack_into(fmt, data, offset, value)


def reseal(original: bytes):
    """``original`` with the plain buffers' CRC-32s, the directory CRC-32 (header and trailer) and the
    header CRC-32 recomputed as far as its bytes allow (the Swift fuzz target's ``Reseal.swift``);
    None when nothing changes. Every offset read here is bounds-checked: the bytes are arbitrary."""
    data = bytearray(original)
    if len(data) < _format.HEADER_LENGTH:
        return None
    directory = _load(data, "<Q", 40)
    length = _load(data, "<Q", 48)
    end = directory + length
    if length >= _format.DIRECTORY_HEADER_LENGTH and end <= len(data):
        columns = _load(data, "<I", directory + 4)
        record_length = _load(data, "<I", directory + 16)
        records = directory + _load(data, "<I", directory + 20)
        descriptors_end = 56 + 3 * _format.BUFFER_DESCRIPTOR_LENGTH
        if record_length >= descriptors_end and columns <= 4096:
            for column in range(columns):
                record = records + column * record_length
                if record + descriptors_end > end or _load(data, "<B", record + 12) != 0:
                    continue
                for slot in range(3):
                    descriptor = record + 56 + slot * _format.BUFFER_DESCRIPTOR_LENGTH
                    offset = _load(data, "<Q", descriptor)
                    stored = _load(data, "<Q", descriptor + 8)
                    if stored == 0 or offset + stored > len(data):
                        continue
                    _store(data, "<I", descriptor + 24, zlib.crc32(data[offset:offset + stored]))
        checksum = zlib.crc32(data[directory:end])
        _store(data, "<I", 56, checksum)
        if end + _format.TRAILER_LENGTH <= len(data):
            _store(data, "<Q", end, directory)
            _store(data, "<Q", end + 8, length)
            _store(data, "<I", end + 16, checksum)
    _store(data, "<I", 60, zlib.crc32(data[:60]))
    resealed = bytes(data)
    return None if resealed == original else resealed


def test_one_input(data: bytes) -> None:
    run(data)
    resealed = reseal(data)
    if resealed is not None:
        run(resealed)


def main(arguments) -> None:
    if atheris is None or (arguments[1:] and all(os.path.isfile(path) for path in arguments[1:])):
        for path in arguments[1:]:  # replay
            with open(path, "rb") as file:
                test_one_input(file.read())
        return
    atheris.Setup(arguments, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
