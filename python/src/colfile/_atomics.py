"""Atomic operations on a draft's mapping through libatomic (Specification.md §15.4): counters in
Int32/Int64/UInt32/UInt64 columns and the bytes of validity bitmaps."""

from __future__ import annotations

import ctypes
from typing import Optional, Tuple

import numpy as np

__all__ = ["AtomicColumn", "ATOMIC_TYPES", "atomic_update_byte"]

ATOMIC_TYPES = {"Int32": 4, "UInt32": 4, "Int64": 8, "UInt64": 8}
_SEQ_CST = 5


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
    On a column that starts null, every store, add and successful exchange also marks the row valid
    (atomically), as in Swift.
    """

    def __init__(self, name: str, values: np.ndarray, validity: Optional[np.ndarray] = None) -> None:
        self.name = name
        self._values = values
        self._validity = validity  # kept alive with its address
        self._validity_address = None if validity is None else validity.ctypes.data
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
        """Writes ``value`` to ``row`` atomically (and marks the row valid)."""
        self._store(self._pointer(row), value & self._mask, _SEQ_CST)
        self._mark_valid(row)

    def load_then_add(self, value: int, row: int) -> int:
        """Adds ``value`` to ``row`` atomically (wrapping; marks the row valid); returns the value before."""
        before = self._signed_value(self._add(self._pointer(row), value & self._mask, _SEQ_CST))
        self._mark_valid(row)
        return before

    def compare_exchange(self, expected: int, desired: int, row: int) -> Tuple[bool, int]:
        """Writes ``desired`` to ``row`` if it holds ``expected``; returns (exchanged, value before)."""
        c_type = ctypes.c_uint32 if self._width == 4 else ctypes.c_uint64
        original = c_type(expected & self._mask)
        exchanged = bool(self._cas(self._pointer(row), ctypes.byref(original), desired & self._mask, _SEQ_CST,
                                   _SEQ_CST))
        if exchanged:
            self._mark_valid(row)
        return exchanged, self._signed_value(original.value)

    def _mark_valid(self, row: int) -> None:
        if self._validity_address is not None:
            atomic_update_byte(self._validity_address + row // 8, 1 << (row % 8), True)


def atomic_update_byte(address: int, mask: int, set_bits: bool) -> None:
    """ORs ``mask`` into the byte at ``address`` (or clears its bits), atomically."""
    lib = _Atomics.lib()
    if set_bits:
        getattr(lib, "__atomic_fetch_or_1")(address, mask, _SEQ_CST)
    else:
        getattr(lib, "__atomic_fetch_and_1")(address, ~mask & 0xFF, _SEQ_CST)
