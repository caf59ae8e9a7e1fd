"""The reader: one read-only ``MAP_SHARED`` mapping of a file, checked as Specification.md §9 says,
and zero-copy NumPy and Arrow views of its columns."""

from __future__ import annotations

import codecs
import copy
import mmap
from dataclasses import replace
import os
import threading
import warnings
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _cache
from ._collector import collector_paused
from ._codec import CORES, ChunkDecoder
from ._errors import ColFileError, ErrorContext, hex32
from ._files import open_regular_file
from ._format import (CHUNK_HEADER_LENGTH, CODEC_NONE, CODECS, HEADER_LENGTH, LOGICAL_DATE, LOGICAL_TIMESTAMP,
                      PHYSICAL_TYPES, ROLES, TIME_UNITS, TRAILER_LENGTH, Layout, crc32)
from ._dictionary import DictColumn
from ._info import BufferInfo, ColumnInfo, DictionaryInfo
from ._rows import row_index

COLD_POLICIES = ("shared", "private", "refuse")
_ROW_NAMES = ("offset", "values", "strings", "row")  # how messages name a column's offsets and rows
_DICTIONARY_NAMES = ("dictionary offset", "dictionary values", "dictionary's strings", "dictionary entry")
_TYPE_CODES = {name: code for code, (name, _, _, _) in PHYSICAL_TYPES.items()}
_OFFSETS_BLOCK = 1 << 20  # offsets checked per step, so the check allocates a bounded amount
_UTF8_BLOCK = 4 << 20  # bytes of a String column's values checked per step


def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        return 1 << 62


PHYSICAL_MEMORY = _physical_memory()


class _Bytes:
    """Where a column's (decoded) buffers are: the file's mapping, or a decoded copy."""

    __slots__ = ("region", "locations", "is_file")

    def __init__(self, region, locations, is_file: bool) -> None:
        self.region = region
        self.locations = locations
        self.is_file = is_file


def _readonly(array: np.ndarray) -> np.ndarray:
    if array.flags.writeable:
        array.flags.writeable = False
    return array


def _bits_to_bool(bitmap: np.ndarray, rows: int) -> np.ndarray:
    return _readonly(np.unpackbits(bitmap, count=rows, bitorder="little").view(bool))


def _zero_bits(bitmap: np.ndarray, rows: int) -> int:
    """Number of 0 bits among the first ``rows`` bits of an LSB-first bitmap, without unpacking it."""
    whole = rows // 8
    ones = int(np.bitwise_count(bitmap[:whole]).sum(dtype=np.int64)) if whole else 0
    remainder = rows % 8
    if remainder:
        ones += bin(int(bitmap[whole]) & ((1 << remainder) - 1)).count("1")
    return rows - ones


class Reader:
    """An open colfile file: a read-only, shared mapping of it plus its checked directory.

    Open it with :func:`colfile.open`. Opening costs O(columns), whatever the size of the data:
    ``open``, ``fstat``, ``mmap(PROT_READ, MAP_SHARED)``, ``close``, then the checks of
    Specification.md §9 on the header and directory. Column views read values in place, so any
    number of processes that open the same file share one copy of its pages in the page cache.

    Lifetime: every view (NumPy array, Arrow buffer, column object) keeps the mapping alive; closing
    the reader (or leaving its ``with`` block) only unmaps when no view is left, otherwise the
    mapping goes away with the last view. Views stay valid after the file is replaced or deleted.
    """

    def __init__(self, path: Union[str, os.PathLike], *, cold_columns: str = "shared",
                 cache_dir: Optional[str] = None, cache_max_bytes: Optional[int] = None,
                 max_decoded_bytes: Optional[int] = None, decode_threads: Optional[int] = None,
                 check_chunk_checksums: bool = False) -> None:
        if cold_columns not in COLD_POLICIES:
            raise ValueError(f"cold_columns must be one of {COLD_POLICIES}, not {cold_columns!r}")
        self.path = os.fspath(path)
        self.cold_columns = cold_columns
        self.cache_dir = None if cache_dir is None else os.fspath(cache_dir)
        self.cache_max_bytes = cache_max_bytes
        self.max_decoded_bytes = PHYSICAL_MEMORY if max_decoded_bytes is None else int(max_decoded_bytes)
        self.decode_threads = max(1, decode_threads if decode_threads is not None else CORES)
        self.check_chunk_checksums = check_chunk_checksums
        self._lock = threading.RLock()
        self._checked_offsets: set = set()
        self._decoded: Dict[int, Tuple[Any, str]] = {}
        self._cache_fallbacks: List[_cache.CacheFallback] = []
        self._closed = False
        self._mm: Optional[mmap.mmap] = None
        path_text = self.path
        fd, status = open_regular_file(path_text)
        try:
            size = status.st_size
            if size < HEADER_LENGTH + TRAILER_LENGTH:
                # Too short to map usefully (an empty file cannot be mapped): checked from a copy.
                data = os.pread(fd, size, 0) if size else b""
                Layout(data, path_text)
                raise AssertionError("unreachable: a file this short fails the checks")  # pragma: no cover
            try:
                self._mm = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
            except (OSError, ValueError) as error:
                raise ColFileError("io", path_text, None, "cannot map the file",
                                   errno=getattr(error, "errno", None)) from None
        finally:
            os.close(fd)
        self._identity = (status.st_dev, status.st_ino)
        try:
            self._layout = Layout(self._mm, path_text)
        except BaseException:
            self._mm.close()
            raise
        self._infos: Dict[int, ColumnInfo] = {}

    @classmethod
    def from_bytes(cls, data: bytes, path: str = "<memory>", **options: Any) -> "Reader":
        """Checks a file held in memory as :func:`colfile.open` checks a file on disk (tests, fuzzing).

        Cold columns decode into private memory unless ``cold_columns`` says otherwise.
        """
        self = cls.__new__(cls)
        self.path = path
        self.cold_columns = options.get("cold_columns", "private")
        self.cache_dir = options.get("cache_dir")
        self.cache_max_bytes = options.get("cache_max_bytes")
        cap = options.get("max_decoded_bytes")
        self.max_decoded_bytes = PHYSICAL_MEMORY if cap is None else int(cap)
        self.decode_threads = max(1, options.get("decode_threads") or CORES)
        self.check_chunk_checksums = options.get("check_chunk_checksums", False)
        self._lock = threading.RLock()
        self._checked_offsets = set()
        self._decoded = {}
        self._cache_fallbacks = []
        self._closed = False
        self._mm = bytes(data)
        self._identity = None
        self._layout = Layout(self._mm, path)
        self._infos = {}
        return self

    # -- life cycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Lets go of the mapping: unmaps it now if no view of it is left, else when the last view
        goes away (views never see their memory disappear). Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            regions = [self._mm] + [region for region, _ in self._decoded.values()]
            self._decoded = {}
            for region in regions:
                if isinstance(region, mmap.mmap):
                    try:
                        region.close()
                    except BufferError:
                        pass  # a view still uses it: it is unmapped when the last view goes away

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        return (f"<colfile.Reader {self.path!r} rows={self.row_count} columns={self.column_count} "
                f"version={self.format_version}{state}>")

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"I/O operation on a closed colfile reader ({self.path})")

    # -- the file ----------------------------------------------------------------------------

    @property
    def cache_fallbacks(self) -> List["_cache.CacheFallback"]:
        """The cold columns this reader decoded into private memory because the shared decode cache
        could not be used (:class:`colfile.CacheFallback`: a full disk, a read-only or foreign
        folder), in the order they were read; empty while every cold column came from the cache."""
        with self._lock:
            return list(self._cache_fallbacks)

    @property
    def format_version(self) -> str:
        """The file's format version, e.g. ``"1.0"``; ``"1.1"`` for files with zlib columns, ``"1.2"``
        with zstd columns (the lowest version with every feature the file uses, §3)."""
        return f"{self._layout.major}.{self._layout.minor}"

    @property
    def file_id(self) -> str:
        """The file's random id as 32 lowercase hex digits."""
        return self._layout.file_id.hex()

    @property
    def identity(self) -> str:
        """``FILEID-DIRCRC``: what identifies the file's exact content (§3)."""
        return f"{self.file_id}-{self._layout.directory_checksum:08x}"

    @property
    def file_bytes(self) -> int:
        """The size of the file in bytes."""
        return self._layout.size

    @property
    def row_count(self) -> int:
        """The number of rows of every column."""
        return self._layout.row_count

    @property
    def column_count(self) -> int:
        """The number of columns."""
        return self._layout.column_count

    def __len__(self) -> int:
        return self._layout.row_count

    @property
    def metadata(self) -> Dict[str, str]:
        """The file's key/value metadata (a new dict)."""
        return dict(self._layout.metadata)

    @property
    def names(self) -> List[str]:
        """The column names, in file order.

        Raises
        ------
        ColFileError
            A name or name index entry that breaks a rule (§9 steps 14.1 and 15, checked the first
            time every name is listed).
        """
        return list(self._layout.check_names())

    def keys(self) -> List[str]:
        """The column names, in file order (as ``safetensors.safe_open``)."""
        return self.names

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._layout.column_index(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    @property
    def columns(self) -> List[ColumnInfo]:
        """Every column's description, in file order.

        Raises
        ------
        ColFileError
            The first name, name index entry or column record that breaks a rule, in the order of
            §9 (every name, the name index, then each record in file order).
        """
        with collector_paused():
            self._layout.check_columns()
            return [self._info_at(index) for index in range(self.column_count)]

    def info(self, name: str) -> ColumnInfo:
        """The description of the column ``name``.

        Raises
        ------
        ColFileError
            ``noSuchColumn`` when there is none; the first rule the column's name or record breaks
            (§9, checked on the column's first use, the same error on every later use).
        """
        return self._info_at(self._index(name))

    def inspect(self) -> Dict[str, Any]:
        """The file described as ``colfile inspect --json`` prints it (same keys and values)."""
        return {
            "path": self.path,
            "formatVersion": self.format_version,
            "fileId": self.file_id,
            "identity": self.identity,
            "fileBytes": self.file_bytes,
            "rows": self.row_count,
            "metadata": self.metadata,
            "columns": [info.to_dict() for info in self.columns],
        }

    def file_has_been_replaced(self) -> bool:
        """Whether the file at :attr:`path` is no longer the file mapped: it was replaced (a writer
        published a new version) or deleted. This reader keeps reading the version it mapped; open
        the path again to read the new one. One ``stat`` call."""
        if self._identity is None:
            return False
        try:
            status = os.stat(self.path)
        except OSError:
            return True
        return (status.st_dev, status.st_ino) != self._identity

    def _index(self, name: str) -> int:
        index = self._layout.column_index(name) if isinstance(name, str) else None
        if index is None:
            raise ColFileError("noSuchColumn", self.path, str(name), "no such column")
        return index

    def _readable_index(self, name: str) -> int:
        """The index of column ``name``, which this reader must be able to read (§9 step 14.2).

        Raises
        ------
        ColFileError
            ``noSuchColumn``; the column's :attr:`ColumnInfo.unreadable` error.
        """
        index = self._index(name)
        unreadable = self._layout.column(index).unreadable
        if unreadable is not None:
            raise copy.copy(unreadable)  # the kept error stays without a traceback (no cycle)
        return index

    def _info_at(self, index: int) -> ColumnInfo:
        info = self._infos.get(index)
        if info is not None:
            return info
        column = self._layout.column(index)
        record = column.record
        logical_code = record.logical
        time_unit = None
        if logical_code == LOGICAL_TIMESTAMP:
            # (An unreadable column's time unit was not checked: as the Swift reader, seconds then.)
            time_unit = TIME_UNITS[record.time_unit] if record.time_unit < len(TIME_UNITS) else "s"
            logical = f"Timestamp({time_unit}, {column.time_zone})" if column.time_zone else f"Timestamp({time_unit})"
        elif logical_code == LOGICAL_DATE:
            logical = "Date"
        elif logical_code == 0:
            logical = "none"
        else:
            logical = f"unknown({logical_code})"
        dictionary = None
        if column.dictionary is not None:
            index_name, _, value_name, _, _, entries = column.dictionary
            dictionary = DictionaryInfo(index_name, value_name, entries)
        buffers = []
        for role, descriptor in enumerate(record.buffers):
            # The values (indices) and a dictionary's values are listed even when empty.
            if descriptor.is_absent and role != 2 and not (dictionary is not None and role == 4):
                continue
            chunk_size = chunk_count = 0
            if record.codec != CODEC_NONE and descriptor.stored_length >= CHUNK_HEADER_LENGTH:
                chunk_count, chunk_size = np.frombuffer(self._mm, "<u4", 2, descriptor.offset + 4).tolist()
            buffers.append(BufferInfo(ROLES[role], descriptor.offset, descriptor.stored_length,
                                      descriptor.decoded_length, descriptor.checksum, chunk_size, chunk_count))
        codec = CODECS.get(record.codec)
        info = ColumnInfo(
            name=column.name, index=index, physical_type=column.type_name or "unknown", logical_type=logical,
            time_unit=time_unit, time_zone=column.time_zone, shape=column.shape, row_count=record.row_count,
            null_count=record.null_count, nullable=record.has_validity,
            codec="unknown" if codec is None else codec[0], buffers=tuple(buffers),
            metadata=dict(column.metadata), logical_type_code=logical_code, unreadable=column.unreadable,
            dictionary=dictionary)
        self._infos[index] = info
        return info

    # -- column bytes ----------------------------------------------------------------------------

    def _column_bytes(self, index: int) -> _Bytes:
        self._check_open()
        column = self._layout.column(index)
        if column.unreadable is not None:
            raise copy.copy(column.unreadable)
        if column.record.codec == CODEC_NONE:
            locations: List[Optional[Tuple[int, int]]] = [None] * 5
            for role, descriptor in enumerate(column.record.buffers):
                if role == 2 or not descriptor.is_absent or (role == 4 and column.dictionary is not None):
                    locations[role] = (descriptor.offset, descriptor.decoded_length)
            return _Bytes(self._mm, locations, True)
        layout = self._decoded_layout(index)
        region, _ = self._decoded_region(index, layout)
        return _Bytes(region, layout.locations, False)

    def _decoded_layout(self, index: int) -> _cache.DecodedLayout:
        info = self._info_at(index)
        return _cache.DecodedLayout([(ROLES.index(buffer.role), buffer.decoded_length) for buffer in info.buffers],
                                    dictionary=info.dictionary is not None)

    def _check_decode_limit(self, index: int) -> None:
        info = self._info_at(index)
        total = info.raw_bytes
        if total > self.max_decoded_bytes:
            raise ColFileError("decodeLimitExceeded", self.path, info.name,
                               "decoding the column needs more memory than allowed",
                               expected=f"at most {self.max_decoded_bytes} bytes", found=f"{total} bytes")

    def _decoder(self, index: int, role: int, checking_checksums: bool = False) -> ChunkDecoder:
        """A decoder of buffer ``role`` of cold column ``index``: its chunk index checked (§13.3), and
        ``codecUnavailable`` raised when its codec cannot be decoded in this process."""
        column = self._layout.column(index)
        return ChunkDecoder(self._mm, column.chunk_indexes[role], column.record.codec,
                            ErrorContext(self.path, column.name), checking_checksums or self.check_chunk_checksums)

    def _check_chunk_indexes(self, index: int) -> None:
        """Checks every entry of the chunk index of each compressed buffer of column ``index`` (§13.3):
        O(chunks), what a decode checks first, done also before a shared cache entry is used, so the
        answer never depends on the cache (§3)."""
        column = self._layout.column(index)
        context = ErrorContext(self.path, column.name)
        for chunk_index in column.chunk_indexes:
            if chunk_index is not None:
                chunk_index.validate_entries(self._mm, context)

    def _decoded_region(self, index: int, layout: _cache.DecodedLayout) -> Tuple[Any, str]:
        """The decoded copy of cold column ``index``: memoised, mapped from the shared cache, or
        decoded now, as ``cold_columns`` says. Concurrent callers wait for one decode."""
        with self._lock:
            self._check_open()
            found = self._decoded.get(index)
            if found is not None:
                return found
            info = self._info_at(index)
            self._check_decode_limit(index)
            if self.cold_columns == "refuse":
                raise ColFileError("wouldDecode", self.path, info.name,
                                   "the column is compressed and this reader does not decode")
            result = None
            if self.cold_columns == "shared":
                try:
                    cache = _cache.DecodeCache.open(self.cache_dir, self.cache_max_bytes)
                    # The same checks as before a decode, so the answer never depends on the cache (§3).
                    self._check_chunk_indexes(index)
                    checksums = [(ROLES.index(buffer.role), buffer.checksum, buffer.offset) for buffer in info.buffers
                                 if buffer.decoded_length > 0]

                    def decode(role: int, write) -> None:
                        self._decode_buffer_in_batches(index, role, write)

                    result = cache.entry(self.path, info.name, self._layout.file_id,
                                         self._layout.directory_checksum, index, layout, checksums, decode)
                except _cache.Unusable as unusable:
                    fallback = _cache.CacheFallback(self.path, info.name, unusable.folder, unusable.reason,
                                                    unusable.errno)
                    self._cache_fallbacks.append(fallback)
                    warnings.warn(fallback, stacklevel=2)
            if result is None:
                result = (self._decode_privately(index, layout), "private")
            self._decoded[index] = result
            return result

    def _decode_buffer_in_batches(self, index: int, role: int, write) -> None:
        decoder = self._decoder(index, role)
        chunk_index = decoder.index
        batch = max(self.decode_threads * 4, _cache.STAGING // chunk_index.chunk_size)
        staging = bytearray(min(batch * chunk_index.chunk_size, chunk_index.decoded_length))
        view = memoryview(staging)
        first = 0
        while first < chunk_index.chunk_count:
            last = min(chunk_index.chunk_count, first + batch)
            length = sum(chunk_index.expected_decoded_length(chunk) for chunk in range(first, last))
            decoder.decode_into(range(first, last), view[:length], self.decode_threads)
            write(view[:length])
            first = last

    def _decode_privately(self, index: int, layout: _cache.DecodedLayout, checking_checksums: bool = False):
        """Every buffer of cold column ``index`` decoded into this process's memory."""
        memory = mmap.mmap(-1, layout.total_length)
        view = memoryview(memory)
        try:
            for role, location in enumerate(layout.locations):
                if location is None or location[1] == 0:
                    continue
                decoder = self._decoder(index, role, checking_checksums)
                offset, length = location
                decoder.decode_into(range(decoder.index.chunk_count), view[offset:offset + length],
                                    self.decode_threads)
        finally:
            view.release()
        return memory

    def cold_column_source(self, name: str) -> Optional[str]:
        """How this reader got the decoded bytes of cold column ``name``: ``"mapped"`` (an existing
        shared cache entry, decoded by another reader or process, Swift or Python), ``"decoded"``
        (decoded now into a new shared cache entry), ``"private"`` (decoded into private memory), or
        None (not decoded yet, or not a cold column)."""
        found = self._decoded.get(self._index(name))
        return None if found is None else found[1]

    # -- typed views ------------------------------------------------------------------------------

    def _array(self, data: _Bytes, role: int, dtype, count: int) -> np.ndarray:
        location = data.locations[role]
        offset = location[0] if location is not None else 0
        if count == 0:
            return _readonly(np.empty(0, dtype))
        return _readonly(np.frombuffer(data.region, dtype, count, offset))

    def _bitmap(self, data: _Bytes, role: int) -> Optional[np.ndarray]:
        location = data.locations[role]
        if location is None:
            return None
        return self._array(data, role, np.uint8, location[1])

    def column(self, name: str) -> Any:
        """The values of column ``name``, zero-copy where the layout allows it.

        Returns
        -------
        numpy.ndarray or VarColumn
            * Fixed-width types (integers, Float16/32/64): a read-only array that is a view of the
              mapping, shape ``(rows,)`` or ``(rows, d1, …, dk)`` for tensor columns.
            * Timestamps: a ``datetime64[unit]`` view (a zero-copy reinterpretation of the Int64
              values; the time zone is in :meth:`info`). Dates: the Int32 days view
              (``.astype("datetime64[D]")`` converts, copying).
            * Bool: a ``bool`` array unpacked from the bitmap (a copy of ``rows`` bytes: NumPy has
              no 1-bit type; :meth:`bitmap` gives the packed bits zero-copy).
            * String, Binary and their Large forms: a :class:`VarColumn` over the offsets and bytes.
            * Dictionary-encoded columns (§6.4): a :class:`DictColumn`, whose ``codes`` (the indices,
              -1 for nulls) and ``categories`` (the dictionary) are views of the mapping.

            Null rows hold whatever the file stores (zeros from the reference writers): use
            :meth:`validity` or :meth:`masked` to see them.

        Raises
        ------
        ColFileError
            ``noSuchColumn``; the first rule the column's name or record breaks (§9, checked on the
            column's first use, the same error on every later use); ``unknownPhysicalType`` or
            ``unsupportedCodec`` for a column this reader
            cannot read (:attr:`ColumnInfo.unreadable`); for a cold column the decoding errors of §13.3,
            ``wouldDecode`` with ``cold_columns="refuse"``, ``decodeLimitExceeded`` over
            ``max_decoded_bytes``, ``codecUnavailable`` for zstd without ``libzstd.so.1``; for strings
            and binary ``badOffsets`` or ``offsetsNotIncreasing``, and for strings ``invalidUTF8``
            (checked once per column, before the first value is served, §6.1); for a dictionary-encoded
            column those of its dictionary, and ``badDictionaryIndex`` (§6.4).
        """
        index = self._readable_index(name)
        info = self._info_at(index)
        data = self._column_bytes(index)
        if info.dictionary is not None:
            return self._dict_column(index, info, data)
        physical = PHYSICAL_TYPES[self._layout.column(index).record.physical]
        if physical[3] is not None:
            values = self._array(data, 2, physical[3], info.row_count * info.values_per_row)
            if info.shape:
                values = values.reshape((info.row_count,) + info.shape)
            if info.logical_type_code == LOGICAL_TIMESTAMP:
                values = values.view(f"datetime64[{info.time_unit}]")
            return values
        if info.physical_type == "Bool":
            return _bits_to_bool(self._bitmap(data, 2), info.row_count)
        return self._var_column(index, info, data)

    __getitem__ = column

    def get(self, name: str, default: Any = None) -> Any:
        """:meth:`column` when the column exists, else ``default``."""
        if name not in self:
            return default
        return self.column(name)

    def validity(self, name: str) -> Optional[np.ndarray]:
        """One ``bool`` per row, True for a valid (non-null) row, or None when the column has no
        validity bitmap (no nulls). Unpacked from the bitmap: a copy of ``rows`` bytes."""
        index = self._readable_index(name)
        bitmap = self._bitmap(self._column_bytes(index), 0)
        return None if bitmap is None else _bits_to_bool(bitmap, self._info_at(index).row_count)

    def bitmap(self, name: str, role: str = "validity") -> Optional[np.ndarray]:
        """The packed bits of the ``"validity"`` (default) or ``"values"`` (Bool columns) bitmap as a
        zero-copy ``uint8`` view (LSB first, 1 = valid / true), or None when the column has none."""
        index = self._readable_index(name)
        if role not in ("validity", "values"):
            raise ValueError("role must be 'validity' or 'values'")
        info = self._info_at(index)
        if role == "values" and info.physical_type != "Bool":
            raise ColFileError("typeMismatch", self.path, name, "the column has another type", expected="Bool",
                               found=info.physical_type)
        return self._bitmap(self._column_bytes(index), ROLES.index(role))

    def masked(self, name: str) -> np.ma.MaskedArray:
        """Column ``name`` as a ``numpy.ma.MaskedArray``: the data is the zero-copy view of
        :meth:`column`, the mask (True = null) is unpacked from the validity bitmap (all False when
        the column has none). Fixed-width and Bool columns only."""
        values = self.column(name)
        if isinstance(values, (VarColumn, DictColumn)):
            info = self.info(name)
            raise ColFileError("typeMismatch", self.path, name, "the column has another type",
                               expected="a fixed-width or Bool column", found=info.physical_type)
        valid = self.validity(name)
        if valid is None:
            mask = np.zeros(values.shape, bool)
        else:
            mask = np.broadcast_to((~valid).reshape((len(valid),) + (1,) * (values.ndim - 1)), values.shape)
        return np.ma.MaskedArray(values, mask=mask, copy=False)

    def _var_column(self, index: int, info: ColumnInfo, data: _Bytes) -> "VarColumn":
        column = self._layout.column(index)
        width = column.offset_width
        offsets = self._array(data, 1, "<i4" if width == 4 else "<i8", info.row_count + 1)
        values_location = data.locations[2]
        values_length = values_location[1] if values_location is not None else 0
        values = self._array(data, 2, np.uint8, values_length)
        with self._lock:
            checked = index in self._checked_offsets
        if not checked:
            self._check_var(offsets, values, data, 1, 2, info, info.physical_type, info.row_count)
            with self._lock:
                self._checked_offsets.add(index)
        return VarColumn(info, offsets, values, self._bitmap(data, 0), self._region_buffer(data.region))

    def _check_var(self, offsets: np.ndarray, values: np.ndarray, data: _Bytes, offsets_role: int,
                   values_role: int, info: ColumnInfo, type_name: str, count: int) -> None:
        """The once-per-column checks of the offsets and values in slots ``offsets_role`` and
        ``values_role`` (a String or Binary column's, or a dictionary's): offsets, and UTF-8 for strings."""
        names = _ROW_NAMES if offsets_role == 1 else _DICTIONARY_NAMES
        self._check_offsets(offsets, offsets.itemsize, len(values), info,
                            data.locations[offsets_role][0] if data.is_file else None, count, names)
        if type_name in ("String", "LargeString"):
            self._check_utf8(offsets, values, info, data.locations[values_role][0] if data.is_file else None, names)

    def _dict_column(self, index: int, info: ColumnInfo, data: _Bytes) -> DictColumn:
        """The view of dictionary-encoded column ``index`` over its (decoded) buffers ``data``, after
        the once-per-column checks (§6.4): the dictionary's offsets and UTF-8, then every index."""
        column = self._layout.column(index)
        _, index_width, value_type, value_size, value_offset_width, entries = column.dictionary
        rows = info.row_count
        codes = self._array(data, 2, {1: "<i1", 2: "<i2", 4: "<i4"}[index_width], rows)
        if value_offset_width is not None:
            offsets = self._array(data, 3, "<i4" if value_offset_width == 4 else "<i8", entries + 1)
            values_length = data.locations[4][1] if data.locations[4] is not None else 0
            values = self._array(data, 4, np.uint8, values_length)
            entry_info = replace(info, physical_type=value_type, row_count=entries, null_count=0, nullable=False,
                                 dictionary=None, logical_type="none", logical_type_code=0)
            categories: Any = VarColumn(entry_info, offsets, values, None, self._region_buffer(data.region))
        else:
            offsets = values = None
            categories = self._array(data, 4, PHYSICAL_TYPES[_TYPE_CODES[value_type]][3], entries)
            if info.logical_type_code == LOGICAL_TIMESTAMP:
                categories = categories.view(f"datetime64[{info.time_unit}]")
        with self._lock:
            checked = index in self._checked_offsets
        if not checked:
            if offsets is not None:
                self._check_var(offsets, values, data, 3, 4, info, value_type, entries)
            self._check_indices(codes, self._bitmap(data, 0), entries, info,
                                data.locations[2][0] if data.is_file else None)
            with self._lock:
                self._checked_offsets.add(index)
        return DictColumn(info, codes, categories, self._bitmap(data, 0), self._region_buffer(data.region))

    def _check_indices(self, codes: np.ndarray, bitmap: Optional[np.ndarray], entries: int, info: ColumnInfo,
                       file_offset: Optional[int]) -> None:
        """A valid row's index lies in ``[0, N)``, a null row's is -1 (§6.4) [badDictionaryIndex]: O(rows),
        in blocks; the Swift library's ``checkIndices``, with its messages."""
        rows = len(codes)
        valid = None if bitmap is None else _bits_to_bool(bitmap, rows)
        for start in range(0, rows, _OFFSETS_BLOCK):
            block = codes[start:start + _OFFSETS_BLOCK]
            outside = (block < 0) | (block >= entries)
            if valid is None:
                bad = outside
            else:
                block_valid = valid[start:start + _OFFSETS_BLOCK]
                bad = np.where(block_valid, outside, block != -1)
            if not bad.any():
                continue
            row = start + int(np.argmax(bad))
            context = ErrorContext(self.path, info.name)
            offset = None if file_offset is None else file_offset + row * codes.itemsize
            found = int(codes[row])
            if valid is not None and not valid[row]:
                raise context.error("badDictionaryIndex", f"null row {row} has an index other than -1",
                                    offset=offset, expected=-1, found=found)
            raise context.error("badDictionaryIndex", f"row {row} has an index outside the dictionary", offset=offset,
                                expected="none: the dictionary is empty" if entries == 0 else f"0 to {entries - 1}",
                                found=found)

    def _check_offsets(self, offsets: np.ndarray, width: int, values_length: int, info: ColumnInfo,
                       file_offset: Optional[int], count: Optional[int] = None,
                       names: Tuple[str, str, str, str] = ("offset", "values", "strings", "row")) -> None:
        """``count + 1`` offsets (a column's rows, or a dictionary's entries) start at 0, end at the
        values' length and never decrease (§9): O(count), in blocks."""
        context = ErrorContext(self.path, info.name)
        items = info.row_count if count is None else count
        where = names[0] if file_offset is not None else f"decoded {names[0]}"
        first = int(offsets[0])
        last = int(offsets[items])
        if first != 0:
            raise context.error("badOffsets", f"the first {where} is not 0", offset=file_offset, expected=0,
                                found=first)
        if last != values_length:
            raise context.error("badOffsets", f"the last {where} is not the {names[1]} length",
                                offset=None if file_offset is None else file_offset + items * width,
                                expected=values_length, found=last)
        count = items + 1
        for start in range(0, count - 1, _OFFSETS_BLOCK):
            block = offsets[start:min(count, start + _OFFSETS_BLOCK + 1)]
            decreasing = block[1:] < block[:-1]
            if decreasing.any():
                bad = start + int(np.argmax(decreasing)) + 1
                raise context.error("offsetsNotIncreasing", f"{where} {bad} is smaller than {where} {bad - 1}",
                                    offset=None if file_offset is None else file_offset + bad * width)

    def _check_utf8(self, offsets: np.ndarray, values: np.ndarray, info: ColumnInfo,
                    file_offset: Optional[int], names: Tuple[str, str, str, str] = ("offset", "values", "strings",
                                                                                    "row")) -> None:
        """Every row of a String column is valid UTF-8 (§6.1): the values as a whole, and no row starting
        inside a multi-byte sequence. O(bytes + rows), in bounded blocks; the Swift library's
        ``checkUTF8``, with its messages (offsets in the file, or in the decoded values of a cold column)."""
        count = len(values)
        if count == 0:
            return
        context = ErrorContext(self.path, info.name)
        base = file_offset or 0
        bad = _first_invalid_utf8(values)
        if bad is not None:
            raise context.error("invalidUTF8", f"the {names[2]} are not valid UTF-8", offset=base + bad)
        starts = offsets[:-1]
        for start in range(0, len(starts), _OFFSETS_BLOCK):
            block = starts[start:start + _OFFSETS_BLOCK].astype(np.int64)
            inside = block < count
            lead = np.zeros(len(block), bool)
            lead[inside] = (values[block[inside]] & 0xC0) == 0x80
            if lead.any():
                row = start + int(np.argmax(lead))
                raise context.error("invalidUTF8", f"{names[3]} {row} starts inside a UTF-8 sequence",
                                    offset=base + int(starts[row]))

    def _region_buffer(self, region):
        return region

    # -- Arrow and pandas ---------------------------------------------------------------------------

    def to_arrow(self, columns: Optional[Sequence[str]] = None, *, tensors: str = "extension"):
        """The file (or ``columns``) as a ``pyarrow.Table`` whose buffers point into the mapping.

        Every buffer of every plain column is a zero-copy slice of the file's mapping (validity
        bitmaps, offsets, strings, bools, tensors' values); a cold column's buffers are slices of its
        decoded copy (a shared cache entry, mapped too). The table keeps the mappings alive.

        Parameters
        ----------
        columns : sequence of str, optional
            The columns, in this order; all columns in file order by default.
        tensors : {"extension", "list"}
            Tensor columns as ``arrow.fixed_shape_tensor`` extension arrays (default) or as plain
            ``FixedSizeList<T>[d1 × … × dk]`` arrays.
        """
        from ._arrow import table_from_reader
        with collector_paused():
            return table_from_reader(self, columns, tensors)

    def to_pandas(self, columns: Optional[Sequence[str]] = None, **options: Any):
        """The file as a ``pandas.DataFrame``, through :meth:`to_arrow`: numeric columns without nulls
        stay views of the mapping (``split_blocks=True``, no consolidation); others are converted as
        ``pyarrow.Table.to_pandas`` converts them. Tensor columns become object columns of arrays.
        Dictionary-encoded columns become ``Categorical`` columns: the :meth:`DictColumn.to_pandas`
        one over the mapping's codes (pyarrow's conversion would copy them, and drops a Timestamp
        dictionary's time zone); Date ones as pyarrow converts them."""
        with collector_paused():
            return self._to_pandas(columns, options)

    def _to_pandas(self, columns: Optional[Sequence[str]], options: Dict[str, Any]):
        """:meth:`to_pandas`, with the collector paused by the caller."""
        import pandas as pd
        table = self.to_arrow(columns, tensors="list")
        # Dictionary-encoded columns become Categoricals, except those whose dictionary pandas cannot
        # take as categories (NaN, or entries not distinct): their values then, decoded.
        categoricals = {}
        for position, name in enumerate(table.column_names):
            info = self.info(name)
            if info.dictionary is None:
                continue
            column = self.column(name)
            if not column.categories_fit_pandas:
                field = table.schema.field(position)
                decoded = table.column(position).cast(field.type.value_type)
                table = table.set_column(position, field.with_type(decoded.type), decoded)
            elif info.logical_type_code != LOGICAL_DATE:
                categoricals[name] = column.to_pandas()
        options.setdefault("split_blocks", True)
        options.setdefault("zero_copy_only", False)
        frame = table.to_pandas(**options)
        if not categoricals:
            return frame
        # Rebuilt without copying: the other columns keep their (view) arrays.
        return pd.DataFrame({name: categoricals.get(name, frame[name]) for name in frame.columns}, copy=False)

    # -- cold columns, row by row ------------------------------------------------------------------

    def chunked(self, name: str) -> "ChunkedColumn":
        """Random access to the rows of cold column ``name`` that decodes only the chunk(s) holding
        the row asked for (one chunk per buffer is kept), whatever ``cold_columns`` says."""
        index = self._readable_index(name)
        info = self._info_at(index)
        if not info.is_compressed:
            raise ColFileError("typeMismatch", self.path, name, "the column has another type",
                               expected="a compressed column", found="a plain column")
        self._check_open()
        return ChunkedColumn(self, index, info)

    # -- verification ---------------------------------------------------------------------------

    def verify(self, column: Optional[str] = None) -> None:
        """Checks everything :func:`colfile.open` does not (§9, *Full verification*): every buffer's
        CRC-32 (cold columns: every chunk decoded into private memory and checked, then the whole
        buffer), every null count against its bitmap, every offset, and UTF-8 of String columns. A
        column this reader cannot read (:attr:`ColumnInfo.unreadable`) fails with its error.

        Parameters
        ----------
        column : str, optional
            Verify only this column.

        Raises
        ------
        ColFileError
            The first problem found, naming the column (and chunk).
        """
        if column is None:
            # Every column's first-use checks before any column's full checks: a record's fault is
            # reported as a check at open would (§9), not after an earlier column's.
            self.columns
        indexes = range(self.column_count) if column is None else [self._index(column)]
        for index in indexes:
            self._verify_column(index)

    def _verify_column(self, index: int) -> None:
        self._check_open()
        info = self._info_at(index)
        if info.unreadable is not None:
            raise copy.copy(info.unreadable)
        context = ErrorContext(self.path, info.name)
        if info.is_compressed:
            self._check_decode_limit(index)
            layout = self._decoded_layout(index)
            data = _Bytes(self._decode_privately(index, layout, checking_checksums=True), layout.locations, False)
        else:
            data = self._column_bytes(index)
        with memoryview(data.region) as view:
            for buffer in info.buffers:
                if buffer.decoded_length == 0:
                    continue
                offset, length = data.locations[ROLES.index(buffer.role)]
                with view[offset:offset + length] as piece:
                    actual = crc32(piece)
                if actual != buffer.checksum:
                    raise context.error("bufferChecksumMismatch", f"{buffer.role} buffer checksum mismatch",
                                        offset=buffer.offset, expected=hex32(buffer.checksum), found=hex32(actual))
        validity = self._bitmap(data, 0)
        if validity is not None:
            zeros = _zero_bits(validity, info.row_count)
            if zeros != info.null_count:
                raise context.error("badNullCount", "null count disagrees with the validity bitmap",
                                    offset=data.locations[0][0] if data.is_file else 0, expected=zeros,
                                    found=info.null_count)
        if info.physical_type in ("String", "LargeString", "Binary", "LargeBinary"):
            # Offsets, and UTF-8 for strings: checked before any value is served (once per column).
            self._var_column(index, info, data)
        if info.dictionary is not None:
            # The dictionary's offsets and UTF-8, and every index (§6.4).
            self._dict_column(index, info, data)


def _first_invalid_utf8(values: np.ndarray) -> Optional[int]:
    """Index of the first byte that starts an invalid UTF-8 sequence, or None (the Swift library's
    ``UTF8Validation.firstInvalidByte``). Blocks of ASCII are skipped with one vectorised test; others
    are decoded without copying them (``codecs.utf_8_decode`` on a view), a sequence cut by the end
    of a block being decoded again with the next block."""
    count = len(values)
    start = 0
    while start < count:
        end = min(count, start + max(_UTF8_BLOCK, 4))  # a block holds a whole sequence: progress
        block = values[start:end]
        if block.max() < 0x80:  # all ASCII
            start = end
            continue
        with memoryview(block) as view:
            try:
                _, consumed = codecs.utf_8_decode(view, "strict", end == count)
            except UnicodeDecodeError as error:
                return start + error.start
        start += consumed
    return None


class VarColumn:
    """A String, LargeString, Binary or LargeBinary column: zero-copy views of its offsets, bytes and
    validity bitmap (Arrow's layout), with Python access to single values.

    Attributes
    ----------
    info : ColumnInfo
        The column's description.
    offsets : numpy.ndarray
        ``rows + 1`` offsets (int32 or int64, read-only view); row ``i`` is
        ``data[offsets[i]:offsets[i + 1]]``.
    data : numpy.ndarray
        The values' bytes (``uint8``, read-only view).
    validity_bitmap : numpy.ndarray or None
        The packed validity bits (``uint8`` view), None when the column has no nulls.
    """

    def __init__(self, info: ColumnInfo, offsets: np.ndarray, data: np.ndarray,
                 validity_bitmap: Optional[np.ndarray], region: Any) -> None:
        self.info = info
        self.offsets = offsets
        self.data = data
        self.validity_bitmap = validity_bitmap
        self._region = region
        self._validity: Optional[np.ndarray] = None
        self.is_string = info.physical_type in ("String", "LargeString")

    def __len__(self) -> int:
        return self.info.row_count

    @property
    def validity(self) -> Optional[np.ndarray]:
        """One bool per row (True = valid), or None when the column has no validity bitmap."""
        if self.validity_bitmap is None:
            return None
        if self._validity is None:
            self._validity = _bits_to_bool(self.validity_bitmap, len(self))
        return self._validity

    @property
    def null_count(self) -> int:
        """Null rows, as the directory records them."""
        return self.info.null_count

    def is_null(self, row: int) -> bool:
        """Whether row ``row`` is null."""
        if self.validity_bitmap is None:
            return False
        return not (int(self.validity_bitmap[row >> 3]) >> (row & 7)) & 1

    def value_bytes(self, row: int) -> memoryview:
        """The bytes of row ``row`` as a zero-copy memoryview (whether or not the row is null)."""
        start, end = int(self.offsets[row]), int(self.offsets[row + 1])
        return memoryview(self.data[start:end])

    def __getitem__(self, key: Union[int, slice]) -> Any:
        if isinstance(key, slice):
            return [self[row] for row in range(*key.indices(len(self)))]
        row = row_index(key, len(self))
        if self.is_null(row):
            return None
        data = self.data[int(self.offsets[row]):int(self.offsets[row + 1])].tobytes()
        # A String column's UTF-8 was checked before this view was made (§6.1).
        return data.decode("utf-8") if self.is_string else data

    def __iter__(self) -> Iterator[Any]:
        return iter(self.to_pylist())

    def to_pylist(self) -> List[Any]:
        """Every row as ``str`` (``bytes`` for binary) or None."""
        data = self.data.tobytes()
        offsets = self.offsets.tolist()
        valid = self.validity
        if self.is_string:
            values = [data[offsets[row]:offsets[row + 1]].decode("utf-8") for row in range(len(self))]
        else:
            values = [data[offsets[row]:offsets[row + 1]] for row in range(len(self))]
        if valid is not None:
            for row in np.flatnonzero(~valid).tolist():
                values[row] = None
        return values

    def to_numpy(self) -> np.ndarray:
        """An ``object`` array of the rows (a copy; None for nulls)."""
        result = np.empty(len(self), object)
        result[:] = self.to_pylist()
        return result

    def to_arrow(self):
        """The column as a ``pyarrow`` array whose buffers are views of the mapping."""
        from ._arrow import var_array
        return var_array(self)

    def __repr__(self) -> str:
        preview = self[:3] if len(self) else []
        more = ", …" if len(self) > 3 else ""
        return (f"<colfile.VarColumn {self.info.name!r} {self.info.physical_type} rows={len(self)} "
                f"nulls={self.info.null_count} [{', '.join(repr(v) for v in preview)}{more}]>")


class ChunkedColumn:
    """Row-by-row access to a cold column that decodes only the chunks it needs (§13.1).

    One decoded chunk per buffer is kept; any row is read by decoding at most the chunks that hold
    its bytes. Obtained from :meth:`Reader.chunked`.
    """

    def __init__(self, reader: Reader, index: int, info: ColumnInfo) -> None:
        self.reader = reader
        self.index = index
        self.info = info
        self._decoders: Dict[int, ChunkDecoder] = {}
        self._memo: Dict[int, Tuple[int, bytes]] = {}
        column = reader._layout.column(index)
        self._dictionary = column.dictionary
        # A dictionary-encoded column's row values have the dictionary's value type (§6.4).
        self._physical = PHYSICAL_TYPES[column.record.value_type if column.dictionary else column.record.physical]
        self.chunks_decoded = 0

    def __len__(self) -> int:
        return self.info.row_count

    def _chunk(self, role: int, chunk: int) -> bytes:
        memo = self._memo.get(role)
        if memo is not None and memo[0] == chunk:
            return memo[1]
        decoder = self._decoders.get(role)
        if decoder is None:
            decoder = self.reader._decoder(self.index, role)
            self._decoders[role] = decoder
        data = decoder.decode_chunk(chunk)
        self.chunks_decoded += 1
        self._memo[role] = (chunk, data)
        return data

    def _read(self, role: int, start: int, length: int) -> bytes:
        index = self.reader._layout.column(self.index).chunk_indexes[role]
        size = index.chunk_size
        pieces = []
        position = start
        end = start + length
        while position < end:
            chunk = position // size
            data = self._chunk(role, chunk)
            begin = position - chunk * size
            take = min(end - position, len(data) - begin)
            pieces.append(data[begin:begin + take])
            position += take
        return b"".join(pieces)

    def _row(self, row: int) -> int:
        return row_index(row, len(self))

    def is_null(self, row: int) -> bool:
        """Whether row ``row`` is null (decodes one chunk of the validity bitmap)."""
        row = self._row(row)
        if not self.info.nullable:
            return False
        return not (self._read(0, row >> 3, 1)[0] >> (row & 7)) & 1

    def dictionary_index(self, row: int) -> Optional[int]:
        """The dictionary index of row ``row`` of a dictionary-encoded column, or None for a null row.

        Raises ``ColFileError`` ``typeMismatch`` for a column that is not dictionary-encoded, and
        ``badDictionaryIndex`` when the row's index breaks Specification.md §6.4 (outside the
        dictionary, or not -1 for a null row): random access checks the row it reads."""
        row = self._row(row)
        if self._dictionary is None:
            raise ColFileError("typeMismatch", self.reader.path, self.info.name, "the column has another type",
                               expected="a dictionary-encoded column", found=self.info.physical_type)
        width, entries = self._dictionary[1], self._dictionary[5]
        index = int(np.frombuffer(self._read(2, row * width, width), {1: "<i1", 2: "<i2", 4: "<i4"}[width])[0])
        if self.is_null(row):
            if index != -1:
                raise ColFileError("badDictionaryIndex", self.reader.path, self.info.name,
                                   f"null row {row} has an index other than -1", expected=-1, found=index)
            return None
        if not 0 <= index < entries:
            raise ColFileError("badDictionaryIndex", self.reader.path, self.info.name,
                               f"row {row} has an index outside the dictionary",
                               expected="none: the dictionary is empty" if entries == 0 else f"0 to {entries - 1}",
                               found=index)
        return index

    def _item(self, row: int) -> Optional[Tuple[int, int, int, str]]:
        """(item, offsets role, values role, item name) holding row ``row``'s value: the row itself,
        or a dictionary-encoded column's entry; None for a null row."""
        if self._dictionary is not None:
            entry = self.dictionary_index(row)
            return None if entry is None else (entry, 3, 4, "dictionary entry")
        return None if self.is_null(row) else (row, 1, 2, "row")

    def __getitem__(self, row: int) -> Any:
        """Row ``row``: a NumPy scalar (or a tensor row array), bool, str, bytes, or None for a null;
        a dictionary-encoded column's row gives its dictionary entry (its index checked first).

        A String row's bytes are checked as UTF-8 before it is returned (``invalidUTF8`` otherwise,
        at the row's offset in the decoded values); :meth:`value_bytes` returns them unchecked."""
        row = self._row(row)
        item = self._item(row)
        if item is None:
            return None
        position, offsets_role, values_role, item_name = item
        name, element_size, offset_width, numpy_type = self._physical
        if numpy_type is not None:
            per_row = self.info.values_per_row
            data = self._read(values_role, position * element_size * per_row, element_size * per_row)
            values = np.frombuffer(data, numpy_type)
            if self.info.logical_type_code == LOGICAL_TIMESTAMP:
                values = values.view(f"datetime64[{self.info.time_unit}]")
            return values.reshape(self.info.shape) if self.info.shape else values[0]
        if name == "Bool":
            return bool((self._read(2, row >> 3, 1)[0] >> (row & 7)) & 1)
        start, data = self._var_bytes(position, offsets_role, values_role, item_name)
        if name not in ("String", "LargeString"):
            return data
        # Only this row's bytes are decoded here, so only they are checked before the string is
        # served (§6.1): strictly, never with replacement characters.
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise ColFileError("invalidUTF8", self.reader.path, self.info.name,
                               f"row {row} is not valid UTF-8") from None

    def value_bytes(self, row: int) -> Optional[bytes]:
        """The bytes of row ``row`` of a String or Binary column (or of a dictionary-encoded one's
        entry; unchecked), or None for a null."""
        row = self._row(row)
        if self._physical[2] is None:
            raise ColFileError("typeMismatch", self.reader.path, self.info.name, "the column has another type",
                               expected="a String or Binary column", found=self.info.physical_type)
        item = self._item(row)
        return None if item is None else self._var_bytes(*item)[1]

    def _var_bytes(self, item: int, offsets_role: int = 1, values_role: int = 2,
                   item_name: str = "row") -> Tuple[int, bytes]:
        """(start in the decoded values, bytes) of item ``item`` (a row, or a dictionary entry) through
        the offsets in slot ``offsets_role``."""
        offset_width = self._physical[2]
        fmt = "<i4" if offset_width == 4 else "<i8"
        start, end = np.frombuffer(self._read(offsets_role, item * offset_width, 2 * offset_width), fmt).tolist()
        values_length = next((b.decoded_length for b in self.info.buffers if b.role == ROLES[values_role]), 0)
        if not 0 <= start <= end <= values_length:
            raise ColFileError("offsetsNotIncreasing", self.reader.path, self.info.name,
                               f"the offsets of {item_name} {item} are out of order or out of range",
                               expected=f"0 ≤ start ≤ end ≤ {values_length}", found=f"{start}..<{end}")
        return start, (self._read(values_role, start, end - start) if end > start else b"")

    def __repr__(self) -> str:
        return f"<colfile.ChunkedColumn {self.info.name!r} {self.info.physical_type} rows={len(self)}>"
