"""Drafts (Specification.md §15): open a draft by path, write its rows in place
through writable NumPy views, and claim ranges of rows with the very locks the Swift library takes,
so Python and Swift workers fill one draft together. A draft is created and sealed by the Swift
library or tool (``colfile draft create`` / ``colfile draft seal``): the seal's crash-safe
procedure has one implementation.
"""

from __future__ import annotations

import ctypes
import errno as _errno
import fcntl
import mmap
import os
import struct
import weakref
from typing import Dict, List, Optional, Set, Tuple

import numpy as np

from ._errors import ColFileError, ErrorContext, hex32
from ._format import (BUFFER_ALIGNMENT, DIRECTORY_HEADER_LENGTH, DRAFT_MAGIC, IS_LITTLE_ENDIAN, MAGIC,
                      MAX_DIRECTORY_LENGTH, PHYSICAL_TYPES, U64_MAX, Layout, crc32)

__all__ = ["Draft", "WorkQueue", "RangeClaim", "open_draft"]

# §15.2 header (64 bytes at 0) and §15.3 claim table (at 64).
_HEADER = struct.Struct("<8sHHIII16sQQII")
MAJOR_VERSION = 1
HEADER_LENGTH = 64
STATES = {1: "open", 2: "sealing"}
ROWS_PER_RANGE_MULTIPLE = 64
MAX_ROWS = 1 << 53
CLAIM_TABLE = 64
CLAIM_TABLE_HEADER = 64
ENTRY_LENGTH = 16
FREE, CLAIMED, DONE = 0, 1, 2

# §15.4 locks: bytes far past any file's end.
LOCK_BASE = 1 << 62
SEAL_LOCK = LOCK_BASE
CLAIM_LOCK = LOCK_BASE + 1
RANGE_LOCK_BASE = LOCK_BASE + 4096

# Open-file-description locks: Python has the constants on Linux since 3.9; these are Linux's values.
F_OFD_GETLK = getattr(fcntl, "F_OFD_GETLK", 36)
F_OFD_SETLK = getattr(fcntl, "F_OFD_SETLK", 37)
F_OFD_SETLKW = getattr(fcntl, "F_OFD_SETLKW", 38)
# struct flock on Linux (x86_64, aarch64): short type, short whence, off_t start, off_t len, pid_t pid;
# l_pid must be 0 for OFD locks.
_FLOCK = struct.Struct("hhxxxxqqixxxx")

_ATOMIC_TYPES = {"Int32": 4, "UInt32": 4, "Int64": 8, "UInt64": 8}
_SEQ_CST = 5


def _lock(fd: int, kind: int, start: int, *, wait: bool) -> bool:
    """``fcntl(fd, F_OFD_SETLK[W], …)`` on the byte ``start``: True when taken (or released)."""
    try:
        fcntl.fcntl(fd, F_OFD_SETLKW if wait else F_OFD_SETLK, _FLOCK.pack(kind, os.SEEK_SET, start, 1, 0))
        return True
    except OSError as error:
        if not wait and error.errno in (_errno.EAGAIN, _errno.EACCES):
            return False
        raise


class _Atomics:
    """libatomic's size-specific functions (``__atomic_fetch_add_8`` …), lock-free on the hardware
    colfile runs on, so they interoperate with the Swift library's atomics on the same mapping."""

    _lib: Optional[ctypes.CDLL] = None

    @classmethod
    def lib(cls) -> ctypes.CDLL:
        if cls._lib is None:
            lib = ctypes.CDLL("libatomic.so.1")
            for width, c_type in ((4, ctypes.c_uint32), (8, ctypes.c_uint64)):
                for name, args, result in ((f"__atomic_load_{width}", [ctypes.c_void_p, ctypes.c_int], c_type),
                                           (f"__atomic_store_{width}", [ctypes.c_void_p, c_type, ctypes.c_int], None),
                                           (f"__atomic_fetch_add_{width}", [ctypes.c_void_p, c_type, ctypes.c_int],
                                            c_type),
                                           (f"__atomic_compare_exchange_{width}",
                                            [ctypes.c_void_p, ctypes.c_void_p, c_type, ctypes.c_int, ctypes.c_int],
                                            ctypes.c_bool)):
                    function = getattr(lib, name)
                    function.argtypes, function.restype = args, result
            for name in ("__atomic_fetch_or_1", "__atomic_fetch_and_1"):
                function = getattr(lib, name)
                function.argtypes, function.restype = [ctypes.c_void_p, ctypes.c_uint8, ctypes.c_int], ctypes.c_uint8
            cls._lib = lib
        return cls._lib


class AtomicColumn:
    """Atomic load, store, add and compare-exchange on the rows of an Int32/Int64/UInt32/UInt64 draft
    column, through libatomic on the shared mapping: the same operations as the Swift library's
    ``AtomicColumn``, on the same bytes, so Python and Swift workers can share counters. About a
    microsecond per call (a ctypes call); for bulk results write disjoint rows through the NumPy view.
    """

    def __init__(self, name: str, values: np.ndarray) -> None:
        self.name = name
        self._values = values
        self._width = values.dtype.itemsize
        self._signed = values.dtype.kind == "i"
        self._address = values.ctypes.data
        lib = _Atomics.lib()
        self._load = getattr(lib, f"__atomic_load_{self._width}")
        self._store = getattr(lib, f"__atomic_store_{self._width}")
        self._add = getattr(lib, f"__atomic_fetch_add_{self._width}")
        self._cas = getattr(lib, f"__atomic_compare_exchange_{self._width}")
        self._mask = (1 << (8 * self._width)) - 1

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"AtomicColumn(name={self.name!r}, rows={len(self)}, dtype={self._values.dtype})"

    def _pointer(self, row: int) -> int:
        if not 0 <= row < len(self._values):
            raise IndexError(f"row {row} out of range 0..<{len(self._values)} of column '{self.name}'")
        return self._address + row * self._width

    def _signed_value(self, bits: int) -> int:
        if self._signed and bits >> (8 * self._width - 1):
            return bits - (1 << (8 * self._width))
        return bits

    def load(self, row: int) -> int:
        """The value of ``row``, read atomically (sequentially consistent)."""
        return self._signed_value(self._load(self._pointer(row), _SEQ_CST))

    def store(self, value: int, row: int) -> None:
        """Writes ``value`` to ``row`` atomically."""
        self._store(self._pointer(row), value & self._mask, _SEQ_CST)

    def load_then_add(self, value: int, row: int) -> int:
        """Adds ``value`` to ``row`` atomically (wrapping); returns the value before."""
        return self._signed_value(self._add(self._pointer(row), value & self._mask, _SEQ_CST))

    def compare_exchange(self, expected: int, desired: int, row: int) -> Tuple[bool, int]:
        """Writes ``desired`` to ``row`` if it holds ``expected``; returns (exchanged, value before)."""
        c_type = ctypes.c_uint32 if self._width == 4 else ctypes.c_uint64
        original = c_type(expected & self._mask)
        exchanged = self._cas(self._pointer(row), ctypes.byref(original), desired & self._mask, _SEQ_CST, _SEQ_CST)
        return bool(exchanged), self._signed_value(original.value)


class Draft:
    """A draft opened for writing: a read-write ``MAP_SHARED`` mapping and the shared seal lock.

    Open with :func:`open_draft`. While the mapping lives (this object or any view of it), the
    draft's seal lock is held shared, so no seal runs while Python may still write; it is released
    when the last view goes away (or at :meth:`close`, which refuses while views exist).
    """

    def __init__(self, path: str, fd: int, mm: mmap.mmap, layout: Layout, header: Dict[str, object],
                 columns: Dict[str, Tuple[Layout, int]], range_count: int) -> None:
        self.path = path
        self._mm = mm
        self._layout = layout
        self._header = header
        self._columns = columns
        self.range_count = range_count
        self._fd = fd
        self._release = weakref.finalize(mm, os.close, fd)

    # -- what it is ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """The rows of every column, R."""
        return self._layout.row_count

    @property
    def rows_per_range(self) -> int:
        """Rows in each claimable range, S."""
        return int(self._header["rows_per_range"])

    @property
    def state(self) -> str:
        """``"open"``, or ``"sealing"`` when a seal began and did not finish (seal again)."""
        return str(self._header["state"])

    @property
    def file_id(self) -> bytes:
        """The 16 bytes that will name the sealed file."""
        return bytes(self._header["file_id"])  # type: ignore[arg-type]

    def keys(self) -> List[str]:
        """The column names, in description order."""
        return [column.name for column in self._layout.columns]

    def rows_of_range(self, index: int) -> range:
        """The rows of range ``index``."""
        if not 0 <= index < self.range_count:
            raise IndexError(f"range {index} out of range 0..<{self.range_count}")
        start = index * self.rows_per_range
        return range(start, min(start + self.rows_per_range, self.row_count))

    def __repr__(self) -> str:
        return (f"Draft(path={self.path!r}, rows={self.row_count}, columns={self.keys()}, "
                f"ranges={self.range_count} of {self.rows_per_range})")

    def __enter__(self) -> "Draft":
        return self

    def __exit__(self, exc_type, _exc, _tb) -> None:
        if exc_type is None:
            self.close()
        else:  # views in the failing frames may still exist: the lock goes with the last of them
            try:
                self.close()
            except ColFileError:
                pass

    def close(self) -> None:
        """Unmaps the draft and releases its seal lock.

        Raises
        ------
        ColFileError
            ``invalidArgument`` while NumPy views of the draft still exist (delete them first): the
            lock must outlive every view that can write.
        """
        try:
            self._mm.close()
        except BufferError:
            raise ErrorContext(self.path).error(
                "invalidArgument", "views of the draft still exist: delete them before closing it") from None
        self._release()

    # -- views --------------------------------------------------------------------------------

    def _column(self, name: str):
        found = self._columns.get(name)
        if found is None:
            raise ErrorContext(self.path, name).error("noSuchColumn", "no such column in the draft")
        return found[0]

    def values(self, name: str) -> np.ndarray:
        """A writable NumPy view of a fixed-width (or tensor) column's values, shape ``(R,) + shape``.

        Rows of a column that starts null stay null until marked valid (:meth:`set_valid`).

        Raises
        ------
        ColFileError
            ``noSuchColumn``; ``typeMismatch`` for a Bool column (use :meth:`set_bools`).
        """
        column = self._column(name)
        dtype = PHYSICAL_TYPES[column.record.physical][3]
        if dtype is None:
            raise ErrorContext(self.path, name).error("typeMismatch", "the column is Bool: write it with set_bools",
                                                      expected="a fixed-width column", found=column.type_name)
        per_row = 1
        for extent in column.shape:
            per_row *= extent
        values = column.record.buffers[2]
        array = np.frombuffer(self._mm, dtype=dtype, count=self.row_count * per_row,
                              offset=values.offset if values.stored_length else 0)
        return array.reshape((self.row_count,) + tuple(column.shape))

    def validity(self, name: str) -> Optional[np.ndarray]:
        """A writable view of the column's validity bitmap (``uint8``, bit ``row % 8`` of byte
        ``row // 8``, 1 = valid), or None for a column that starts zero (it has no nulls)."""
        column = self._column(name)
        bitmap = column.record.buffers[0]
        if not column.record.has_validity or not bitmap.stored_length:
            return None
        return np.frombuffer(self._mm, dtype=np.uint8, count=bitmap.stored_length, offset=bitmap.offset)

    def set_valid(self, name: str, rows: range, valid: bool = True) -> None:
        """Marks ``rows`` valid (or null). Whole bytes are written with NumPy; a byte shared with rows
        outside ``rows`` is changed with an atomic OR/AND, so writers of neighbouring rows may run at
        the same time (claimed ranges never share a byte: S is a multiple of 64)."""
        bitmap = self.validity(name)
        if bitmap is None:
            if not valid:
                raise ErrorContext(self.path, name).error(
                    "invalidArgument", "the column starts zero and has no nulls: its rows cannot be set null")
            return
        self._check(rows, name)
        self._set_bits(bitmap, rows, valid)

    def set_bools(self, name: str, start: int, values) -> None:
        """Writes Bool ``values`` to rows ``start ..< start + len(values)`` of a Bool column and marks
        them valid (bytes shared with other rows are changed atomically, as :meth:`set_valid`)."""
        column = self._column(name)
        if column.type_name != "Bool":
            raise ErrorContext(self.path, name).error("typeMismatch", "the column is not Bool",
                                                      expected="Bool", found=column.type_name)
        flags = np.asarray(values, dtype=bool)
        count = len(flags)
        rows = range(start, start + count)
        self._check(rows, name)
        buffer = column.record.buffers[2]
        bitmap = np.frombuffer(self._mm, dtype=np.uint8, count=buffer.stored_length, offset=buffer.offset)
        head = min(count, (-start) % 8)
        body_end = head + (count - head) // 8 * 8
        first_byte = (start + head) // 8
        bitmap[first_byte:first_byte + (body_end - head) // 8] = np.packbits(flags[head:body_end], bitorder="little")
        for offset in list(range(head)) + list(range(body_end, count)):
            self._set_bits(bitmap, range(start + offset, start + offset + 1), bool(flags[offset]))
        self.set_valid(name, rows)

    def atomic(self, name: str) -> AtomicColumn:
        """Atomic operations on the rows of an Int32, Int64, UInt32 or UInt64 column.

        Raises
        ------
        ColFileError
            ``noSuchColumn``; ``typeMismatch`` for any other type (or a tensor column).
        """
        column = self._column(name)
        if column.type_name not in _ATOMIC_TYPES or column.shape:
            raise ErrorContext(self.path, name).error(
                "typeMismatch", "atomic operations need an Int32, Int64, UInt32 or UInt64 column",
                expected="Int32, Int64, UInt32 or UInt64", found=column.type_name + (str(list(column.shape))
                                                                                     if column.shape else ""))
        return AtomicColumn(name, self.values(name))

    def work_queue(self) -> "WorkQueue":
        """A queue of this draft's ranges for one worker (its own open file description)."""
        return WorkQueue(self)

    def progress(self) -> Dict[str, int]:
        """How many ranges are ``free`` (never claimed), ``claimed`` and ``done``."""
        states = self._claim_entries()[:, 0]
        return {"free": int((states == FREE).sum()), "claimed": int((states == CLAIMED).sum()),
                "done": int((states == DONE).sum()), "total": self.range_count}

    # -- internals ----------------------------------------------------------------------------

    def _check(self, rows: range, name: str) -> None:
        if rows.start < 0 or rows.stop > self.row_count or rows.step != 1:
            raise IndexError(f"rows {rows.start}..<{rows.stop} out of range 0..<{self.row_count} of column '{name}'")

    def _set_bits(self, bitmap: np.ndarray, rows: range, valid: bool) -> None:
        start, stop = rows.start, rows.stop
        if start >= stop:
            return
        first_full, last_full = -(-start // 8), stop // 8
        if first_full < last_full:
            bitmap[first_full:last_full] = 0xFF if valid else 0
            edges = [(start, first_full * 8), (last_full * 8, stop)]
        else:  # within one byte, or across the boundary of two
            edges = [(start, min(stop, (start // 8 + 1) * 8)), (max(start, (stop - 1) // 8 * 8), stop)]
            if edges[0] == edges[1]:
                edges.pop()
        lib = _Atomics.lib()
        for low, high in edges:
            if low >= high:
                continue
            mask = 0
            for row in range(low, high):
                mask |= 1 << (row % 8)
            address = bitmap.ctypes.data + low // 8
            if valid:
                getattr(lib, "__atomic_fetch_or_1")(address, mask, _SEQ_CST)
            else:
                getattr(lib, "__atomic_fetch_and_1")(address, ~mask & 0xFF, _SEQ_CST)

    def _claim_entries(self) -> np.ndarray:
        return np.frombuffer(self._mm, dtype="<u4", count=self.range_count * 4,
                             offset=CLAIM_TABLE + CLAIM_TABLE_HEADER).reshape(self.range_count, 4)

    def _next_range(self) -> np.ndarray:
        return np.frombuffer(self._mm, dtype="<u8", count=1, offset=CLAIM_TABLE)


class RangeClaim:
    """One claimed range of rows; its lock is held until :meth:`finish` or :meth:`release`.

    As a context manager it finishes the range when the block ends normally and releases it
    unfinished when the block raises.
    """

    def __init__(self, queue: "WorkQueue", index: int, rows: range, attempt: int) -> None:
        self._queue = queue
        self.index = index
        self.rows = rows
        self.attempt = attempt
        self._open = True

    @property
    def resumed(self) -> bool:
        """Whether a previous claimer stopped without finishing: some rows may hold values already."""
        return self.attempt > 1

    def finish(self) -> None:
        """Marks the range done and releases it (write every row first)."""
        if not self._open:
            raise ErrorContext(self._queue.draft.path).error("invalidArgument", "the claim was finished or released")
        self._open = False
        self._queue._finish(self.index)

    def release(self) -> None:
        """Gives the range up unfinished; another claimer may take it. Safe to call twice."""
        if self._open:
            self._open = False
            self._queue._release(self.index)

    def __del__(self) -> None:  # a claim dropped unfinished gives its range up, as in Swift
        self.release()

    def __enter__(self) -> "RangeClaim":
        return self

    def __exit__(self, exc_type, _exc, _tb) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.release()

    def __repr__(self) -> str:
        return f"RangeClaim(index={self.index}, rows={self.rows.start}..<{self.rows.stop}, attempt={self.attempt})"


class WorkQueue:
    """Hands out a draft's ranges to one worker, across threads and processes, Python or Swift.

    The queue opens the draft once more, so it owns an open file description: the kernel's
    open-file-description locks (``F_OFD_SETLK``) on it exclude every other queue, and are released
    when its process dies, so a dead worker's unfinished ranges are claimable again. The claim table
    is read and written under the draft's claim lock, exactly as the Swift library does. Use one
    queue per worker.
    """

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self._held: Set[int] = set()
        try:
            self._fd = os.open(draft.path, os.O_RDWR | os.O_CLOEXEC)
        except OSError as error:
            raise ErrorContext(draft.path).error("io", "cannot open the draft for claiming", errno=error.errno) from None
        mine, mapped = os.fstat(self._fd), os.fstat(draft._fd)
        if (mine.st_dev, mine.st_ino) != (mapped.st_dev, mapped.st_ino):
            os.close(self._fd)
            raise ErrorContext(draft.path).error(
                "draftBusy", "the draft's path names another file now (it was sealed or replaced)")
        weakref.finalize(self, os.close, self._fd)

    def claim(self) -> Optional[RangeClaim]:
        """The next range never handed out, else one whose claimer stopped without finishing it;
        None when every range is done or held by a live claimer."""
        draft = self.draft
        entries, next_range = draft._claim_entries(), draft._next_range()
        _lock(self._fd, fcntl.F_WRLCK, CLAIM_LOCK, wait=True)
        try:
            while int(next_range[0]) < draft.range_count:
                index = int(next_range[0])
                next_range[0] = index + 1
                claim = self._take(index, entries, (FREE,))
                if claim is not None:
                    return claim
            for index in range(draft.range_count):
                if entries[index, 0] != DONE:
                    claim = self._take(index, entries, (FREE, CLAIMED))
                    if claim is not None:
                        return claim
            return None
        finally:
            _lock(self._fd, fcntl.F_UNLCK, CLAIM_LOCK, wait=False)

    def _take(self, index: int, entries: np.ndarray, states: Tuple[int, ...]) -> Optional[RangeClaim]:
        if index in self._held or not _lock(self._fd, fcntl.F_WRLCK, RANGE_LOCK_BASE + index, wait=False):
            return None
        state = int(entries[index, 0])
        if state not in states and (state in (FREE, DONE) or CLAIMED not in states):  # unknown reads as claimed
            _lock(self._fd, fcntl.F_UNLCK, RANGE_LOCK_BASE + index, wait=False)
            return None
        attempt = int(entries[index, 1]) + 1
        entries[index, 1] = attempt & 0xFFFFFFFF
        entries[index, 2] = os.getpid()
        entries[index, 0] = CLAIMED
        self._held.add(index)
        return RangeClaim(self, index, self.draft.rows_of_range(index), attempt)

    def _finish(self, index: int) -> None:
        self.draft._claim_entries()[index, 0] = DONE
        self._release(index)

    def _release(self, index: int) -> None:
        self._held.discard(index)
        _lock(self._fd, fcntl.F_UNLCK, RANGE_LOCK_BASE + index, wait=False)


def validate(buf, path: str = "<memory>") -> Tuple[Layout, Dict[str, object], int]:
    """Checks a whole draft's bytes in the order of Specification.md §15.6; returns its
    description, header fields and range count."""
    context = ErrorContext(path)
    if not IS_LITTLE_ENDIAN:
        raise context.error("unsupportedHost", "colfile drafts are little-endian and this host is big-endian")
    size = len(buf)
    if size < HEADER_LENGTH:
        raise context.error("truncated", "file is too short to be a colfile draft",
                            expected=f"at least {HEADER_LENGTH} bytes", found=f"{size} bytes")
    (magic, major, _minor, header_length, state, d_length, file_id, d_offset, rows_per_range, d_crc,
     header_crc) = _HEADER.unpack_from(buf, 0)
    if magic != DRAFT_MAGIC:
        if magic == MAGIC:
            raise context.error("sealedDraft",
                                "the draft was sealed into a colfile file but not published: seal it again to publish it",
                                offset=0)
        raise context.error("badMagic", "not a colfile draft: the first 8 bytes are not the draft magic", offset=0)
    if major != MAJOR_VERSION:
        raise context.error("unsupportedMajorVersion",
                            f"draft layout major version {major} is not supported by this library", offset=8,
                            expected=MAJOR_VERSION, found=major)
    if header_length != HEADER_LENGTH:
        raise context.error("badHeader", "invalid header length", offset=12, expected=HEADER_LENGTH,
                            found=header_length)
    actual = crc32(memoryview(buf)[0:60])
    if header_crc != actual:
        raise context.error("headerChecksumMismatch", "header checksum mismatch", offset=60,
                            expected=hex32(header_crc), found=hex32(actual))
    if state not in STATES:
        raise context.error("badDraftHeader", "unknown draft state", offset=16, expected="1 (open) or 2 (sealing)",
                            found=state)
    if rows_per_range < ROWS_PER_RANGE_MULTIPLE or rows_per_range % ROWS_PER_RANGE_MULTIPLE:
        raise context.error("badDraftHeader",
                            f"rows per range must be a positive multiple of {ROWS_PER_RANGE_MULTIPLE}", offset=48,
                            found=rows_per_range)
    first_possible = CLAIM_TABLE + CLAIM_TABLE_HEADER
    if (d_offset < first_possible or d_offset % BUFFER_ALIGNMENT or d_length < DIRECTORY_HEADER_LENGTH
            or d_length > MAX_DIRECTORY_LENGTH):
        raise context.error(
            "badDirectoryLocation", "the header gives an impossible description location", offset=40,
            expected=f"offset a multiple of 64 from {first_possible} and length 64 to {MAX_DIRECTORY_LENGTH}",
            found=f"offset {d_offset} length {d_length}")
    end = d_offset + d_length
    if end > U64_MAX or end > size:
        raise context.error("truncated", "draft is truncated",
                            expected="an impossible size" if end > U64_MAX else f"at least {end} bytes",
                            found=f"{size} bytes")
    actual = crc32(memoryview(buf)[d_offset:end])
    if actual != d_crc:
        raise context.error("directoryChecksumMismatch", "description checksum mismatch", offset=d_offset,
                            expected=hex32(d_crc), found=hex32(actual))
    layout = Layout.described(buf, path, bytes(file_id), d_offset, d_length, d_crc)
    first_buffer = d_offset
    for column in layout.columns:
        _check_column(layout, column, context.about(column.name))
        for role in (0, 2):
            descriptor = column.record.buffers[role]
            if descriptor.stored_length:
                first_buffer = min(first_buffer, descriptor.offset)
    rows = layout.row_count
    if rows > MAX_ROWS:
        raise context.error("badDraftLayout", f"a draft has at most {MAX_ROWS} rows", offset=d_offset + 8, found=rows)
    ranges = -(-rows // rows_per_range)
    recorded = struct.unpack_from("<Q", buf, CLAIM_TABLE + 8)[0]
    if recorded != ranges:
        raise context.error("badDraftLayout",
                            "the claim table's range count disagrees with the rows and rows per range",
                            offset=CLAIM_TABLE + 8, expected=ranges, found=recorded)
    if first_possible + ranges * ENTRY_LENGTH > first_buffer:
        raise context.error("badDraftLayout", "the claim table overlaps the first buffer or the description",
                            offset=CLAIM_TABLE, expected=f"the table to end by offset {first_buffer}",
                            found=f"{ranges} ranges")
    header = {"state": STATES[state], "file_id": bytes(file_id), "rows_per_range": rows_per_range}
    return layout, header, ranges


def _check_column(layout: Layout, column, context: ErrorContext) -> None:
    record = column.record
    physical = PHYSICAL_TYPES.get(record.physical)
    if physical is None or (physical[1] is None and physical[0] != "Bool"):
        raise context.error("badDraftLayout", "a draft holds only fixed-width and Bool columns",
                            offset=column.record_offset + 8, expected="a physical type from 1 to 12",
                            found=record.physical)
    if record.codec != 0:
        raise context.error("badDraftLayout", "a draft's columns are not compressed", offset=column.record_offset + 14,
                            expected=0, found=record.codec)
    if record.null_count != 0 or record.buffers[0].checksum or record.buffers[2].checksum:
        raise context.error("badDraftLayout", "a draft's null counts and buffer checksums are 0 until it is sealed",
                            offset=column.record_offset + 24)


def open_draft(path) -> Draft:
    """Opens the draft at ``path`` for writing: maps it read-write and shared, takes its seal lock
    shared (so no seal runs while this process may write), and checks it (no column data is read).

    Returns
    -------
    Draft

    Raises
    ------
    ColFileError
        ``io``; ``draftBusy`` while a seal runs; the code of the first failed check of a bad draft
        (``truncated``, ``badMagic``, ``sealedDraft``, ``badDraftHeader``, ``badDraftLayout``, …).
    """
    path = os.fspath(path)
    context = ErrorContext(path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError as error:
        raise context.error("io", "cannot open the draft", errno=error.errno) from None
    try:
        if not _lock(fd, fcntl.F_RDLCK, SEAL_LOCK, wait=False):
            raise context.error("draftBusy", "a seal of the draft is in progress")
        size = os.fstat(fd).st_size
        if size < HEADER_LENGTH:
            raise context.error("truncated", "file is too short to be a colfile draft",
                                expected=f"at least {HEADER_LENGTH} bytes", found=f"{size} bytes")
        mm = mmap.mmap(fd, size, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ | mmap.PROT_WRITE)
        layout, header, ranges = validate(mm, path)
    except OSError as error:
        os.close(fd)
        raise context.error("io", "cannot map the draft", errno=error.errno) from None
    except BaseException:
        os.close(fd)
        raise
    columns = {column.name: (column, index) for index, column in enumerate(layout.columns)}
    return Draft(path, fd, mm, layout, header, columns, ranges)
