"""The writer: columns from NumPy, Python lists, Arrow or pandas, published atomically (§11).

Layout decisions follow the Swift reference writer byte for byte (the golden fixtures are
reproduced exactly): buffers in column order (validity when the column has nulls, offsets,
values), 64-byte aligned (4096 from 1 MiB), the directory of §5 with each heap item at a multiple
of 8, String/Binary widened to the Large form only when the bytes reach 2^31, cold columns as zstd
frames (level 3, chunks of 128 KiB, or 32 KiB for a column whose sample compresses to more than half
its size) or zlib streams (level 6, chunks of 64 KiB), dictionary-encoded columns in 232-byte
records with their index type and dictionary as given (``_dictionary_writer``), and the lowest minor
version with every feature used (0 plain, 1 zlib, 2 zstd or a dictionary-encoded column).
"""

from __future__ import annotations

import collections.abc
import os
import struct
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Union

import numpy as np

from . import _codec, _crc, _zstd
from ._collector import collector_paused
from ._errors import ColFileError
from ._files import TemporaryFile, copy_range, folder_of, open_scratch, reserve, write_all
from ._format import (ABSENT, BUFFER_ALIGNMENT, CODEC_NONE, CODEC_ZLIB, CODEC_ZSTD, CODECS, DIRECTORY_HEADER_LENGTH,
                      HEADER_LENGTH, LARGE_BUFFER_ALIGNMENT, LARGE_BUFFER_THRESHOLD, MAX_CHUNK_SIZE,
                      MAX_COLUMN_METADATA_LENGTH, MAX_FILE_METADATA_LENGTH, MAX_METADATA_ENTRIES,
                      MAX_METADATA_KEY_LENGTH, MINOR_VERSION, MIN_CHUNK_SIZE, PHYSICAL_CODES, TIME_UNITS,
                      _RECORD, _U64, Descriptor, crc32, encode_header, encode_metadata, encode_trailer)
from ._dictionary_writer import (INDEX_TYPES, DictionaryEncoded, DictionarySink, NarrowedIndices,
                                 arrow_dictionary_pieces, explicit_piece)
from ._types import (ColumnSpec, Piece, arrow_pieces, arrow_spec, fail, numpy_piece, numpy_spec, parse_type,
                     python_piece, validate_spec)

STAGING = 4 << 20  # writes of the published file are at least this large (large page-cache folios)
SPILL_STAGING = 256 << 10  # the most one buffer stages before it writes out an extent
SPILL_BUDGET = 64 << 20  # the most all buffers of a writer stage together (then each writes out at its next append)
# §13.1: the reference writer's defaults (BENCHMARKS.md, "Cold columns").
ZLIB_LEVEL = 6
ZLIB_CHUNK_SIZE = 64 << 10
ZSTD_LEVEL = _zstd.DEFAULT_LEVEL
ZSTD_CHUNK_SIZE = 128 << 10
ZSTD_SMALL_CHUNK_SIZE = 32 << 10  # for columns whose sample compresses to more than SMALL_CHUNK_RATIO
SMALL_CHUNK_RATIO = 0.5
DEFAULT_CHUNK_SIZE = ZLIB_CHUNK_SIZE  # the zlib default (format 1.1's only codec)
SAMPLE_LENGTH = 256 << 10  # bytes of a column's values compressed to choose ("auto", zstd's chunk size)
AUTO_SAMPLE = SAMPLE_LENGTH
AUTO_MAX_RATIO = 0.8
COMPRESS_CHOICES = ("none", "zstd", "zlib", "auto")
INT32_MAX = (1 << 31) - 1
_BIT_BLOCK = 1 << 20

Compress = Union[None, str, Mapping[str, Optional[str]]]


def _check_compress(compress: Any, path: str) -> None:
    """Raises ``invalidArgument`` unless ``compress`` is None, a choice, or a mapping of names to choices."""
    choices = compress.values() if isinstance(compress, collections.abc.Mapping) else [compress]
    for choice in choices:
        if choice is not None and choice not in COMPRESS_CHOICES:
            raise fail(path, None, "compress must be None, 'none', 'zstd', 'zlib', 'auto' or a dict of them per column")


def _alignment(length: int) -> int:
    return LARGE_BUFFER_ALIGNMENT if length >= LARGE_BUFFER_THRESHOLD else BUFFER_ALIGNMENT


def _bytes_view(data: Any) -> memoryview:
    if isinstance(data, np.ndarray):
        data = np.ascontiguousarray(data).reshape(-1).view(np.uint8)
    return memoryview(data).cast("B")


def _check_metadata(metadata: Mapping[str, str], max_block: int, path: str, column: Optional[str]) -> Dict[str, str]:
    """Checks key/value metadata against §5.4 and §8 (the Swift writer's ``MetadataLimits``)."""
    result = {}
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise fail(path, column, "metadata keys and values must be strings")
        result[key] = value
    if len(result) > MAX_METADATA_ENTRIES:
        raise fail(path, column, f"metadata may have at most {MAX_METADATA_ENTRIES} entries")
    size = 4
    for key, value in result.items():
        try:
            key_length = len(key.encode("utf-8"))
            value_length = len(value.encode("utf-8"))
        except UnicodeEncodeError:
            raise fail(path, column, "metadata keys and values must be valid UTF-8") from None
        if not 1 <= key_length <= MAX_METADATA_KEY_LENGTH:
            raise fail(path, column, f"metadata keys must be 1 to {MAX_METADATA_KEY_LENGTH} bytes")
        size += 8 + key_length + value_length
    if size > max_block:
        raise fail(path, column, f"metadata takes {size} bytes, more than the {max_block} allowed")
    return result


class _Output:
    """Appends to the file being published in large writes, keeping the CRC-32 of each buffer."""

    def __init__(self, fd: int, position: int) -> None:
        self.fd = fd
        self.staging = bytearray()
        self.start = position  # file offset of the first staged byte
        self.crc = 0

    @property
    def position(self) -> int:
        return self.start + len(self.staging)

    def begin_checksum(self) -> None:
        self.crc = 0

    def append(self, data: Any, checksum: bool = True) -> None:
        view = _bytes_view(data)
        if len(view) >= STAGING:
            # A large buffer: its CRC-32 on another thread while this one writes it (both release
            # the GIL), so writing costs about the larger of the two instead of their sum.
            pending = _codec.pool().submit(_crc.crc32, view, self.crc) if checksum else None
            self.flush()
            write_all(self.fd, view, self.start)
            self.start += len(view)
            if pending is not None:
                self.crc = pending.result()
            return
        if checksum:
            self.crc = _crc.crc32(view, self.crc)
        if len(self.staging) + len(view) > STAGING:
            self.flush()
        self.staging += view

    def pad(self, alignment: int) -> None:
        remainder = self.position % alignment
        if remainder:
            self.append(bytes(alignment - remainder), checksum=False)

    def flush(self) -> None:
        if self.staging:
            write_all(self.fd, self.staging, self.start)
            self.start += len(self.staging)
            self.staging = bytearray()

    def copy_from(self, fd: int, length: int, offset: int = 0) -> None:
        self.flush()
        copy_range(fd, offset, self.fd, self.start, length)
        self.start += length

    def overwrite(self, data: bytes, offset: int) -> None:
        self.flush()
        write_all(self.fd, data, offset)

    def reserve(self, length: int) -> None:
        reserve(self.fd, self.position, length)


class _MemoryStore:
    """A buffer held as pieces of memory (``colfile.write``: the caller's arrays, not copied)."""

    def __init__(self) -> None:
        self.pieces: List[memoryview] = []
        self.length = 0

    def append(self, data: Any) -> None:
        view = _bytes_view(data)
        if len(view):
            self.pieces.append(view)
            self.length += len(view)

    def read(self, offset: int, length: int) -> memoryview:
        out = bytearray()
        position = 0
        for piece in self.pieces:
            end = position + len(piece)
            if end > offset and position < offset + length:
                out += piece[max(0, offset - position):min(len(piece), offset + length - position)]
            position = end
        if len(self.pieces) == 1 and len(out) == length:
            return self.pieces[0][offset:offset + length]
        return memoryview(out)

    def write_plain(self, output: _Output) -> None:
        for piece in self.pieces:
            output.append(piece)

    def close(self) -> None:
        self.pieces = []


class _ScratchArena:
    """One unnamed scratch file beside the target for every spilled buffer of a writer, and the
    budget of memory their staged bytes take together (the Swift writer's ``ScratchArena``): a
    writer of any number of columns holds two file descriptors (its temporary file and this one,
    opened at the first spill) and about ``SPILL_BUDGET`` staged bytes plus one append per buffer."""

    def __init__(self, folder: str, target: str) -> None:
        self.folder = folder
        self.target = target
        self.fd: Optional[int] = None
        self.end = 0  # where the next extent goes
        self.staged = 0  # bytes staged by all stores

    def append_extent(self, data: Any) -> int:
        """Writes ``data`` at the end of the scratch file; returns where it starts."""
        if self.fd is None:
            self.fd = open_scratch(self.folder, self.target)
        start = self.end
        write_all(self.fd, data, start)
        self.end += len(data)
        return start

    def close(self) -> None:
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:  # pragma: no cover
                pass
            self.fd = None


class _SpillStore:
    """A buffer of a ``Writer`` (bounded memory): bytes staged in memory, and extents of the
    writer's ``_ScratchArena`` for what was written out."""

    def __init__(self, arena: _ScratchArena) -> None:
        self.arena = arena
        self.staging = bytearray()
        self.extents: List[Tuple[int, int]] = []  # (offset in the arena's file, length), in order
        self.length = 0
        self.written = 0
        self.crc = 0

    def append(self, data: Any) -> None:
        view = _bytes_view(data)
        self.crc = _crc.crc32(view, self.crc)
        self.length += len(view)
        if len(view) >= SPILL_STAGING:
            self.flush()
            self._extent(view)
            return
        self.staging += view
        self.arena.staged += len(view)
        if len(self.staging) >= SPILL_STAGING or self.arena.staged > SPILL_BUDGET:
            self.flush()

    def _extent(self, data: Any) -> None:
        offset = self.arena.append_extent(data)
        if self.extents and sum(self.extents[-1]) == offset:
            self.extents[-1] = (self.extents[-1][0], self.extents[-1][1] + len(data))
        else:
            self.extents.append((offset, len(data)))
        self.written += len(data)

    def flush(self) -> None:
        """Writes the staged bytes out as one extent."""
        if self.staging:
            self._extent(self.staging)
            self.arena.staged -= len(self.staging)
            self.staging = bytearray()

    def read(self, offset: int, length: int) -> memoryview:
        out = bytearray(length)
        view = memoryview(out)
        filled = 0
        position = 0  # of the bytes appended, where the extent starts
        for extent_offset, extent_length in self.extents:
            if filled == length:
                break
            end = position + extent_length
            if end > offset + filled:
                within = offset + filled - position
                count = min(length - filled, extent_length - within)
                self._read_extent(view[filled:filled + count], extent_offset + within)
                filled += count
            position = end
        if filled < length:
            start = offset + filled - self.written
            view[filled:] = self.staging[start:start + length - filled]
        return view

    def _read_extent(self, view: memoryview, offset: int) -> None:
        filled = 0
        while filled < len(view):
            count = os.preadv(self.arena.fd, [view[filled:]], offset + filled)
            if count <= 0:
                raise OSError(5, "a scratch file was shorter than written")
            filled += count

    def write_plain(self, output: _Output) -> None:
        for extent_offset, extent_length in self.extents:
            output.copy_from(self.arena.fd, extent_length, extent_offset)
        if self.staging:
            output.append(self.staging, checksum=False)
        output.crc = self.crc & 0xFFFFFFFF

    def close(self) -> None:
        self.arena.staged -= len(self.staging)
        self.staging = bytearray()
        self.extents = []


class _Bits:
    """Bits appended a run at a time, packed least-significant bit first (§6.1) into a store."""

    def __init__(self, store) -> None:
        self.store = store
        self.pending = np.zeros(0, bool)

    def append(self, bits: np.ndarray) -> None:
        if len(self.pending):
            bits = np.concatenate([self.pending, bits])
        whole = len(bits) // 8 * 8
        if whole:
            self.store.append(np.packbits(bits[:whole], bitorder="little"))
        self.pending = bits[whole:].copy()

    def append_run(self, value: bool, count: int) -> None:
        while count > 0:
            step = min(count, _BIT_BLOCK)
            self.append(np.full(step, value, bool))
            count -= step

    def finish(self) -> None:
        if len(self.pending):
            self.store.append(np.packbits(self.pending, bitorder="little"))
            self.pending = np.zeros(0, bool)


class _NarrowedOffsets:
    """The int64 offsets of a store as int32 offsets, converted block by block."""

    def __init__(self, store) -> None:
        self.store = store
        self.length = store.length // 2

    def read(self, offset: int, length: int) -> memoryview:
        wide = np.frombuffer(self.store.read(offset * 2, length * 2), "<i8")
        return memoryview(wide.astype("<i4")).cast("B")

    def write_plain(self, output: _Output) -> None:
        block = 8 << 20
        for start in range(0, self.length, block):
            output.append(self.read(start, min(block, self.length - start)))


class _ColumnSink:
    """One column being written: its stores, counts and declared type."""

    def __init__(self, spec: ColumnSpec, make_store) -> None:
        self.spec = spec
        self.make_store = make_store
        self.rows = 0
        self.nulls = 0
        self.validity: Optional[_Bits] = None
        self.values = make_store()
        self.value_bits = _Bits(self.values) if spec.physical == "Bool" else None
        self.offsets = make_store() if spec.is_variable else None
        self.data_length = 0
        if self.offsets is not None:
            self.offsets.append(np.zeros(1, "<i8"))

    def append(self, piece: Piece) -> None:
        spec = self.spec
        if piece.validity is not None and not piece.validity.all():
            if self.validity is None:
                self.validity = _Bits(self.make_store())
                self.validity.append_run(True, self.rows)
            self.validity.append(np.ascontiguousarray(piece.validity, bool))
            self.nulls += int(piece.rows - np.count_nonzero(piece.validity))
        elif self.validity is not None:
            self.validity.append_run(True, piece.rows)
        if spec.physical == "Bool":
            self.value_bits.append(piece.bools)
        elif spec.is_variable:
            if piece.rows:
                ends = piece.offsets[1:] + self.data_length
                self.offsets.append(np.ascontiguousarray(ends, "<i8"))
            self.values.append(piece.data)
            self.data_length += len(piece.data)
        else:
            self.values.append(piece.values)
        self.rows += piece.rows

    def close(self) -> None:
        for store in (self.values, self.offsets, self.validity.store if self.validity else None):
            if store is not None:
                store.close()


class Writer:
    """Writes a colfile file batch by batch with bounded memory, then publishes it atomically.

    Each column's buffers go to one unnamed scratch file beside the target (``O_TMPFILE``) while
    batches arrive (at most ``SPILL_STAGING`` bytes of memory per buffer and about ``SPILL_BUDGET``
    for all: two file descriptors whatever the number of columns); :meth:`close` copies them into the file
    inside the kernel (``copy_file_range``), writes the directory, trailer and header, and publishes
    the file as Specification.md §11 says. So a table larger than memory can be written from
    row-wise producers. Until :meth:`close` returns the target is untouched: a writer that fails,
    is abandoned (:meth:`abort`, or an exception in its ``with`` block) or whose process is killed
    leaves the previous file in place.

    Parameters
    ----------
    path : str or os.PathLike
        The file to publish.
    schema : pyarrow.Schema or mapping or sequence of (name, type), optional
        The columns and their types (see :func:`write` for the mapping); inferred from the first
        batch when omitted. Every batch must have these columns with these types.
    compress, metadata, column_metadata, sync, file_id, compression_level, chunk_size
        As for :func:`write`; the compression choice of each column is checked when the column is
        declared.
    named_temporary : bool
        Write into a named temporary file ``.NAME.colfile-tmp-PID-RANDOM`` beside the target even
        where an unnamed one works (a killed writer then leaves it behind; ``colfile clean`` removes it).

    Examples
    --------
    >>> with colfile.Writer("big.col") as writer:                  # doctest: +SKIP
    ...     for batch in batches:                                  # dicts, RecordBatches, DataFrames
    ...         writer.write_batch(batch)
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"], schema: Any = None, *, compress: Compress = None,
                 metadata: Optional[Mapping[str, str]] = None,
                 column_metadata: Optional[Mapping[str, Mapping[str, str]]] = None, sync: bool = True,
                 file_id: Optional[bytes] = None, compression_level: Optional[int] = None,
                 chunk_size: Optional[int] = None, named_temporary: bool = False, _spill: bool = True,
                 _replace: bool = True) -> None:
        self.path = os.fspath(path)
        if file_id is not None and len(bytes(file_id)) != 16:
            raise fail(self.path, None, "a file id must be 16 bytes", found=len(bytes(file_id)))
        if chunk_size is not None and (not (MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE)
                                       or chunk_size % BUFFER_ALIGNMENT):
            raise fail(self.path, None, "chunk sizes are multiples of 64 from 4 KiB to 64 MiB")
        _check_compress(compress, self.path)
        self.metadata = dict(metadata or {})
        self.column_metadata = {name: dict(value) for name, value in (column_metadata or {}).items()}
        self.compress = compress
        self.sync = sync
        self.file_id = bytes(file_id) if file_id is not None else None
        self.level = compression_level
        self.chunk_size = chunk_size
        self._spill = _spill
        # False: publish only if no file has the name (a dataset's shards and manifests, §14.5).
        self._replace = _replace
        self._folder = folder_of(self.path)
        self._sinks: Dict[str, _ColumnSink] = {}
        self._finished: List[Tuple[ColumnSpec, int, int, List[Descriptor], int]] = []
        # The names of ``_finished``, so that a new column's name is checked in O(1), not O(columns).
        self._finished_names: Set[str] = set()
        self._row_count: Optional[int] = None
        self._done = False
        self._schema_fixed = False
        self._temporary = TemporaryFile(self.path, unnamed=not named_temporary)
        self._arena = _ScratchArena(self._folder, self.path)
        self._output = _Output(self._temporary.fd, HEADER_LENGTH)
        if schema is not None:
            for spec in self._schema_specs(schema):
                self._declare(spec)
            self._schema_fixed = True

    # -- declaring ------------------------------------------------------------------------------

    def _schema_specs(self, schema: Any) -> List[ColumnSpec]:
        try:
            import pyarrow as pa
            if isinstance(schema, pa.Schema):
                return [parse_type(field.name, field, self.path) for field in schema]
        except ImportError:  # pragma: no cover
            pass
        items = schema.items() if isinstance(schema, collections.abc.Mapping) else schema
        return [parse_type(name, kind, self.path) for name, kind in items]

    def _check_declaration(self, spec: ColumnSpec) -> None:
        """Checks a new column's type, name and metadata (adding the writer's ``column_metadata``)
        and its compression choice."""
        if self._done:
            raise ValueError("colfile.Writer used after close() or abort()")
        validate_spec(spec, self.path)
        if spec.name in self._sinks or spec.name in self._finished_names:
            raise fail(self.path, spec.name, "a column of this name was already added")
        extra = self.column_metadata.get(spec.name)
        if extra:
            spec.metadata = {**spec.metadata, **extra}
        spec.metadata = _check_metadata(spec.metadata, MAX_COLUMN_METADATA_LENGTH, self.path, spec.name)
        self._compression(spec.name)  # checks the choice early

    def _declare(self, spec: ColumnSpec) -> _ColumnSink:
        self._check_declaration(spec)
        make_store = (lambda: _SpillStore(self._arena)) if self._spill else _MemoryStore
        if spec.dictionary_value is not None:
            sink: Any = DictionarySink(spec, make_store(), lambda: _Bits(make_store()), self.path)
        else:
            sink = _ColumnSink(spec, make_store)
        self._sinks[spec.name] = sink
        return sink

    def _compression(self, name: Optional[str]) -> Optional[str]:
        """Column ``name``'s choice (None for plain), its level and chunk size checked as the Swift
        writer's ``Compression.validationError`` checks them."""
        choice = self.compress
        if isinstance(choice, collections.abc.Mapping):
            choice = choice.get(name)
        if choice in (None, "none"):
            return None
        level = self.level
        if choice == "zlib":
            if level is not None and not 0 <= level <= 9:
                raise fail(self.path, name, "zlib levels are 0 to 9")
        elif choice == "zstd":
            if level is not None and (level not in _zstd.LEVELS or level == 0):
                raise fail(self.path, name, f"zstd levels are {_zstd.LEVELS.start} to {_zstd.LEVELS.stop - 1}, not 0")
            reason = _zstd.unavailability()
            if reason is not None:
                raise fail(self.path, name, f"the zstd codec is not available: {reason}")
        elif level is not None or self.chunk_size is not None:
            raise fail(self.path, name, "auto compression chooses its codec, level and chunk size: "
                                        "compression_level and chunk_size need compress='zstd' or 'zlib'")
        return choice

    # -- batches ----------------------------------------------------------------------------------

    def write_batch(self, batch: Any) -> None:
        """Appends rows to every column.

        Parameters
        ----------
        batch : mapping, pyarrow.RecordBatch or Table, or pandas.DataFrame
            One value per column: NumPy arrays (``numpy.ma`` masked arrays give nulls), lists of
            str/bytes/None, pyarrow arrays, and for dictionary-encoded columns
            :class:`~colfile.DictionaryEncoded`, ``DictionaryArray`` or ``Categorical`` values (each
            batch may bring its own dictionary: its entries are mapped onto the column's); every
            column of the writer, each with the same number of rows.

        Raises
        ------
        ColFileError
            ``invalidArgument`` naming the column for a value that has no colfile type, a type
            unlike the schema's, a missing or unknown column, or unequal row counts; ``io`` with the
            ``errno`` when a scratch file cannot be written (a full disk): the writer is then
            aborted (no temporary or scratch file is left, the target is untouched).
        """
        if self._done:
            raise ValueError("colfile.Writer used after close() or abort()")
        columns = list(_columns_of(batch, self.path))
        if self._schema_fixed:
            names = {name for name, _ in columns}
            for name in self._sinks:
                if name not in names:
                    raise fail(self.path, name, "the batch has no values for this column")
        rows: Optional[int] = None
        prepared = []
        for name, value in columns:
            sink = self._sinks.get(name)
            if sink is None and self._schema_fixed:
                raise fail(self.path, name, "the column is not in the writer's schema")
            declared = sink.spec if sink is not None else None
            spec, pieces = _pieces(name, value, self.path, declared)
            if declared is not None and not declared.same_type(spec):
                raise fail(self.path, name, "the values have another type than the column",
                           expected=declared.describe(), found=spec.describe())
            count = sum(piece.rows for piece in pieces)
            if rows is not None and count != rows:
                raise fail(self.path, name, "every column must have the same number of rows", expected=rows,
                           found=count)
            rows = count
            prepared.append((name, spec, pieces))
        try:
            for name, spec, pieces in prepared:
                sink = self._sinks.get(name) or self._declare(spec)
                for piece in pieces:
                    sink.append(piece)
        except OSError as error:
            self.abort()
            raise ColFileError("io", self.path, None, "cannot write the file", errno=error.errno) from None
        self._schema_fixed = True

    # -- finishing --------------------------------------------------------------------------------

    def _add_plain_array(self, name: str, array: np.ndarray) -> bool:
        """:func:`write`'s way for a NumPy array of numbers (or tensor rows of them) that is stored
        plain: its bytes go out at once, without a sink and its store, so that each column of a wide
        table costs a few µs. False, having done nothing, for any other array or a compressed column."""
        if array.dtype.kind not in "iuf" or array.ndim == 0 or self._compression(name) is not None:
            return False
        spec = numpy_spec(name, array.dtype, array.shape[1:], self.path)
        self._check_declaration(spec)
        self._check_row_count(name, len(array))
        values = _MemoryStore()
        values.append(array.astype(spec.numpy_dtype, copy=False))  # only the byte order may differ
        self._add_finished(spec, len(array), 0, [ABSENT, ABSENT, self._write_buffer(values, None)], CODEC_NONE)
        return True

    def _check_row_count(self, name: str, rows: int) -> None:
        """Fails unless ``rows`` is the row count of the columns before (and records it)."""
        if self._row_count is not None and self._row_count != rows:
            raise fail(self.path, name, "every column must have the same number of rows",
                       expected=self._row_count, found=rows)
        self._row_count = rows

    def _finish_column(self, sink: _ColumnSink) -> None:
        spec = sink.spec
        self._check_row_count(spec.name, sink.rows)
        if isinstance(sink, DictionarySink):
            return self._finish_dictionary_column(sink)
        if sink.value_bits is not None:
            sink.value_bits.finish()
        if sink.validity is not None:
            sink.validity.finish()
        physical = spec.physical
        offsets_source = None
        if spec.is_variable:
            if sink.data_length > INT32_MAX:
                physical = {"String": "LargeString", "Binary": "LargeBinary"}.get(physical, physical)
                offsets_source = sink.offsets
            else:
                physical = {"LargeString": "String", "LargeBinary": "Binary"}.get(physical, physical)
                offsets_source = _NarrowedOffsets(sink.offsets)
        settings = self._resolve(spec.name, sink.values)
        buffers = [ABSENT, ABSENT, ABSENT]
        if sink.nulls > 0 and sink.validity is not None:
            buffers[0] = self._write_buffer(sink.validity.store, settings)
        if offsets_source is not None:
            buffers[1] = self._write_buffer(offsets_source, settings)
        buffers[2] = self._write_buffer(sink.values, settings)
        sink.close()
        spec_stored = ColumnSpec(spec.name, physical, spec.logical, spec.time_unit, spec.time_zone, spec.shape,
                                 spec.metadata)
        self._add_finished(spec_stored, sink.rows, sink.nulls, buffers, CODEC_NONE if settings is None else settings.codec)

    def _finish_dictionary_column(self, sink: DictionarySink) -> None:
        """Writes a dictionary-encoded column's buffers (§6.4): validity, the indices narrowed to
        the index type, the dictionary's offsets (String and Binary values) and values; one codec
        for all, chosen from the stored indices as the Swift writer chooses."""
        spec = sink.spec
        index_type = sink.stored_index_type()
        if sink.validity is not None:
            sink.validity.finish()
        indices = NarrowedIndices(sink.index_store, INDEX_TYPES[index_type][1])
        settings = self._resolve(spec.name, indices)
        buffers = [ABSENT] * 5
        if sink.nulls > 0 and sink.validity is not None:
            buffers[0] = self._write_buffer(sink.validity.store, settings)
        buffers[2] = self._write_buffer(indices, settings)
        value_type = spec.dictionary_value
        values = _MemoryStore()
        values.append(sink.dictionary_bytes())
        if value_type in ("String", "LargeString", "Binary", "LargeBinary"):
            offsets = _MemoryStore()
            offsets.append(sink.dictionary_offsets())
            if values.length > INT32_MAX:
                value_type = {"String": "LargeString", "Binary": "LargeBinary"}.get(value_type, value_type)
                buffers[3] = self._write_buffer(offsets, settings)
            else:
                value_type = {"LargeString": "String", "LargeBinary": "Binary"}.get(value_type, value_type)
                buffers[3] = self._write_buffer(_NarrowedOffsets(offsets), settings)
        buffers[4] = self._write_buffer(values, settings)
        sink.close()
        stored = ColumnSpec(spec.name, "Dictionary", spec.logical, spec.time_unit, spec.time_zone, (), spec.metadata,
                            dictionary_value=value_type, index_type=index_type, entry_count=len(sink.keys))
        self._add_finished(stored, sink.rows, sink.nulls, buffers, CODEC_NONE if settings is None else settings.codec)

    def _add_finished(self, stored: ColumnSpec, rows: int, nulls: int, buffers: List[Descriptor], codec: int) -> None:
        self._finished.append((stored, rows, nulls, buffers, codec))
        self._finished_names.add(stored.name)

    def _resolve(self, name: str, values) -> Optional[_codec.Settings]:
        """Column ``name``'s settings, None for plain storage: the Swift writer's
        ``Compression.resolved``, compressing the first 256 KiB of the values when it must choose."""
        choice = self._compression(name)
        if choice is None:
            return None

        def sample() -> memoryview:
            return values.read(0, min(values.length, SAMPLE_LENGTH))

        if choice == "zlib":
            return _codec.Settings(CODEC_ZLIB, ZLIB_LEVEL if self.level is None else self.level,
                                   self.chunk_size or ZLIB_CHUNK_SIZE)
        if choice == "zstd":
            settings = _codec.Settings(CODEC_ZSTD, ZSTD_LEVEL if self.level is None else self.level,
                                       self.chunk_size or ZSTD_CHUNK_SIZE)
            if self.chunk_size is None:
                ratio = settings.ratio(sample())
                if ratio is not None and ratio > SMALL_CHUNK_RATIO:
                    settings.chunk_size = ZSTD_SMALL_CHUNK_SIZE
            return settings
        # auto: zstd's defaults when zstd is available here, else zlib's; plain above AUTO_MAX_RATIO.
        has_zstd = _zstd.unavailability() is None
        settings = (_codec.Settings(CODEC_ZSTD, ZSTD_LEVEL, ZSTD_CHUNK_SIZE) if has_zstd
                    else _codec.Settings(CODEC_ZLIB, ZLIB_LEVEL, ZLIB_CHUNK_SIZE))
        ratio = settings.ratio(sample())
        if ratio is None or ratio > AUTO_MAX_RATIO:
            return None
        if has_zstd and ratio > SMALL_CHUNK_RATIO:
            settings.chunk_size = ZSTD_SMALL_CHUNK_SIZE
        return settings

    def _write_buffer(self, source, settings: Optional[_codec.Settings]) -> Descriptor:
        length = source.length
        if length == 0:
            return Descriptor(0, 0, 0, 0)
        output = self._output
        output.pad(_alignment(length))
        if settings is not None:
            offset, stored, checksum = _codec.encode_buffer(
                length, source.read, lambda data: output.append(data, checksum=False), lambda: output.position,
                output.overwrite, settings, _codec.CORES)
            return Descriptor(offset, stored, length, checksum)
        offset = output.position
        if length >= STAGING:
            output.reserve(length)
        output.begin_checksum()
        source.write_plain(output)
        return Descriptor(offset, length, length, output.crc & 0xFFFFFFFF)

    def close(self) -> None:
        """Completes every column, writes the directory, trailer and header, and publishes the file.

        Raises
        ------
        ColFileError
            The target is then untouched and the temporary file removed, except when only the
            last step (flushing the folder after the rename) fails: the new file is in place and the
            error (code ``io``) says so.
        """
        if self._done:
            return
        self._done = True
        try:
            for sink in list(self._sinks.values()):
                self._finish_column(sink)
            self._sinks = {}
            metadata = _check_metadata(self.metadata, MAX_FILE_METADATA_LENGTH, self.path, None)
            directory = encode_directory(self._finished, self._row_count or 0, metadata)
            output = self._output
            output.pad(BUFFER_ALIGNMENT)
            directory_offset = output.position
            directory_crc = crc32(directory)
            output.append(directory, checksum=False)
            output.append(encode_trailer(directory_offset, len(directory), directory_crc), checksum=False)
            output.flush()
            # §3: the lowest minor version with every feature used (0 plain, 1 zlib, 2 zstd or a
            # dictionary-encoded column).
            minor = max((max(CODECS[done[4]][1], 2 if done[0].dictionary_value else 0) for done in self._finished),
                        default=MINOR_VERSION)
            header = encode_header(minor, self.file_id or os.urandom(16), directory_offset, len(directory),
                                   directory_crc)
            output.overwrite(header, 0)
            self._arena.close()
            self._temporary.publish(durable=self.sync, replace=self._replace)
        except OSError as error:
            self.abort()
            raise ColFileError("io", self.path, None, "cannot write the file", errno=error.errno) from None
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Gives up the file: removes the temporary file; the target is untouched."""
        self._done = True
        for sink in self._sinks.values():
            sink.close()
        self._sinks = {}
        self._arena.close()
        self._temporary.discard()

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def __repr__(self) -> str:
        state = "closed" if self._done else f"{len(self._sinks)} columns"
        return f"<colfile.Writer {self.path!r} {state}>"


def _columns_of(batch: Any, path: str) -> Iterable[Tuple[str, Any]]:
    """(name, values) of each column of a batch."""
    if isinstance(batch, collections.abc.Mapping):
        return list(batch.items())
    module = type(batch).__module__
    if module.startswith("pyarrow"):
        import pyarrow as pa
        if isinstance(batch, (pa.Table, pa.RecordBatch)):
            schema = batch.schema
            return [(field.name, (batch.column(i), field)) for i, field in enumerate(schema)]
    if module.startswith("pandas"):
        import pandas as pd
        import pyarrow as pa
        if isinstance(batch, pd.DataFrame):
            index = batch.index
            if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
                raise fail(path, None, "the DataFrame's index is not a default RangeIndex and would be lost: "
                                       "reset_index() first to keep it as a column")
            if len(set(map(str, batch.columns))) != len(batch.columns) or not all(
                    isinstance(c, str) for c in batch.columns):
                raise fail(path, None, "DataFrame column names must be unique strings")
            table = pa.Table.from_pandas(batch, preserve_index=False)
            return [(field.name, (table.column(i), field)) for i, field in enumerate(table.schema)]
    raise fail(path, None, f"cannot write a {type(batch).__name__}: give a dict of arrays, a pyarrow Table or "
                           "RecordBatch, or a pandas DataFrame")


def _pieces(name: str, value: Any, path: str, declared: Optional[ColumnSpec]) -> Tuple[ColumnSpec, List[Piece]]:
    field = None
    if isinstance(value, tuple) and len(value) == 2 and type(value[1]).__name__ == "Field":
        value, field = value
    if isinstance(value, DictionaryEncoded):
        values_spec, piece = explicit_piece(name, value, path)
        return ColumnSpec(name, "Dictionary", values_spec.logical, values_spec.time_unit, values_spec.time_zone,
                          dictionary_value=values_spec.physical), [piece]
    module = type(value).__module__
    if module.startswith("pandas"):
        import pyarrow as pa
        value, module = pa.array(value, from_pandas=True), "pyarrow"
    if module.startswith("pyarrow"):
        import pyarrow as pa
        if isinstance(value, (pa.Array, pa.ChunkedArray)) and pa.types.is_dictionary(value.type):
            spec = arrow_spec(name, value.type, path)
            pieces = arrow_dictionary_pieces(name, value, path)
            if field is not None:
                from ._types import _field_metadata
                spec.metadata = _field_metadata(field, name, path)
            return spec, pieces
        if isinstance(value, (pa.Array, pa.ChunkedArray)):
            spec, pieces = arrow_pieces(name, value, path)
            if field is not None:
                from ._types import _field_metadata
                spec.metadata = _field_metadata(field, name, path)
            return spec, pieces
    if isinstance(value, np.ndarray):
        spec, piece = numpy_piece(name, value, path)
    elif isinstance(value, (list, tuple)):
        if declared is not None and not value and declared.is_variable:
            spec = ColumnSpec(name, declared.physical)
            piece = Piece(0, offsets=np.zeros(1, np.int64), data=np.empty(0, np.uint8))
            return spec, [piece]
        if declared is not None and declared.numpy_dtype is not None and declared.logical == "none":
            spec, piece = numpy_piece(name, _typed_list(value, declared, name, path), path)
        else:
            spec, piece = python_piece(name, value, path)
    else:
        raise fail(path, name, f"cannot write a column from a {type(value).__name__}: give a NumPy array, a list "
                               "or a pyarrow array")
    return spec, [piece]


def _typed_list(values: Sequence[Any], spec: ColumnSpec, name: str, path: str) -> np.ndarray:
    shape = (len(values),) + spec.shape
    mask = np.array([value is None for value in values], bool)
    data = np.zeros(shape, spec.numpy_dtype)
    for row, value in enumerate(values):
        if value is not None:
            data[row] = value
    if mask.any():
        return np.ma.MaskedArray(data, mask=np.broadcast_to(mask.reshape((-1,) + (1,) * len(spec.shape)), shape))
    return data


_LOGICAL_CODES = {"none": 0, "Timestamp": 1, "Date": 2}
_ABSENT_DESCRIPTOR = ABSENT.encode()
_ZEROS = bytes(8)


def encode_directory(columns, row_count: int, metadata: Mapping[str, str]) -> bytes:
    """The directory of §5 for finished ``columns`` (in file order), as the Swift writer lays it out."""
    heap = bytearray()
    # §5.1, §6.4: 232-byte records exactly when some column is dictionary-encoded.
    dictionaries = any(done[0].dictionary_value for done in columns)
    parts = []  # the records' bytes, in order
    for spec, rows, nulls, buffers, codec in columns:
        name = spec.name.encode("utf-8")
        name_offset = len(heap)
        heap += name
        heap += _ZEROS[:-len(heap) % 8]
        shape_offset = len(heap) if spec.shape else 0
        for dimension in spec.shape:
            heap += _U64.pack(dimension)
        tz_offset = tz_length = unit = 0
        if spec.logical == "Timestamp":
            unit = TIME_UNITS.index(spec.time_unit)
            if spec.time_zone:
                zone = spec.time_zone.encode("utf-8")
                tz_offset, tz_length = len(heap), len(zone)
                heap += zone
                heap += _ZEROS[:-len(heap) % 8]
        md_offset = md_length = 0
        if spec.metadata:
            block = encode_metadata(spec.metadata)
            md_offset, md_length = len(heap), len(block)
            heap += block
            heap += _ZEROS[:-len(heap) % 8]
        flags = 0 if buffers[0].is_absent else 1
        index_code = INDEX_TYPES[spec.index_type][0] if spec.dictionary_value else 0
        value_code = PHYSICAL_CODES[spec.dictionary_value] if spec.dictionary_value else 0
        parts.append(_RECORD.pack(name_offset, len(name), PHYSICAL_CODES[spec.physical], _LOGICAL_CODES[spec.logical],
                                  unit, flags, codec, len(spec.shape), index_code, value_code, rows, nulls,
                                  shape_offset, tz_offset, tz_length, md_offset, md_length, 0))
        for buffer in buffers[:3]:
            parts.append(_ABSENT_DESCRIPTOR if buffer is ABSENT else buffer.encode())
        parts.append(_ZEROS)
        if dictionaries:
            parts.append(_U64.pack(spec.entry_count))
            for buffer in list(buffers[3:]) + [ABSENT] * (5 - len(buffers)):
                parts.append(_ABSENT_DESCRIPTOR if buffer is ABSENT else buffer.encode())
    fm_offset = fm_length = 0
    if metadata:
        block = encode_metadata(metadata)
        fm_offset, fm_length = len(heap), len(block)
        heap += block
        heap += _ZEROS[:-len(heap) % 8]
    order = sorted(range(len(columns)), key=lambda i: columns[i][0].name.encode("utf-8"))
    name_index = np.array(order, "<u4").tobytes()
    name_index += bytes(-len(name_index) % 8)
    records_bytes = b"".join(parts)
    records_offset = DIRECTORY_HEADER_LENGTH
    name_index_offset = records_offset + len(records_bytes)
    heap_offset = name_index_offset + len(name_index)
    header = struct.pack("<4sIQIIIIIII", b"CDIR", len(columns), row_count, 232 if dictionaries else 160, records_offset, name_index_offset,
                         heap_offset, len(heap), fm_offset, fm_length) + bytes(20)
    return header + records_bytes + name_index + bytes(heap)


def write(path: Union[str, "os.PathLike[str]"], data: Any, *, compress: Compress = None,
          metadata: Optional[Mapping[str, str]] = None,
          column_metadata: Optional[Mapping[str, Mapping[str, str]]] = None, sync: bool = True,
          file_id: Optional[bytes] = None, compression_level: Optional[int] = None,
          chunk_size: Optional[int] = None, named_temporary: bool = False, _replace: bool = True) -> None:
    """Writes a table to ``path`` and publishes it atomically (Specification.md §11).

    Parameters
    ----------
    path : str or os.PathLike
        The file to publish. It is written to a temporary file in the same folder (``O_TMPFILE``,
        else ``.NAME.colfile-tmp-PID-RANDOM``), flushed, and renamed over ``path``: a reader sees
        the previous file or the whole new one, and a killed writer leaves the previous one.
    data : mapping, pyarrow.Table or RecordBatch, or pandas.DataFrame
        The columns, in order. Mapping values may be NumPy arrays (2-D and more: tensor columns;
        ``numpy.ma`` masked arrays: masked rows are nulls), lists of str/bytes/None, lists of numbers
        with None for nulls, or pyarrow arrays; :class:`~colfile.DictionaryEncoded`, a pyarrow
        ``DictionaryArray`` or a pandas ``Categorical`` give a dictionary-encoded column (§6.4,
        format 1.2). See the package README for the type mapping; values with no colfile type are
        refused with ``ColFileError`` ``invalidArgument`` naming the column.
    compress : None, "none", "zstd", "zlib", "auto", or dict of column name to those
        Store columns as cold (compressed, §13) columns: ``"zstd"`` (format 1.2, codec 2: decodes
        several times faster than zlib; needs the system's ``libzstd.so.1``, loaded at run time, or
        the library ``$COLFILE_ZSTD_LIBRARY`` names), ``"zlib"`` (format 1.1, readable by every reader
        since 1.1), or ``"auto"``: zstd with its defaults (zlib's when zstd is not available) for the
        columns whose first 256 KiB of values compress to at most 0.8 of their size, the others
        plain (the Swift writer's rule). A dict names columns; the others are plain.
    metadata : dict of str to str, optional
        The file's key/value metadata.
    column_metadata : dict of column name to dict, optional
        Key/value metadata per column (added to an Arrow field's own metadata).
    sync : bool
        Flush the file and its folder to disk (``fsync``) around the rename (default). Without, the
        publish is as atomic for readers but the file reaches the disk when the kernel writes it back.
    file_id : bytes, optional
        The 16-byte file id to write instead of a random one (reproducible files).
    compression_level : int, optional
        The codec's level: zstd -7 to 22 but not 0 (default 3), zlib 0 to 9 (default 6). Not with
        ``"auto"``, which uses the defaults.
    chunk_size : int, optional
        Decoded bytes per chunk of cold columns, a multiple of 64 from 4096 to 64 MiB. Default: zlib
        64 KiB; zstd 128 KiB, or 32 KiB for a column whose first 256 KiB compress (as one frame) to
        more than half their size (near-random data gains nothing from bigger chunks, and one random
        row costs one chunk). Not with ``"auto"``.
    named_temporary : bool
        Use a named temporary file even where an unnamed one works.

    Raises
    ------
    ColFileError
        ``invalidArgument`` (naming the column) or ``io``; the target is then untouched. An
        explicit ``"zstd"`` without the zstd library is an ``invalidArgument`` ("the zstd codec is not
        available: ...").
    """
    with collector_paused():
        _write(path, data, compress=compress, metadata=metadata, column_metadata=column_metadata, sync=sync,
               file_id=file_id, compression_level=compression_level, chunk_size=chunk_size,
               named_temporary=named_temporary, _replace=_replace)


def _write(path: Union[str, "os.PathLike[str]"], data: Any, *, compress: Compress,
           metadata: Optional[Mapping[str, str]], column_metadata: Optional[Mapping[str, Mapping[str, str]]],
           sync: bool, file_id: Optional[bytes], compression_level: Optional[int], chunk_size: Optional[int],
           named_temporary: bool, _replace: bool) -> None:
    """:func:`write`, with the collector paused by the caller."""
    writer = Writer(path, compress=compress, metadata=metadata, column_metadata=column_metadata, sync=sync,
                    file_id=file_id, compression_level=compression_level, chunk_size=chunk_size,
                    named_temporary=named_temporary, _spill=False, _replace=_replace)
    try:
        columns = list(_columns_of(data, writer.path))
        rows: Optional[int] = None
        for name, value in columns:
            if type(value) is np.ndarray and writer._add_plain_array(name, value):
                continue
            spec, pieces = _pieces(name, value, writer.path, None)
            count = sum(piece.rows for piece in pieces)
            if rows is not None and count != rows:
                raise fail(writer.path, name, "every column must have the same number of rows", expected=rows,
                           found=count)
            rows = count
            sink = writer._declare(spec)
            for piece in pieces:
                sink.append(piece)
            del writer._sinks[spec.name]
            writer._finish_column(sink)
    except OSError as error:
        writer.abort()
        raise ColFileError("io", writer.path, None, "cannot write the file", errno=error.errno) from None
    except BaseException:
        writer.abort()
        raise
    writer.close()
