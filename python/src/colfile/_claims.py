"""Claiming a draft's ranges of rows (Specification.md §15.3, §15.4): the Swift library's work
queue, on the same claim table and locks, so Python and Swift workers share one draft."""

from __future__ import annotations

import fcntl
import os
import weakref
from typing import TYPE_CHECKING, Optional, Set, Tuple

import numpy as np

from ._errors import ErrorContext
from ._locks import CLAIM_LOCK, RANGE_LOCK_BASE, lock
from ._draft_layout import CLAIMED, DONE, FREE

if TYPE_CHECKING:
    from ._draft import Draft

__all__ = ["WorkQueue", "RangeClaim"]


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
    queue per worker, made in that worker: a queue inherited through ``fork`` shares its open file
    description, and so its locks, with the parent's, and the two would not exclude each other.
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
        lock(self._fd, fcntl.F_WRLCK, CLAIM_LOCK, wait=True)
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
            lock(self._fd, fcntl.F_UNLCK, CLAIM_LOCK, wait=False)

    def _take(self, index: int, entries: np.ndarray, states: Tuple[int, ...]) -> Optional[RangeClaim]:
        if index in self._held or not lock(self._fd, fcntl.F_WRLCK, RANGE_LOCK_BASE + index, wait=False):
            return None
        state = int(entries[index, 0])
        if state not in states and (state in (FREE, DONE) or CLAIMED not in states):  # unknown reads as claimed
            lock(self._fd, fcntl.F_UNLCK, RANGE_LOCK_BASE + index, wait=False)
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
        lock(self._fd, fcntl.F_UNLCK, RANGE_LOCK_BASE + index, wait=False)
