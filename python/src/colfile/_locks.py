"""Open-file-description locks on a draft (Specification.md §15.4): ``fcntl`` with ``F_OFD_SETLK``
and ``F_OFD_SETLKW`` on single bytes far past any file's end, released by the kernel when the open
file description closes (so when its process dies)."""

from __future__ import annotations

import errno as _errno
import fcntl
import os
import struct
import time
from typing import Callable

__all__ = ["lock", "lock_within", "retry_within", "is_locked", "SEAL_LOCK", "CLAIM_LOCK", "RANGE_LOCK_BASE", "GRACE_SECONDS"]

# §15.4 locks: bytes far past any file's end.
LOCK_BASE = 1 << 62
SEAL_LOCK = LOCK_BASE
CLAIM_LOCK = LOCK_BASE + 1
RANGE_LOCK_BASE = LOCK_BASE + 4096

# Python has the F_OFD_* constants on Linux since 3.9; the fallbacks are Linux's values.
F_OFD_GETLK = getattr(fcntl, "F_OFD_GETLK", 36)
F_OFD_SETLK = getattr(fcntl, "F_OFD_SETLK", 37)
F_OFD_SETLKW = getattr(fcntl, "F_OFD_SETLKW", 38)
# struct flock on Linux (x86_64, aarch64): short type, short whence, off_t start, off_t len, pid_t pid;
# l_pid must be 0 for OFD locks.
_FLOCK = struct.Struct("hhxxxxqqixxxx")


def lock(fd: int, kind: int, start: int, *, wait: bool) -> bool:
    """``fcntl(fd, F_OFD_SETLK[W], …)`` on the byte ``start``: True when taken (or released)."""
    try:
        fcntl.fcntl(fd, F_OFD_SETLKW if wait else F_OFD_SETLK, _FLOCK.pack(kind, os.SEEK_SET, start, 1, 0))
        return True
    except OSError as error:
        if not wait and error.errno in (_errno.EAGAIN, _errno.EACCES):
            return False
        raise


# How long an open of a draft retries a refused seal lock (§15.4): a child forked by another thread
# holds a copy of a finished seal's descriptor, and its lock, until it execs.
GRACE_SECONDS = 0.5


def retry_within(attempt: Callable[[], bool], seconds: float, first_pause: float, longest_pause: float) -> bool:
    """Calls ``attempt`` (one try at a lock that does not wait) until it returns True or ``seconds``
    have passed (False; the last attempt is made at the limit), pausing ``first_pause`` at first and
    doubling up to ``longest_pause``. A child forked by another thread holds a copy of every
    close-on-exec descriptor, and the locks of their open descriptions, until it execs: a lock just
    released can look held for that moment. The dataset lock (§14.6) and the seal lock (§15.4) use
    it, as the Swift library's ``LockRetry`` does."""
    deadline = time.monotonic() + seconds
    pause = first_pause
    while not attempt():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(pause, left))
        pause = min(pause * 2, longest_pause)
    return True


def lock_within(fd: int, kind: int, start: int, seconds: float) -> bool:
    """``lock`` without waiting, tried again until taken (True) or ``seconds`` have passed (False),
    pausing 5 ms at first and doubling up to 200 ms."""
    return retry_within(lambda: lock(fd, kind, start, wait=False), seconds, 0.005, 0.2)


def is_locked(fd: int, start: int) -> bool:
    """``fcntl(fd, F_OFD_GETLK, …)``: whether another open file description holds a lock that an
    exclusive lock on the byte ``start`` would conflict with (a live claimer, for a range lock)."""
    result = fcntl.fcntl(fd, F_OFD_GETLK, _FLOCK.pack(fcntl.F_WRLCK, os.SEEK_SET, start, 1, 0))
    return _FLOCK.unpack(result)[0] != fcntl.F_UNLCK
