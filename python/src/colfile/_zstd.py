"""zstd (Specification.md §13, codec 2) through ctypes on the system's ``libzstd.so.1``.

The library is loaded at run time, once per process, as the Swift library's ``Sources/CColFile/zstd.c``
loads it: ``$COLFILE_ZSTD_LIBRARY`` (a path, or a name ``dlopen`` searches) when set and not empty,
else ``libzstd.so.1``. Nothing is compiled and nothing is installed: a process without the library
fails only on zstd columns (``codecUnavailable``), and the writer's ``auto`` falls back to zlib.

Frames are made exactly as the Swift writer makes them (``ZSTD_compress2`` after
``ZSTD_CCtx_reset(ctx, ZSTD_reset_session_and_parameters)``, with the compression level, the content
size flag and the checksum flag set), so the same library writes the same bytes from both languages.
ctypes releases the GIL for every call, so chunks compress and decode on threads; each thread keeps
one compression and one decompression context.
"""

from __future__ import annotations

import ctypes
import os
import threading
from typing import Any, Optional, Tuple

import numpy as np

__all__ = ["unavailability", "version", "compress", "decode_into", "LEVELS", "DEFAULT_LEVEL"]

#: zstd's levels the writer accepts: 1 (fastest) to 22, and negative levels for faster, larger
#: output; 0 is refused (it means "the library's default" to zstd, not a level).
LEVELS = range(-7, 23)
#: The reference writer's default level (BENCHMARKS.md, "Cold columns").
DEFAULT_LEVEL = 3

# zstd.h's stable parameter numbers (as in Sources/CColFile/zstd.c).
_RESET_SESSION_AND_PARAMETERS = 3
_COMPRESSION_LEVEL = 100
_CONTENT_SIZE_FLAG = 200
_CHECKSUM_FLAG = 201
# ZSTD_getFrameContentSize: 2^64 - 1 (unknown) and 2^64 - 2 (error).
_CONTENT_SIZE_UNKNOWN_OR_ERROR = (1 << 64) - 2

_size_t = ctypes.c_size_t
_void_p = ctypes.c_void_p

#: (name in libzstd, result type, argument types)
_FUNCTIONS = (
    ("ZSTD_compress2", _size_t, (_void_p, _void_p, _size_t, _void_p, _size_t)),
    ("ZSTD_CCtx_setParameter", _size_t, (_void_p, ctypes.c_int, ctypes.c_int)),
    ("ZSTD_CCtx_reset", _size_t, (_void_p, ctypes.c_int)),
    ("ZSTD_decompressDCtx", _size_t, (_void_p, _void_p, _size_t, _void_p, _size_t)),
    ("ZSTD_createCCtx", _void_p, ()),
    ("ZSTD_freeCCtx", _size_t, (_void_p,)),
    ("ZSTD_createDCtx", _void_p, ()),
    ("ZSTD_freeDCtx", _size_t, (_void_p,)),
    ("ZSTD_compressBound", _size_t, (_size_t,)),
    ("ZSTD_isError", ctypes.c_uint, (_size_t,)),
    ("ZSTD_getErrorName", ctypes.c_char_p, (_size_t,)),
    ("ZSTD_getFrameContentSize", ctypes.c_ulonglong, (_void_p, _size_t)),
    ("ZSTD_findFrameCompressedSize", _size_t, (_void_p, _size_t)),
    ("ZSTD_versionNumber", ctypes.c_uint, ()),
)


class _Library:
    """The loaded functions of libzstd (attributes named as in zstd.h, without ``ZSTD_``)."""

    def __init__(self, library: ctypes.CDLL, name: str) -> None:
        for symbol, result, arguments in _FUNCTIONS:
            try:
                function = getattr(library, symbol)
            except AttributeError:
                raise LookupError(f"{name} has no {symbol}") from None
            function.restype = result
            function.argtypes = arguments
            setattr(self, symbol[len("ZSTD_"):], function)


_load_lock = threading.Lock()
_loaded: Optional[Tuple[Optional[_Library], Optional[str]]] = None


def _load() -> Tuple[Optional[_Library], Optional[str]]:
    """(the library, None) or (None, why not): loaded once per process."""
    global _loaded
    if _loaded is not None:
        return _loaded
    with _load_lock:
        if _loaded is None:
            name = os.environ.get("COLFILE_ZSTD_LIBRARY") or "libzstd.so.1"
            try:
                # ctypes' message is dlerror()'s text, as the C loader reports it.
                library = ctypes.CDLL(name, mode=os.RTLD_NOW | os.RTLD_LOCAL)
            except OSError as error:
                _loaded = (None, _as_c_loader_says(str(error) or "libzstd.so.1 not found"))
            else:
                try:
                    _loaded = (_Library(library, name), None)
                except LookupError as error:
                    _loaded = (None, _as_c_loader_says(str(error)))
    return _loaded


def _as_c_loader_says(reason: str) -> str:
    """``reason`` as the Swift library's loader keeps it: in a 256-byte C buffer (so at most 255
    bytes), read back as UTF-8 with replacement characters for a sequence cut at the end."""
    return reason.encode("utf-8", "surrogateescape")[:255].decode("utf-8", "replace")


def unavailability() -> Optional[str]:
    """Why zstd cannot be used in this process, or None when it can."""
    return _load()[1]


def version() -> Optional[str]:
    """The library's version, e.g. ``"1.5.4"``, or None when it is not available."""
    library = _load()[0]
    if library is None:
        return None
    number = library.versionNumber()
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def _library() -> _Library:
    library, reason = _load()
    if library is None:
        raise RuntimeError(f"the zstd codec is not available: {reason}")
    return library


class _Context:
    """One zstd context owned by one thread, freed with it."""

    __slots__ = ("pointer", "free")

    def __init__(self, create, free) -> None:
        self.pointer = create()
        self.free = free
        if not self.pointer:
            raise MemoryError("zstd could not allocate a context")

    def __del__(self) -> None:
        if self.pointer:
            self.free(self.pointer)
            self.pointer = None


_contexts = threading.local()


def _context(kind: str) -> int:
    """The calling thread's compression (``"c"``) or decompression (``"d"``) context: a context holds
    100 KB to 1 MB of tables, too much to make per chunk."""
    context = getattr(_contexts, kind, None)
    if context is None:
        library = _library()
        if kind == "c":
            context = _Context(library.createCCtx, library.freeCCtx)
        else:
            context = _Context(library.createDCtx, library.freeDCtx)
        setattr(_contexts, kind, context)
    return context.pointer


def _error_name(library: _Library, result: int) -> str:
    return library.getErrorName(result).decode("utf-8", "replace")


def _address(buffer: Any) -> Tuple[np.ndarray, int]:
    """A NumPy view of ``buffer`` (kept alive by the caller during the call) and its address: works for
    read-only buffers (mappings, bytes) without copying them."""
    array = np.frombuffer(buffer, np.uint8)
    return array, array.ctypes.data if len(array) else 0


def compress(source: Any, level: int) -> bytes:
    """One zstd frame (RFC 8878) of ``source`` at ``level`` that records its content size and ends
    with zstd's content checksum, as the Swift writer's ``Zstd.compress``."""
    library = _library()
    context = _context("c")
    source_array, source_address = _address(source)
    length = len(source_array)
    bound = library.compressBound(length)
    destination = bytearray(bound)
    destination_array, destination_address = _address(destination)
    result = library.CCtx_reset(context, _RESET_SESSION_AND_PARAMETERS)
    for parameter, value in ((_COMPRESSION_LEVEL, level), (_CONTENT_SIZE_FLAG, 1), (_CHECKSUM_FLAG, 1)):
        if library.isError(result):
            break
        result = library.CCtx_setParameter(context, parameter, value)
    if not library.isError(result):
        result = library.compress2(context, destination_address, bound, source_address, length)
    del source_array, destination_array
    if library.isError(result):
        raise RuntimeError(f"zstd compression failed despite compressBound room: {_error_name(library, result)}")
    del destination[result:]
    return bytes(destination)


def decode_into(source: Any, destination: Any) -> Optional[Tuple[str, object]]:
    """Decodes the one zstd frame ``source`` must be into exactly all of the writable ``destination``,
    never writing outside it, as the Swift library's ``Zstd.decode``.

    Returns None, or ``(kind, detail)`` with kind ``corrupt`` (detail: the reason), ``tooLong``,
    ``tooShort`` (detail: the bytes the frame holds) or ``strayBytes`` (detail: count).
    """
    library = _library()
    source_array, source_address = _address(source)
    destination_array, destination_address = _address(destination)
    count, room = len(source_array), len(destination_array)
    frame_length = library.findFrameCompressedSize(source_address, count)
    if library.isError(frame_length):
        return "corrupt", f"zstd error '{_error_name(library, frame_length)}'"
    # A chunk is exactly one frame (§13.2): nothing may follow it.
    if frame_length != count:
        return "strayBytes", count - frame_length
    content_size = library.getFrameContentSize(source_address, count)
    if content_size >= _CONTENT_SIZE_UNKNOWN_OR_ERROR:
        return "corrupt", "a zstd frame without its content size"
    if content_size > room:
        return "tooLong", None
    if content_size != room:
        return "tooShort", content_size
    decoded = library.decompressDCtx(_context("d"), destination_address, room, source_address, count)
    del source_array, destination_array
    if library.isError(decoded):
        return "corrupt", f"zstd error '{_error_name(library, decoded)}'"
    if decoded != room:
        return "tooShort", decoded
    return None
