"""CRC-32 of Specification.md §2 (zlib's polynomial), computed by the fastest code installed.

zlib's ``crc32`` runs at about 2.5 GB/s on this project's machines; ISA-L's (the ``isal`` package
on PyPI, which the ``fast`` extra installs: ``pip install 'colfile[fast]'``) folds the bytes with
carry-less multiplies at 9 GB/s from memory and about 50 GB/s from cache (BENCHMARKS.md, "CRC-32
in Python"). Every open checks the whole directory (1.7 MB at 10,000 columns) and the writer
checks every buffer it writes, so without it the CRC is most of a wide file's open and a second
core's worth of a large write. Both give the same values and both release the GIL on large
buffers; zlib's is faster on pieces shorter than :data:`FAST_MINIMUM` bytes, so those stay with it.
"""

from __future__ import annotations

import zlib
from typing import Any, Callable, Optional

_fast: Optional[Callable[[Any, int], int]]
try:
    from isal.isal_zlib import crc32 as _fast
except ImportError:  # the ``fast`` extra is not installed: zlib's alone
    _fast = None

#: Which code computes the CRC-32 of buffers of :data:`FAST_MINIMUM` bytes or more: ``"isal"``
#: when the ``isal`` package is installed, else ``"zlib"``.
IMPLEMENTATION = "zlib" if _fast is None else "isal"

#: The fewest bytes handed to ISA-L's CRC-32: below about 256 bytes zlib's call costs less (zlib
#: against ISA-L: 0.29 and 0.39 µs for 64 bytes, 0.37 and 0.39 µs for 256, 0.83 and 0.41 µs for 1 KiB).
FAST_MINIMUM = 256


def crc32(data: Any, value: int = 0) -> int:
    """The CRC-32 of the bytes of ``data`` (any C-contiguous buffer), continuing from ``value``
    (the CRC-32 of the bytes before them), as :func:`zlib.crc32` computes it. (``len`` of a buffer
    of wider items counts items, not bytes: it only picks the faster code, never the value.)"""
    if _fast is not None and len(data) >= FAST_MINIMUM:
        return _fast(data, value)
    return zlib.crc32(data, value)
