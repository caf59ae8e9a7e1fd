"""The bytes of a draft (Specification.md §15): header and claim table constants, and the checks
an opener makes, in the Swift library's order with its codes and messages. Pure: no system calls,
so tests can feed it bytes from memory."""

from __future__ import annotations

import struct
from typing import Dict, Tuple

from ._errors import ErrorContext, hex32
from ._format import (BUFFER_ALIGNMENT, DIRECTORY_HEADER_LENGTH, DRAFT_MAGIC, IS_LITTLE_ENDIAN, MAGIC,
                      MAX_DIRECTORY_LENGTH, PHYSICAL_TYPES, U64_MAX, Layout, check_header_length_and_checksum,
                      crc32)

__all__ = ["validate"]

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
    check_header_length_and_checksum(context, buf, header_length, header_crc)
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
