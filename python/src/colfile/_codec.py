"""The chunks of cold columns (Specification.md §13), zlib (codec 1) or zstd (codec 2): decoding with
the checks of §13.3, and encoding."""

from __future__ import annotations

import os
import re
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, List, Optional, Sequence, Tuple

from . import _crc, _zstd
from ._errors import ColFileError, ErrorContext, hex32
from ._format import (CHUNK_ENTRY_LENGTH, CHUNK_HEADER_LENGTH, CODEC_ZLIB, CODEC_ZSTD, ChunkIndex, crc32,
                      encode_chunk_index)

Z_BUF_ERROR = -5
Z_DATA_ERROR = -3
_STATUS = re.compile(r"Error (-?\d+)")


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


CORES = _cores()

#: zlib releases the GIL while it inflates and deflates, and ctypes around every zstd call, so chunks
#: decode and encode on threads.
_pool: Optional[ThreadPoolExecutor] = None
_pool_pid = 0


def pool() -> ThreadPoolExecutor:
    """The process's thread pool for decoding and encoding chunks (made anew after a fork)."""
    global _pool, _pool_pid
    if _pool is None or _pool_pid != os.getpid():
        _pool = ThreadPoolExecutor(max_workers=CORES, thread_name_prefix="colfile-codec")
        _pool_pid = os.getpid()
    return _pool


def inflate_exactly(source, length: int) -> Tuple[Optional[bytes], Optional[Tuple[str, object]]]:
    """Decodes the zlib stream ``source`` into exactly ``length`` bytes, as zlib's ``uncompress2``.

    Returns ``(bytes, None)``, or ``(None, (kind, detail))`` with kind ``corrupt`` (detail: the zlib
    status), ``tooLong``, ``tooShort`` (detail: bytes decoded) or ``strayBytes`` (detail: count).
    Never allocates more than ``length`` bytes of output.
    """
    inflater = zlib.decompressobj()
    try:
        output = inflater.decompress(source, length)
    except zlib.error as error:
        match = _STATUS.search(str(error))
        status = int(match.group(1)) if match else Z_DATA_ERROR
        # uncompress2 reports a stream that needs a dictionary (2) as a data error.
        return None, ("corrupt", Z_DATA_ERROR if status == 2 else status)
    if inflater.eof:
        if len(output) != length:
            return None, ("tooShort", len(output))
        stray = len(inflater.unused_data)
        if stray:
            return None, ("strayBytes", stray)
        return output, None
    if len(output) < length:
        # Every input byte consumed, room left, no stream end: a truncated stream.
        return None, ("corrupt", Z_DATA_ERROR)
    if inflater.unconsumed_tail:
        return None, ("tooLong", None)
    # The room is full and every input byte consumed, but the stream did not end (a missing trailer).
    return None, ("corrupt", Z_BUF_ERROR)


class ChunkDecoder:
    """Decodes the chunks of one compressed buffer, after checking every entry of its chunk index.

    Parameters
    ----------
    buf : buffer
        The whole file.
    index : ChunkIndex
        The buffer's chunk index (its header checked at open).
    codec : int
        The column's codec: 1 (zlib) or 2 (zstd).
    context : ErrorContext
        The file and column, for errors.
    checks_checksums : bool
        Whether each decoded chunk's CRC-32 is checked against the index (§13.3).

    Raises
    ------
    ColFileError
        The errors of the chunk index's entries (§13.3), then ``codecUnavailable`` when the codec
        cannot be decoded in this process (zstd without ``libzstd.so.1``), as the Swift library's
        ``ChunkDecoder``.
    """

    def __init__(self, buf, index: ChunkIndex, codec: int, context: ErrorContext, checks_checksums: bool) -> None:
        self.buf = buf
        self.index = index
        self.context = context
        self.checks_checksums = checks_checksums
        self.entries = index.validate_entries(buf, context)
        if codec == CODEC_ZSTD:
            reason = _zstd.unavailability()
            if reason is not None:
                raise context.error("codecUnavailable", f"the zstd codec is not available: {reason}")
        self.codec = codec

    def decode_chunk(self, chunk: int) -> bytes:
        """The decoded bytes of chunk ``chunk``."""
        decoded_length = self.entries[chunk][2]
        if self.codec == CODEC_ZLIB:
            return self._decode(chunk, None)
        output = bytearray(decoded_length)
        self._decode(chunk, output)
        return bytes(output)

    def decode_chunk_into(self, chunk: int, destination) -> None:
        """Decodes chunk ``chunk`` into ``destination``, writable and exactly its decoded length."""
        if self.codec == CODEC_ZLIB:
            destination[:] = self._decode(chunk, None)
        else:
            self._decode(chunk, destination)

    def _decode(self, chunk: int, destination) -> bytes:
        """Decodes chunk ``chunk``: zlib returns its bytes, zstd writes them into ``destination``."""
        compressed_offset, compressed_length, decoded_length, checksum = self.entries[chunk]
        start = self.index.file_offset + compressed_offset
        with memoryview(self.buf) as view:
            source = view[start:start + compressed_length]
            try:
                if self.codec == CODEC_ZLIB:
                    output, failure = inflate_exactly(source, decoded_length)
                    if failure is not None and failure[0] == "corrupt":
                        failure = ("corrupt", f"zlib status {failure[1]}")
                else:
                    failure = _zstd.decode_into(source, destination)
                    output = destination
            finally:
                source.release()
        context = self.context
        if failure is not None:
            kind, detail = failure
            if kind == "corrupt":
                raise context.error("corruptChunk", "the compressed stream is truncated or corrupt", chunk=chunk,
                                    offset=start, found=detail)
            if kind == "tooLong":
                raise context.error("chunkLengthMismatch", "the chunk decodes to more bytes than its index says",
                                    chunk=chunk, offset=start, expected=decoded_length, found="more")
            if kind == "strayBytes":
                raise context.error(
                    "corruptChunk", "the compressed stream ends before the chunk's bytes do", chunk=chunk,
                    offset=start, expected=compressed_length,
                    found=f"{compressed_length - detail} bytes of stream and {detail} stray")
            raise context.error("chunkLengthMismatch", "the chunk decodes to fewer bytes than its index says",
                                chunk=chunk, offset=start, expected=decoded_length, found=detail)
        if self.checks_checksums:
            actual = crc32(output)
            if actual != checksum:
                raise context.error("chunkChecksumMismatch", "decoded chunk checksum mismatch", chunk=chunk,
                                    offset=start, expected=hex32(checksum), found=hex32(actual))
        return output

    def decode_into(self, chunks: range, destination: memoryview, threads: int) -> None:
        """Decodes ``chunks`` into ``destination`` (their decoded bytes back to back), on threads.

        The error of the lowest-numbered failing chunk is raised, so errors do not depend on timing.
        """
        first_start = chunks.start * self.index.chunk_size
        size = self.index.chunk_size

        def one(chunk: int) -> Optional[ColFileError]:
            start = chunk * size - first_start
            length = self.entries[chunk][2]
            try:
                with destination[start:start + length] as target:
                    self.decode_chunk_into(chunk, target)
            except ColFileError as error:
                return error
            return None

        if threads <= 1 or len(chunks) <= 1:
            failures = [one(chunk) for chunk in chunks]
        else:
            failures = list(pool().map(one, chunks))
        for failure in failures:
            if failure is not None:
                raise failure


class Settings:
    """How the writer stores one column's buffers: the codec, its level and the chunk size (the
    Swift writer's ``Compression.Settings``)."""

    __slots__ = ("codec", "level", "chunk_size")

    def __init__(self, codec: int, level: int, chunk_size: int) -> None:
        self.codec = codec
        self.level = level
        self.chunk_size = chunk_size

    def compress(self, data) -> bytes:
        """One chunk of ``data`` compressed with these settings: a zlib stream or a zstd frame."""
        if self.codec == CODEC_ZLIB:
            return zlib.compress(data, self.level)
        return _zstd.compress(data, self.level)

    def ratio(self, sample) -> Optional[float]:
        """The compressed size of ``sample`` (as one chunk) over its size; None for no sample."""
        if not len(sample):
            return None
        return len(self.compress(sample)) / len(sample)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and (self.codec, self.level, self.chunk_size) == (
            other.codec, other.level, other.chunk_size)

    def __repr__(self) -> str:
        return f"Settings(codec={self.codec}, level={self.level}, chunk_size={self.chunk_size})"


def compress_chunks(data: memoryview, settings: Settings, threads: int) -> List[Tuple[int, int, bytes]]:
    """(decoded length, CRC-32, compressed bytes) of each chunk-sized piece of ``data``."""
    chunk_size = settings.chunk_size
    pieces = [data[start:start + chunk_size] for start in range(0, len(data), chunk_size)]

    def one(piece) -> Tuple[int, int, bytes]:
        return len(piece), crc32(piece), settings.compress(piece)

    if threads <= 1 or len(pieces) <= 1:
        return [one(piece) for piece in pieces]
    return list(pool().map(one, pieces))


def encode_buffer(length: int, read: Callable[[int, int], memoryview], append: Callable[[bytes], None],
                  position: Callable[[], int], overwrite: Callable[[bytes, int], None], settings: Settings,
                  threads: int, staging: int = 4 << 20) -> Tuple[int, int, int]:
    """Writes the chunked form (§13.2) of a ``length``-byte buffer whose bytes ``read(offset, n)`` gives.

    Returns (stored offset, stored length, CRC-32 of the decoded bytes). Memory stays bounded by one
    batch of chunks, as the reference writer's ``ChunkedBufferEncoder``.
    """
    chunk_size = settings.chunk_size
    chunk_count = -(-length // chunk_size)
    start = position()
    append(bytes(CHUNK_HEADER_LENGTH + chunk_count * CHUNK_ENTRY_LENGTH))
    entries = []
    decoded_checksum = 0
    batch = max(threads * 4, staging // chunk_size)
    first = 0
    while first < chunk_count:
        last = min(chunk_count, first + batch)
        batch_start = first * chunk_size
        batch_length = min(length, last * chunk_size) - batch_start
        raw = read(batch_start, batch_length)
        decoded_checksum = _crc.crc32(raw, decoded_checksum)
        for decoded_length, checksum, stream in compress_chunks(raw, settings, threads):
            entries.append((position() - start, len(stream), decoded_length, checksum))
            append(stream)
        first = last
    stored_length = position() - start
    overwrite(encode_chunk_index(chunk_size, entries), start)
    return start, stored_length, decoded_checksum & 0xFFFFFFFF


__all__: Sequence[str] = ()
