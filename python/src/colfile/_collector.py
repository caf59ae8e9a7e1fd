"""Python's cyclic garbage collector paused while a bulk call makes many long-lived objects.

Describing, converting or writing a wide table makes tens of objects a column (records, column
descriptions, arrays, Arrow fields), and most of them live as long as the reader. Each 700 new
objects start a collection of the youngest generation, and as the survivors grow the collector
walks every object of the process again, pandas' and pyarrow's included: 30–45 % of the time of
``columns``, ``to_arrow`` and ``to_pandas`` of a 10,000-column file and 20 % of ``write`` of one
(BENCHMARKS.md, "Session 23"). These calls make no reference cycles of their own, and reference
counting frees their acyclic garbage as before; a cycle made meanwhile by another thread waits for
the collector to resume.
"""

from __future__ import annotations

import gc
import os
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0  # calls inside a pause, across threads
_resume = False  # whether the collector was enabled when the outermost pause began


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses the cyclic garbage collector for the ``with`` block, unless it is already off.

    Pauses nest, in one thread or several: the collector resumes when the last one ends, and only
    if it was enabled when the first began (a caller who turned it off keeps it off).
    """
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            if _resume:
                gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            if _depth > 0:  # (0 in a child forked during the pause: reset there)
                _depth -= 1
                if _depth == 0 and _resume:
                    gc.enable()


def _reset_in_child() -> None:
    """In a child forked while another thread's call paused the collector: that thread is not in the
    child to resume it, so the child resumes it now (and takes a new lock, the old one may be held)."""
    global _lock, _depth, _resume
    _lock = threading.Lock()
    if _depth > 0 and _resume:
        gc.enable()
    _depth = 0
    _resume = False


os.register_at_fork(after_in_child=_reset_in_child)
