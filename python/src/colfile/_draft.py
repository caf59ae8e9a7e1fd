"""Drafts (Specification.md §15): open a draft by path, write its rows in place through writable
NumPy views, and claim ranges of rows with the very locks the Swift library takes, so Python and
Swift workers fill one draft together. A draft is created and sealed by the Swift library or tool
(``colfile draft create`` / ``colfile draft seal``): the seal's crash-safe procedure has one
implementation.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import weakref
from typing import Dict, List, Optional, Tuple

import numpy as np

from ._atomics import ATOMIC_TYPES, AtomicColumn, atomic_update_byte
from ._claims import RangeClaim, WorkQueue
from ._draft_layout import CLAIM_TABLE, CLAIM_TABLE_HEADER, DONE, FREE, HEADER_LENGTH, validate
from ._errors import ColFileError, ErrorContext
from ._format import PHYSICAL_TYPES, ColumnLayout, Layout
from ._locks import GRACE_SECONDS, RANGE_LOCK_BASE, SEAL_LOCK, is_locked, lock_within

__all__ = ["Draft", "WorkQueue", "RangeClaim", "AtomicColumn", "open_draft"]


class Draft:
    """A draft opened for writing: a read-write ``MAP_SHARED`` mapping and the shared seal lock.

    Open with :func:`open_draft`. While the mapping lives (this object or any view of it), the
    draft's seal lock is held shared, so no seal runs while Python may still write; it is released
    when the last view goes away (or at :meth:`close`, which refuses while views exist).
    """

    def __init__(self, path: str, fd: int, mm: mmap.mmap, layout: Layout, header: Dict[str, object],
                 columns: Dict[str, Tuple[ColumnLayout, int]], range_count: int) -> None:
        self.path = path
        self._mm = mm
        self._layout = layout
        self._header = header
        self._columns = columns
        self.range_count = range_count  #: the number of claimable ranges, K = ⌈R / S⌉
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
        if column.type_name not in ATOMIC_TYPES or column.shape:
            raise ErrorContext(self.path, name).error(
                "typeMismatch", "atomic operations need an Int32, Int64, UInt32 or UInt64 column",
                expected="Int32, Int64, UInt32 or UInt64", found=column.type_name + (str(list(column.shape))
                                                                                     if column.shape else ""))
        return AtomicColumn(name, self.values(name), self.validity(name))

    def work_queue(self) -> "WorkQueue":
        """A queue of this draft's ranges for one worker (its own open file description)."""
        return WorkQueue(self)

    def progress(self) -> Dict[str, int]:
        """How far the ranges are, as the Swift library's ``progress()`` says: ``free`` (never
        claimed), ``working`` (held by a live claimer, asked of the kernel with ``F_OFD_GETLK``),
        ``abandoned`` (claimed, unfinished, no live claimer: the next claims take them), ``done``,
        ``resumed`` (claimed more than once) and ``total``."""
        entries = self._claim_entries()
        progress = {"free": 0, "working": 0, "abandoned": 0, "done": 0, "resumed": 0, "total": self.range_count}
        for index in range(self.range_count):
            state, attempts = int(entries[index, 0]), int(entries[index, 1])
            progress["resumed"] += attempts > 1
            if state == FREE:
                progress["free"] += 1
            elif state == DONE:
                progress["done"] += 1
            elif is_locked(self._fd, RANGE_LOCK_BASE + index):  # claimed, or an unknown word: its lock says
                progress["working"] += 1
            else:
                progress["abandoned"] += 1
        return progress

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
        for low, high in edges:
            if low >= high:
                continue
            mask = 0
            for row in range(low, high):
                mask |= 1 << (row % 8)
            atomic_update_byte(bitmap.ctypes.data + low // 8, mask, valid)

    def _claim_entries(self) -> np.ndarray:
        return np.frombuffer(self._mm, dtype="<u4", count=self.range_count * 4,
                             offset=CLAIM_TABLE + CLAIM_TABLE_HEADER).reshape(self.range_count, 4)

    def _next_range(self) -> np.ndarray:
        return np.frombuffer(self._mm, dtype="<u8", count=1, offset=CLAIM_TABLE)


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
        if not lock_within(fd, fcntl.F_RDLCK, SEAL_LOCK, GRACE_SECONDS):
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
