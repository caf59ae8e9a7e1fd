"""Pure parsing and checking of a colfile file's bytes (Specification.md §3–§9, §13.2).

Nothing here makes a system call: :class:`Layout` takes any buffer holding a whole file (a
mapping, or bytes in memory for tests) and checks it in the order of §9, raising the same
:class:`~colfile.ColFileError` (code and text) as the Swift reference reader.
"""

from __future__ import annotations

import copy
import re
import struct
import sys
import threading
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from . import _crc
from ._errors import ColFileError, ErrorContext, hex32

# §3, §4, §5: fixed numbers of the format.
MAGIC = b"\x89COL\r\n\x1a\n"
DRAFT_MAGIC = b"\x89COD\r\n\x1a\n"  # Specification.md §15.2: a draft is not a published file
END_MAGIC = b"COLFEND\n"
DIRECTORY_MAGIC = b"CDIR"
CHUNK_MAGIC = b"CHNK"
MAJOR_VERSION = 1
MINOR_VERSION = 0  # §3: files without the features of later minor versions
HEADER_LENGTH = 64
TRAILER_LENGTH = 32
DIRECTORY_HEADER_LENGTH = 64
COLUMN_RECORD_LENGTH = 160
DICTIONARY_RECORD_LENGTH = 232  # §5.1, §6.4: RL in files with a dictionary-encoded column
BUFFER_DESCRIPTOR_LENGTH = 32
KNOWN_REQUIRED_FLAGS = 0
FLAG_HAS_VALIDITY = 1
CODEC_NONE = 0
CODEC_ZLIB = 1  # §13, format 1.1
CODEC_ZSTD = 2  # §13, format 1.2
#: §5.2, §3: codec code → (name, the first minor version that has it).
CODECS: Dict[int, Tuple[str, int]] = {CODEC_NONE: ("none", 0), CODEC_ZLIB: ("zlib", 1), CODEC_ZSTD: ("zstd", 2)}
BUFFER_ALIGNMENT = 64  # §7
LARGE_BUFFER_ALIGNMENT = 4096  # §7: the writer aligns buffers of 1 MiB and more to a page
LARGE_BUFFER_THRESHOLD = 1 << 20
CHUNK_HEADER_LENGTH = 16  # §13.2
CHUNK_ENTRY_LENGTH = 24
MIN_CHUNK_SIZE = 4096
MAX_CHUNK_SIZE = 64 << 20
MAX_EXPANSION = 65_536  # §8: a chunk decodes to at most this many times its compressed length

# §8: limits every reader enforces.
MAX_COLUMNS = 1_000_000
MAX_ROWS = (1 << 53) - 1  # exact in every language's numbers, doubles included
MAX_DIRECTORY_LENGTH = 1 << 30
MAX_NAME_LENGTH = 1024
MAX_RANK = 8
MAX_TENSOR_ROW_BYTES = (1 << 31) - 1
MAX_TIME_ZONE_LENGTH = 64
MAX_METADATA_KEY_LENGTH = 1024
MAX_METADATA_ENTRIES = 65_536
MAX_COLUMN_METADATA_LENGTH = 1 << 20
MAX_FILE_METADATA_LENGTH = 16 << 20
U64_MAX = (1 << 64) - 1

ROLES = ("validity", "offsets", "values", "dictionary offsets", "dictionary values")
DICTIONARY = 17  # §6.1, §6.4: the physical type of dictionary-encoded columns
#: §6.4: index type code → (name, width, the most dictionary entries it addresses).
DICTIONARY_INDEX_TYPES: Dict[int, Tuple[str, int, int]] = {
    1: ("Int8", 1, 128), 2: ("Int16", 2, 32_768), 3: ("Int32", 4, (1 << 31) - 1)}

#: §6.1: code → (name, element size or None, offset width or None, NumPy dtype string or None).
PHYSICAL_TYPES: Dict[int, Tuple[str, Optional[int], Optional[int], Optional[str]]] = {
    1: ("Int8", 1, None, "<i1"),
    2: ("Int16", 2, None, "<i2"),
    3: ("Int32", 4, None, "<i4"),
    4: ("Int64", 8, None, "<i8"),
    5: ("UInt8", 1, None, "<u1"),
    6: ("UInt16", 2, None, "<u2"),
    7: ("UInt32", 4, None, "<u4"),
    8: ("UInt64", 8, None, "<u8"),
    9: ("Float16", 2, None, "<f2"),
    10: ("Float32", 4, None, "<f4"),
    11: ("Float64", 8, None, "<f8"),
    12: ("Bool", None, None, None),
    13: ("String", None, 4, None),
    14: ("LargeString", None, 8, None),
    15: ("Binary", None, 4, None),
    16: ("LargeBinary", None, 8, None),
    17: ("Dictionary", None, None, None),
}
PHYSICAL_CODES = {name: code for code, (name, _, _, _) in PHYSICAL_TYPES.items()}
TIME_UNITS = ("s", "ms", "us", "ns")
LOGICAL_NONE, LOGICAL_TIMESTAMP, LOGICAL_DATE = 0, 1, 2

_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")
_HEADER = struct.Struct("<8sHHIII16sQQII")
_TRAILER = struct.Struct("<QQII8s")
_DIRECTORY_HEADER = struct.Struct("<4sIQIIIIIII")
_RECORD = struct.Struct("<IIBBBBBBBBQQIIIIII")  # the first 56 bytes of a column record
_DESCRIPTOR = struct.Struct("<QQQII")
# A whole column record in one unpack: the 56 bytes, the three descriptors (bytes 56-151), and in
# records long enough (format 1.2) the entry count at 160 and the descriptors at 168 and 200.
_RECORD_AND_DESCRIPTORS = struct.Struct(_RECORD.format + "QQQII" * 3)
_RECORD_WITH_DICTIONARY = struct.Struct(_RECORD.format + "QQQII" * 3 + "8xQ" + "QQQII" * 2)
_PLACE = struct.Struct("<QQ")  # a descriptor's offset and stored length
_CHUNK_HEADER = struct.Struct("<4sIII")
_CHUNK_ENTRY = struct.Struct("<QIII")
_CHUNK_ENTRY_WITH_RESERVED = struct.Struct("<QIIII")

IS_LITTLE_ENDIAN = sys.byteorder == "little"
_TIME_ZONE_OFFSET = re.compile(rb"[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]")
_TIME_ZONE_NAME = re.compile(rb"[A-Za-z](?:[A-Za-z0-9_+-]|/(?!/))*(?<!/)")


def crc32(data) -> int:
    """CRC-32 of Specification.md §2 (zlib's polynomial; :mod:`._crc` picks the code)."""
    return _crc.crc32(data) & 0xFFFFFFFF


def descriptor_offset(role: int) -> int:
    """Where the descriptor of buffer ``role`` lies in a column record (§5.2): 56, 88, 120, then 168
    and 200 for a dictionary-encoded column's buffers 3 and 4."""
    return 56 + 32 * role if role < 3 else 168 + 32 * (role - 3)


def utf8(data) -> Optional[str]:
    """``data`` decoded as strict UTF-8, or None when it is not valid UTF-8."""
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        return None


class Descriptor:
    """One 32-byte buffer descriptor (§5.2)."""

    __slots__ = ("offset", "stored_length", "decoded_length", "checksum", "reserved")

    def __init__(self, offset: int, stored_length: int, decoded_length: int, checksum: int,
                 reserved: int = 0) -> None:
        self.offset = offset
        self.stored_length = stored_length
        self.decoded_length = decoded_length
        self.checksum = checksum
        self.reserved = reserved

    @property
    def is_absent(self) -> bool:
        """Offset, lengths and CRC-32 all zero (§5.2; the reserved word is ignored, §2)."""
        return not (self.offset or self.stored_length or self.decoded_length or self.checksum)

    def encode(self) -> bytes:
        return _DESCRIPTOR.pack(self.offset, self.stored_length, self.decoded_length, self.checksum,
                                self.reserved)


ABSENT = Descriptor(0, 0, 0, 0, 0)


def _descriptor(fields: Tuple[int, ...], start: int) -> Descriptor:
    """The descriptor whose five fields start at ``fields[start]``: :data:`ABSENT` when all are zero."""
    values = fields[start:start + 5]
    return Descriptor(*values) if any(values) else ABSENT


class Record:
    """One column record as stored (§5.2); parsing checks nothing, :class:`Layout` does."""

    __slots__ = ("name_offset", "name_length", "physical", "logical", "time_unit", "flags", "codec",
                 "rank", "index_type", "value_type", "row_count", "null_count", "shape_offset", "tz_offset",
                 "tz_length", "metadata_offset", "metadata_length", "entry_count", "buffers")

    def __init__(self, buf, position: int, record_length: int = COLUMN_RECORD_LENGTH) -> None:
        # One unpack of the whole record (a column's first use is dominated by such per-field work
        # in wide files); bytes 160-231 (§5.2, format 1.2) only in records long enough to hold them.
        if record_length >= DICTIONARY_RECORD_LENGTH:
            fields = _RECORD_WITH_DICTIONARY.unpack_from(buf, position)
            self.entry_count = fields[33]
            buffers = (_descriptor(fields, 18), _descriptor(fields, 23), _descriptor(fields, 28),
                       _descriptor(fields, 34), _descriptor(fields, 39))
        else:
            fields = _RECORD_AND_DESCRIPTORS.unpack_from(buf, position)
            self.entry_count = 0
            buffers = (_descriptor(fields, 18), _descriptor(fields, 23), _descriptor(fields, 28), ABSENT, ABSENT)
        (self.name_offset, self.name_length, self.physical, self.logical, self.time_unit,
         self.flags, self.codec, self.rank, self.index_type, self.value_type, self.row_count, self.null_count,
         self.shape_offset, self.tz_offset, self.tz_length, self.metadata_offset,
         self.metadata_length, _reserved2) = fields[:18]
        self.buffers = buffers

    @property
    def has_validity(self) -> bool:
        return bool(self.flags & FLAG_HAS_VALIDITY)


class ChunkIndex:
    """The chunk index at the start of a compressed buffer's stored form (§13.2)."""

    __slots__ = ("file_offset", "stored_length", "chunk_count", "chunk_size", "decoded_length")

    def __init__(self, buf, file_offset: int, stored_length: int, decoded_length: int,
                 context: ErrorContext) -> None:
        """Reads the index header and checks it against the decoded length: O(1), done at open."""
        if stored_length < CHUNK_HEADER_LENGTH or bytes(buf[file_offset:file_offset + 4]) != CHUNK_MAGIC:
            raise context.error("badChunkIndex", "the compressed buffer does not start with a chunk index",
                                offset=file_offset)
        _, count, size, _ = _CHUNK_HEADER.unpack_from(buf, file_offset)
        if not (MIN_CHUNK_SIZE <= size <= MAX_CHUNK_SIZE) or size % BUFFER_ALIGNMENT:
            raise context.error(
                "badChunkIndex", "invalid chunk size", offset=file_offset + 8,
                expected=f"a multiple of 64 from {MIN_CHUNK_SIZE} to {MAX_CHUNK_SIZE}", found=size)
        expected_count = -(-decoded_length // size)
        if count != expected_count:
            raise context.error("badChunkIndex", "chunk count does not match the decoded length",
                                offset=file_offset + 4, expected=expected_count, found=count)
        index_length = CHUNK_HEADER_LENGTH + count * CHUNK_ENTRY_LENGTH
        if index_length > stored_length:
            raise context.error("badChunkIndex", "the chunk index runs past the end of its buffer",
                                offset=file_offset, expected=f"at most {stored_length} bytes",
                                found=f"{index_length} bytes")
        self.file_offset = file_offset
        self.stored_length = stored_length
        self.chunk_count = count
        self.chunk_size = size
        self.decoded_length = decoded_length

    def entry(self, buf, chunk: int) -> Tuple[int, int, int, int]:
        """(compressed offset, compressed length, decoded length, CRC-32) of chunk ``chunk``."""
        return _CHUNK_ENTRY.unpack_from(
            buf, self.file_offset + CHUNK_HEADER_LENGTH + chunk * CHUNK_ENTRY_LENGTH)

    def expected_decoded_length(self, chunk: int) -> int:
        if chunk < self.chunk_count - 1:
            return self.chunk_size
        return self.decoded_length - self.chunk_size * (self.chunk_count - 1)

    def validate_entries(self, buf, context: ErrorContext) -> List[Tuple[int, int, int, int]]:
        """Checks every entry (§13.3) in the order of the Swift library's ``ChunkIndex.validateEntries``:
        decoded lengths, compressed ranges inside the buffer, the expansion bound, and the chunks
        contiguous from the end of the index to the end of the buffer. Returns the entries. O(chunks);
        done before a buffer is decoded and before a decoded copy of it is used."""
        entries = []
        expected_start = CHUNK_HEADER_LENGTH + self.chunk_count * CHUNK_ENTRY_LENGTH
        first_entry = self.file_offset + CHUNK_HEADER_LENGTH
        for chunk, entry in enumerate(_CHUNK_ENTRY_WITH_RESERVED.iter_unpack(
                buf[first_entry:first_entry + self.chunk_count * CHUNK_ENTRY_LENGTH])):
            compressed_offset, compressed_length, decoded_length, checksum, _ = entry
            entry_offset = first_entry + chunk * CHUNK_ENTRY_LENGTH
            expected = self.expected_decoded_length(chunk)
            if decoded_length != expected:
                raise context.error("chunkOutOfRange", "the index gives the wrong decoded length", chunk=chunk,
                                    offset=entry_offset + 12, expected=expected, found=decoded_length)
            if compressed_length == 0 or compressed_offset + compressed_length > self.stored_length:
                raise context.error(
                    "chunkOutOfRange", "the compressed bytes lie outside their buffer", chunk=chunk,
                    offset=entry_offset, expected=f"within {self.stored_length} bytes",
                    found=f"offset {compressed_offset} length {compressed_length}")
            most_decoded = compressed_length * MAX_EXPANSION
            if decoded_length > most_decoded:
                raise context.error(
                    "chunkOutOfRange", "the chunk claims more decoded bytes than its compressed bytes can hold",
                    chunk=chunk, offset=entry_offset + 12, expected=f"at most {most_decoded}", found=decoded_length)
            if compressed_offset < expected_start:
                raise context.error(
                    "overlappingChunks", "the compressed bytes overlap the index or the previous chunk",
                    chunk=chunk, offset=entry_offset, expected=f"offset at least {expected_start}",
                    found=compressed_offset)
            if compressed_offset != expected_start:
                raise context.error(
                    "chunkGap", "the compressed bytes do not start where the index or the previous chunk ends",
                    chunk=chunk, offset=entry_offset, expected=f"offset {expected_start}", found=compressed_offset)
            expected_start = compressed_offset + compressed_length
            entries.append((compressed_offset, compressed_length, decoded_length, checksum))
        if expected_start != self.stored_length:
            raise context.error("chunkGap", "bytes follow the last chunk in the buffer",
                                offset=self.file_offset + expected_start, expected=f"{expected_start} bytes",
                                found=f"{self.stored_length} bytes")
        return entries


def is_valid_time_zone(text: bytes) -> bool:
    """Whether ``text`` (1 to 64 bytes) is a time zone of §6.2: an offset ``+HH:MM`` / ``-HH:MM`` (HH 00–23,
    MM 00–59), or a name in the IANA style: ASCII letters, digits and ``/ _ + -``, starting with a
    letter, no empty part between slashes, no slash at the end (the Swift library's ``TimeZoneSyntax``)."""
    return bool(_TIME_ZONE_OFFSET.fullmatch(text) or _TIME_ZONE_NAME.fullmatch(text))


def walk_metadata(buf, start: int, length: int, file_offset: int, context: ErrorContext) -> Dict[str, str]:
    """Checks the metadata block ``buf[start:start+length]`` (§5.4) and returns it as a dict."""
    if length < 4:
        raise context.error("badMetadata", "metadata block is shorter than its entry count",
                            offset=file_offset, expected="at least 4 bytes", found=length)
    count = _U32.unpack_from(buf, start)[0]
    if count > MAX_METADATA_ENTRIES:
        raise context.error("badMetadata", "metadata block has too many entries", offset=file_offset,
                            expected=f"at most {MAX_METADATA_ENTRIES}", found=count)
    result: Dict[str, str] = {}
    position = 4
    previous_key: Optional[bytes] = None
    for _ in range(count):
        entry_offset = file_offset + position
        if position + 8 > length:
            raise context.error("badMetadata", "metadata entry runs past the end of its block",
                                offset=entry_offset)
        key_length, value_length = struct.unpack_from("<II", buf, start + position)
        if not 1 <= key_length <= MAX_METADATA_KEY_LENGTH:
            raise context.error("badMetadata", "metadata key length is out of range", offset=entry_offset,
                                expected=f"1 to {MAX_METADATA_KEY_LENGTH}", found=key_length)
        if position + 8 + key_length + value_length > length:
            raise context.error("badMetadata", "metadata entry runs past the end of its block",
                                offset=entry_offset)
        key = bytes(buf[start + position + 8:start + position + 8 + key_length])
        value = bytes(buf[start + position + 8 + key_length:start + position + 8 + key_length + value_length])
        key_text, value_text = utf8(key), utf8(value)
        if key_text is None or value_text is None:
            raise context.error("badMetadata", "metadata key or value is not valid UTF-8", offset=entry_offset)
        if previous_key is not None and not previous_key < key:
            raise context.error("badMetadata", "metadata keys are not strictly increasing", offset=entry_offset)
        result[key_text] = value_text
        previous_key = key
        position += 8 + key_length + value_length
    if position != length:
        raise context.error("badMetadata", "metadata entries do not fill their block", offset=file_offset,
                            expected=f"{length} bytes", found=f"{position} bytes")
    return result


def check_header_length_and_checksum(context: ErrorContext, buf: Any, header_length: int, header_crc: int) -> None:
    """§9 steps 5–6: the header length is 64 and bytes 0..<60 have the CRC-32 stored at byte 60.

    A draft's header (§15.2) keeps both fields where the file header does, so its opener shares
    this check, codes and messages included.
    """
    if header_length != HEADER_LENGTH:
        raise context.error("badHeader", "invalid header length", offset=12, expected=HEADER_LENGTH,
                            found=header_length)
    actual = crc32(memoryview(buf)[0:60])
    if header_crc != actual:
        raise context.error("headerChecksumMismatch", "header checksum mismatch", offset=60,
                            expected=hex32(header_crc), found=hex32(actual))


def encode_metadata(entries: Dict[str, str]) -> bytes:
    """The bytes of a metadata block holding ``entries``, keys sorted as byte strings (§5.4)."""
    items = sorted(((k.encode("utf-8"), v.encode("utf-8")) for k, v in entries.items()), key=lambda kv: kv[0])
    parts = [_U32.pack(len(items))]
    for key, value in items:
        parts.append(struct.pack("<II", len(key), len(value)))
        parts.append(key)
        parts.append(value)
    return b"".join(parts)


class ColumnLayout:
    """What open learned about one column: its record, name and checked facts.

    ``unreadable`` is None for a column this reader can read; for a column whose physical type or
    codec it does not know (§9 step 14.2), the error to refuse it with when it is asked for. Such a
    column got only the checks that do not depend on its type: ``type_name`` is then None when the
    type is unknown, and ``shape`` and ``time_zone`` are read as far as they lie in the heap.
    """

    __slots__ = ("index", "record", "name", "name_bytes", "type_name", "element_size", "offset_width",
                 "shape", "time_zone", "metadata", "record_offset", "chunk_indexes", "unreadable", "dictionary")

    def __init__(self) -> None:
        self.chunk_indexes: List[Optional[ChunkIndex]] = [None] * 5
        #: For a dictionary-encoded column (§6.4): (index type name, index width, value type name,
        #: value element size or None, value offset width or None, entry count N).
        self.dictionary: Optional[Tuple[str, int, str, Optional[int], Optional[int], int]] = None
        self.type_name: Optional[str] = None
        self.element_size: Optional[int] = None
        self.offset_width: Optional[int] = None
        self.shape: Tuple[int, ...] = ()
        self.time_zone: Optional[str] = None
        self.unreadable: Optional[ColFileError] = None


class Layout:
    """A file's bytes that passed the checks Specification.md §9 makes at open (steps 1–13).

    The rest is checked when it is first needed, as the Swift reader does (§9): a column's name and
    record on the column's first use (:meth:`column`, once per column, whichever thread asks
    first), what a lookup by name visits (:meth:`column_index`), and every name with the name index
    when every name is listed (:meth:`check_names`). So opening costs the same whatever the number of
    columns, and a column that fails is refused with its error on every use while the others stay
    readable.

    Parameters
    ----------
    buf : buffer
        The whole file (a mapping, ``bytes`` or a ``memoryview``).
    path : str
        The name to use in errors.

    Raises
    ------
    ColFileError
        The first check of §9 the file fails, with the Swift reader's code and text.
    """

    def __init__(self, buf, path: str) -> None:
        context = ErrorContext(path)
        self.path = path
        size = len(buf)
        minimum = HEADER_LENGTH + TRAILER_LENGTH
        if not IS_LITTLE_ENDIAN:
            raise context.error("unsupportedHost", "colfile files are little-endian and this host is big-endian")
        if size < minimum:
            raise context.error("truncated", "file is too short to be a colfile file",
                                expected=f"at least {minimum} bytes", found=f"{size} bytes")
        (magic, major, minor, header_length, required, optional, file_id, d_offset, d_length,
         d_crc, header_crc) = _HEADER.unpack_from(buf, 0)
        # §9 steps 3–7.
        if magic != MAGIC:
            if magic == DRAFT_MAGIC:
                raise context.error("unsealedDraft",
                                    "an unsealed colfile draft, not a published file: seal it first (colfile draft seal)",
                                    offset=0)
            raise context.error("badMagic", "not a colfile file: the first 8 bytes are not the colfile magic",
                                offset=0)
        if major != MAJOR_VERSION:
            raise context.error("unsupportedMajorVersion",
                                f"format major version {major} is not supported by this reader",
                                offset=8, expected=MAJOR_VERSION, found=major)
        check_header_length_and_checksum(context, buf, header_length, header_crc)
        if required & ~KNOWN_REQUIRED_FLAGS:
            raise context.error("unsupportedFeatures", "the file needs features this reader does not have",
                                offset=16, expected=hex32(KNOWN_REQUIRED_FLAGS), found=hex32(required))
        # Step 8.
        if (d_offset < HEADER_LENGTH or d_offset % BUFFER_ALIGNMENT or d_length < DIRECTORY_HEADER_LENGTH
                or d_length > MAX_DIRECTORY_LENGTH):
            raise context.error(
                "badDirectoryLocation", "the header gives an impossible directory location", offset=40,
                expected=f"offset a multiple of 64 and length 64 to {MAX_DIRECTORY_LENGTH}",
                found=f"offset {d_offset} length {d_length}")
        # Step 9 (u64 arithmetic, as the reference reader: an overflow is an impossible size).
        directory_end = d_offset + d_length
        expected_size = directory_end + TRAILER_LENGTH
        overflow = directory_end > U64_MAX or expected_size > U64_MAX
        if overflow or expected_size > size:
            raise context.error("truncated", "file is truncated",
                                expected="an impossible size" if overflow else f"{expected_size} bytes",
                                found=f"{size} bytes")
        if expected_size != size:
            raise context.error("trailingBytes", "file has bytes after its trailer", offset=expected_size,
                                expected=f"{expected_size} bytes", found=f"{size} bytes")
        # Step 10.
        t_offset, t_length, t_crc, _, end_magic = _TRAILER.unpack_from(buf, directory_end)
        if end_magic != END_MAGIC:
            raise context.error("badTrailer", "the trailer's end magic is missing", offset=directory_end + 24)
        if (t_offset, t_length, t_crc) != (d_offset, d_length, d_crc):
            raise context.error(
                "badTrailer", "the trailer disagrees with the header about the directory", offset=directory_end,
                expected=f"offset {d_offset} length {d_length} crc {hex32(d_crc)}",
                found=f"offset {t_offset} length {t_length} crc {hex32(t_crc)}")
        # Step 11.
        actual = crc32(memoryview(buf)[d_offset:directory_end])
        if actual != d_crc:
            raise context.error("directoryChecksumMismatch", "directory checksum mismatch", offset=d_offset,
                                expected=hex32(d_crc), found=hex32(actual))
        self._read_directory(buf, size, major, minor, required, optional, bytes(file_id), d_offset, d_length, d_crc,
                             context)

    @classmethod
    def described(cls, buf, path: str, file_id: bytes, d_offset: int, d_length: int, d_crc: int) -> "Layout":
        """The directory (a draft's *description*) at ``d_offset``, whose CRC-32 the caller checked,
        checked by §9 steps 12 and 13 as the directory of a file that ends where it ends (steps 14
        and 15 on first use, as a file's)."""
        layout = cls.__new__(cls)
        layout.path = path
        layout._read_directory(buf, d_offset + d_length, MAJOR_VERSION, MINOR_VERSION, 0, 0, file_id, d_offset,
                               d_length, d_crc, ErrorContext(path))
        return layout

    def _read_directory(self, buf, size: int, major: int, minor: int, required: int, optional: int, file_id: bytes,
                        d_offset: int, d_length: int, d_crc: int, context: ErrorContext) -> None:
        self.buf = buf
        self.size = size
        self.major = major
        self.minor = minor
        self.required_flags = required
        self.optional_flags = optional
        self.file_id = file_id
        self.directory_offset = d_offset
        self.directory_length = d_length
        self.directory_checksum = d_crc
        self._parse_directory_header(context)
        # Step 13.
        self.metadata: Dict[str, str] = {}
        if self.file_metadata_length > 0:
            start = d_offset + self.heap_offset + self.file_metadata_offset
            self.metadata = walk_metadata(buf, start, self.file_metadata_length, start, context)
        # Steps 14 and 15 are made on first use (§9): see the class's description.
        self._context = context
        self._first_use_lock = threading.Lock()
        self._outcomes: List[Union[None, ColumnLayout, ColFileError]] = [None] * self.column_count
        self._names_outcome: Union[None, List[str], ColFileError] = None
        self._found: Dict[str, int] = {}
        self._checked_names: List[Optional[bytes]] = [None] * self.column_count
        self._by_name: Optional[Dict[str, int]] = None
        self._every_column_checked = False

    # -- §5.1, step 12 ------------------------------------------------------------------

    def _parse_directory_header(self, context: ErrorContext) -> None:
        buf, d, dl = self.buf, self.directory_offset, self.directory_length
        (magic, count, rows, record_length, records_offset, name_index_offset, heap_offset, heap_length,
         fm_offset, fm_length) = _DIRECTORY_HEADER.unpack_from(buf, d)
        if magic != DIRECTORY_MAGIC:
            raise context.error("badDirectory", "the directory does not start with its magic 'CDIR'", offset=d)
        if count > MAX_COLUMNS:
            raise context.error("badDirectory", "too many columns", offset=d + 4,
                                expected=f"at most {MAX_COLUMNS}", found=count)
        if rows > MAX_ROWS:
            raise context.error("badDirectory", "too many rows", offset=d + 8,
                                expected=f"at most {MAX_ROWS}", found=rows)
        if record_length < COLUMN_RECORD_LENGTH:
            raise context.error("badDirectory", "column records are too short", offset=d + 16,
                                expected=f"at least {COLUMN_RECORD_LENGTH}", found=record_length)
        regions = (("column records", records_offset, count * record_length),
                   ("name index", name_index_offset, count * 4),
                   ("heap", heap_offset, heap_length))
        for name, offset, length in regions:
            if offset < DIRECTORY_HEADER_LENGTH or offset + length > dl:
                raise context.error(
                    "badDirectory", f"the {name} lie outside the directory", offset=d,
                    expected=f"within bytes {DIRECTORY_HEADER_LENGTH}..<{dl}",
                    found=f"offset {offset} length {length}")
        # §5.1: no two regions overlap (a region of 0 bytes overlaps nothing).
        for first, second in ((0, 1), (0, 2), (1, 2)):
            first_name, first_start, first_length = regions[first]
            second_name, second_start, second_length = regions[second]
            if (first_length and second_length and first_start + first_length > second_start
                    and second_start + second_length > first_start):
                raise context.error(
                    "badDirectory", f"the {first_name} and the {second_name} overlap", offset=d, expected="apart",
                    found=f"bytes {first_start}..<{first_start + first_length} and "
                          f"{second_start}..<{second_start + second_length}")
        if fm_length > MAX_FILE_METADATA_LENGTH:
            raise context.error("badMetadata", "file metadata block is too large", offset=d + 40,
                                expected=f"at most {MAX_FILE_METADATA_LENGTH} bytes", found=fm_length)
        if not self._heap_contains_values(heap_length, fm_offset, fm_length):
            raise context.error("badMetadata", "file metadata block lies outside the heap", offset=d + 36,
                                expected=f"within {heap_length} bytes",
                                found=f"offset {fm_offset} length {fm_length}")
        self.column_count = count
        self.row_count = rows
        self.record_length = record_length
        self.records_offset = records_offset
        self.name_index_offset = name_index_offset
        self.heap_offset = heap_offset
        self.heap_length = heap_length
        self.file_metadata_offset = fm_offset
        self.file_metadata_length = fm_length

    @staticmethod
    def _heap_contains_values(heap_length: int, offset: int, length: int) -> bool:
        return offset <= heap_length and length <= heap_length - offset

    def heap_contains(self, offset: int, length: int) -> bool:
        return offset <= self.heap_length and length <= self.heap_length - offset

    def heap_bytes(self, offset: int, length: int) -> bytes:
        start = self.directory_offset + self.heap_offset + offset
        return bytes(self.buf[start:start + length])

    # -- §5.2, §6, §7, step 14 -----------------------------------------------------------

    def _heap_slice(self, offset: int, length: int, limit: int, what: str, code: str, record_offset: int,
                    context: ErrorContext) -> bytes:
        if length > limit or not self.heap_contains(offset, length):
            raise context.error(code, f"{what} lies outside the heap or is too long", offset=record_offset,
                                expected=f"at most {limit} bytes within {self.heap_length}",
                                found=f"offset {offset} length {length}")
        return self.heap_bytes(offset, length)

    def _record_offset(self, index: int) -> int:
        return self.directory_offset + self.records_offset + index * self.record_length

    def _check_name(self, index: int) -> bytes:
        """Step 14.1's name check for column ``index`` (the Swift library's ``ColumnValidator.checkName``):
        length, place in the heap, UTF-8. Returns the name's bytes, kept: a name checked once (by a
        lookup, a listing or a first use) is not checked again."""
        checked = self._checked_names[index]
        if checked is not None:
            return checked
        context = self._context
        record_offset = self._record_offset(index)
        name_offset, length = struct.unpack_from("<II", self.buf, record_offset)
        if not 1 <= length <= MAX_NAME_LENGTH:
            raise context.error("badColumnName", "column name length is out of range",
                                offset=record_offset + 4, expected=f"1 to {MAX_NAME_LENGTH}", found=length)
        if not self.heap_contains(name_offset, length):
            raise context.error("badColumnName", "column name lies outside the heap", offset=record_offset,
                                expected=f"within {self.heap_length} bytes", found=f"offset {name_offset} length {length}")
        name_bytes = self.heap_bytes(name_offset, length)
        if utf8(name_bytes) is None:
            raise context.error("badColumnName", "column name is not valid UTF-8", offset=record_offset)
        self._checked_names[index] = name_bytes
        return name_bytes

    def _check_record_length(self, index: int, name: str) -> None:
        """The rest of step 14.1 (``ColumnValidator.checkRecordLength``): a dictionary-encoded column
        needs records of at least 232 bytes (a shorter RL misframes every later record)."""
        if self.buf[self._record_offset(index) + 8] == DICTIONARY and self.record_length < DICTIONARY_RECORD_LENGTH:
            raise self._context.about(name).error(
                "badColumnType", "a dictionary-encoded column needs column records of at least 232 bytes",
                offset=self.directory_offset + 16, expected=f"at least {DICTIONARY_RECORD_LENGTH}",
                found=self.record_length)

    # -- first use (§9) -----------------------------------------------------------------------

    @property
    def columns(self) -> "FirstUseColumns":
        """The columns as a sequence whose items are checked on first use (a new view each time: a
        view held by the layout would make a reference cycle, and the mapping would then wait for
        the garbage collector to be unmapped)."""
        return FirstUseColumns(self)

    def column(self, index: int) -> ColumnLayout:
        """Column ``index`` after its first-use checks (§9: step 14.1, then 14.2–14.7), made the first
        time any thread asks; later asks answer as that check did.

        Raises
        ------
        ColFileError
            The first rule the column's name or record breaks, on this and every later ask.
        """
        if not 0 <= index < self.column_count:
            raise IndexError("column index out of range")
        outcome = self._outcomes[index]
        if outcome is None:
            outcome = self._first_use(index, None)
        if isinstance(outcome, ColFileError):
            raise copy.copy(outcome)  # the one kept has no traceback: no cycle through its frames
        return outcome

    def check_columns(self) -> None:
        """Every name, the name index (:meth:`check_names`), then each column's first-use checks in
        directory order: what listing every column needs, and the order ``verify()`` meets errors in
        (§9). One pass: each column's placement is checked against the end of the nearest earlier
        column that stores bytes, carried along instead of walked back to.

        Raises
        ------
        ColFileError
            The first name, index entry or record in that order that breaks a rule.
        """
        if self._every_column_checked:
            return
        self.check_names()
        end = HEADER_LENGTH
        for index in range(self.column_count):
            outcome = self._outcomes[index]
            if outcome is None:
                outcome = self._first_use(index, end)
            if isinstance(outcome, ColFileError):
                raise copy.copy(outcome)
            stored = self._stored_end(index)
            if stored is not None:
                end = stored
        self._every_column_checked = True

    def _first_use(self, index: int, previous_end: Optional[int]) -> Union[ColumnLayout, ColFileError]:
        """The outcome of column ``index``'s first-use checks, made now under the lock unless another
        thread made them first. ``previous_end``: where the nearest earlier column that stores bytes
        ends, when the caller knows it."""
        with self._first_use_lock:
            outcome = self._outcomes[index]
            if outcome is None:
                try:
                    outcome = self._check_column(index, previous_end)
                except ColFileError as error:
                    outcome = error.with_traceback(None)
                self._outcomes[index] = outcome
        return outcome

    def _check_column(self, index: int, previous_end: Optional[int]) -> ColumnLayout:
        """The first-use checks of column ``index`` (the Swift library's ``FileLayout.checkColumn``):
        its buffers are checked against the end of the nearest earlier column that stores bytes,
        which, checked for every column, is the one-pass placement rule of §7."""
        name_bytes = self._check_name(index)
        name = name_bytes.decode("utf-8")
        self._check_record_length(index, name)
        record = Record(self.buf, self._record_offset(index), self.record_length)
        if previous_end is None:
            # A column without stored bytes has no placement to check: no walk back for it.
            previous_end = self._end_of_stored_bytes(index) if self._stored_end(index) is not None else HEADER_LENGTH
        return self._validate_column(index, record, name_bytes, name, previous_end)

    def _end_of_stored_bytes(self, index: int) -> int:
        """Where the stored bytes of the nearest column before ``index`` that has some end, as its
        descriptors give them (unchecked); the start of the data region when none does."""
        for earlier in range(index - 1, -1, -1):
            end = self._stored_end(earlier)
            if end is not None:
                return end
        return HEADER_LENGTH

    def _stored_end(self, index: int) -> Optional[int]:
        """Where the stored bytes of column ``index`` end as its descriptors give them (unchecked, as
        u64 arithmetic saturating), or None when no buffer of it has stored bytes. Buffers 3 and 4
        only in records long enough to hold them (§5.2)."""
        record_offset = self._record_offset(index)
        roles = 5 if self.record_length >= DICTIONARY_RECORD_LENGTH else 3
        end = None
        for role in range(roles):
            offset, stored_length = _PLACE.unpack_from(self.buf, record_offset + descriptor_offset(role))
            if stored_length > 0:
                buffer_end = min(offset + stored_length, U64_MAX)
                end = buffer_end if end is None else max(end, buffer_end)
        return end

    def check_names(self) -> List[str]:
        """Every column's name in directory order (step 14.1 with the record length), then the whole
        name index (step 15), checked the first time any thread asks. Listing every name needs it.

        Returns
        -------
        list of str
            The names, in directory order.

        Raises
        ------
        ColFileError
            The first name or index entry that breaks a rule, on this and every later ask.
        """
        outcome = self._names_outcome
        if outcome is None:
            with self._first_use_lock:
                outcome = self._names_outcome
                if outcome is None:
                    try:
                        names = []
                        for index in range(self.column_count):
                            name_bytes = self._check_name(index)
                            names.append(name_bytes)
                            self._check_record_length(index, name_bytes.decode("utf-8"))
                        self._validate_name_index(names)
                        outcome = [name.decode("utf-8") for name in names]
                    except ColFileError as error:
                        outcome = error.with_traceback(None)
                    self._names_outcome = outcome
        if isinstance(outcome, ColFileError):
            raise copy.copy(outcome)  # the one stored keeps no traceback: no cycle through its frames
        return outcome

    def _validate_column(self, index: int, record: Record, name_bytes: bytes, name: str,
                         previous_end: int) -> ColumnLayout:
        """Checks column record ``index``, whose name passed step 14.1, in the order of §9 steps
        14.2–14.7 (the Swift library's ``ColumnValidator.validate``), its first buffer against
        ``previous_end``; returns its layout."""
        record_offset = self._record_offset(index)
        context = self._context.about(name)
        column = ColumnLayout()
        column.index = index
        column.record = record
        column.name = name
        column.name_bytes = name_bytes
        column.record_offset = record_offset
        # Step 14.2: a type or codec this reader does not know makes the column unreadable, not the file.
        physical = PHYSICAL_TYPES.get(record.physical)
        if physical is None or record.codec not in CODECS:
            column.metadata = self._validate_counts(record, record_offset, context)
            self._validate_placement(record, record_offset, previous_end, context)
            if physical is None:
                column.unreadable = context.error("unknownPhysicalType", "unknown physical type",
                                                  offset=record_offset + 8, expected="1 to 17", found=record.physical)
            else:
                column.type_name = physical[0]
                column.unreadable = context.error("unsupportedCodec", "unsupported codec", offset=record_offset + 12,
                                                  expected="0 to 2", found=record.codec)
            return column
        type_name, element_size, offset_width, _ = physical
        # Steps 14.3 to 14.5.
        if record.flags & ~FLAG_HAS_VALIDITY:
            raise context.error("badColumnType", "unknown column flags are set", offset=record_offset + 11,
                                expected="only bit 0", found=record.flags)
        shape = self._validate_shape(record, type_name, element_size, record_offset, context)
        dictionary = (self._validate_dictionary(record, record_offset, context)
                      if record.physical == DICTIONARY else None)
        time_zone = self._validate_logical_type(record, dictionary[2] if dictionary else type_name, record_offset,
                                                context)
        metadata = self._validate_counts(record, record_offset, context)
        # Step 14.6: the buffers.
        rows = record.row_count
        bitmap_length = (rows + 7) // 8
        validity_length = bitmap_length if record.has_validity else 0
        rank_elements = 1
        for dimension in shape:
            rank_elements *= dimension
        if dictionary is not None:
            _, index_width, _, value_size, value_offset_width, entries = dictionary
            indices_length = rows * index_width
            if indices_length > U64_MAX:
                raise context.error("bufferLengthMismatch", "row count is too large for any file",
                                    offset=record_offset + 16, found=rows)
            expected = (validity_length, 0, indices_length,
                        (entries + 1) * value_offset_width if value_offset_width else 0,
                        entries * value_size if value_size else None)
        elif element_size is not None:
            values_length = rows * element_size * rank_elements
            if values_length > U64_MAX:
                raise context.error("bufferLengthMismatch", "row count is too large for any file",
                                    offset=record_offset + 16, found=rows)
            expected = (validity_length, 0, values_length, 0, 0)
        elif offset_width is not None:
            offsets_length = (rows + 1) * offset_width
            if rows + 1 > U64_MAX or offsets_length > U64_MAX:
                raise context.error("bufferLengthMismatch", "row count is too large for any file",
                                    offset=record_offset + 16, found=rows)
            expected = (validity_length, offsets_length, None, 0, 0)
        else:
            expected = (validity_length, 0, bitmap_length, 0, 0)
        compressed = record.codec != CODEC_NONE
        for role in range(5):
            # The values (or indices) and a dictionary's values are present even when empty.
            always_present = role == 2 or (dictionary is not None and role == 4)
            if record.buffers[role] is ABSENT and expected[role] == 0 and not always_present:
                continue  # what _validate_buffer answers, without its call (most columns' usual case)
            previous_end = self._validate_buffer(record.buffers[role], role, expected[role], always_present,
                                                 compressed, record_offset + descriptor_offset(role), previous_end,
                                                 column, context, dictionary is not None)
        # Step 14.7.
        if not compressed:
            if offset_width is not None:
                self._validate_outer_offsets(record, 1, 2, offset_width, rows, context)
            if dictionary is not None and dictionary[4] is not None:
                self._validate_outer_offsets(record, 3, 4, dictionary[4], dictionary[5], context)
        column.dictionary = dictionary
        column.type_name = type_name
        column.element_size = element_size
        column.offset_width = offset_width
        column.shape = shape
        column.time_zone = time_zone
        column.metadata = metadata
        return column

    def _validate_outer_offsets(self, record: Record, offsets_role: int, values_role: int, width: int, count: int,
                                context: ErrorContext) -> None:
        """The first and last of the ``count + 1`` offsets in slot ``offsets_role`` of a plain column:
        0 and the length of the bytes in slot ``values_role`` (§6.1, step 14.7) [badOffsets]."""
        offsets = record.buffers[offsets_role]
        values = record.buffers[values_role]
        what = "offset" if offsets_role == 1 else "dictionary offset"
        fmt = _I32 if width == 4 else _I64
        first = fmt.unpack_from(self.buf, offsets.offset)[0]
        last = fmt.unpack_from(self.buf, offsets.offset + count * width)[0]
        if first != 0:
            raise context.error("badOffsets", f"the first {what} is not 0", offset=offsets.offset,
                                expected=0, found=first)
        if last != min(values.stored_length, (1 << 63) - 1):
            raise context.error("badOffsets",
                                f"the last {what} is not the {'values' if values_role == 2 else 'dictionary values'}"
                                " length", offset=offsets.offset + count * width, expected=values.stored_length,
                                found=last)

    def _validate_dictionary(self, record: Record, record_offset: int, context: ErrorContext):
        """The fields of a dictionary-encoded column (§6.4, §9 step 14.3): index type, value type, record
        length and dictionary length N. Returns (index type name, index width, value type name, value
        element size, value offset width, N)."""
        index_type = DICTIONARY_INDEX_TYPES.get(record.index_type)
        if index_type is None:
            raise context.error("badColumnType", "invalid dictionary index type", offset=record_offset + 14,
                                expected="1 (Int8), 2 (Int16) or 3 (Int32)", found=record.index_type)
        value_type = PHYSICAL_TYPES.get(record.value_type)
        if value_type is None or record.value_type in (12, DICTIONARY):
            raise context.error("badColumnType", "invalid dictionary value type", offset=record_offset + 15,
                                expected="1 to 11 or 13 to 16", found=record.value_type)
        if self.record_length < DICTIONARY_RECORD_LENGTH:
            raise context.error("badColumnType", "a dictionary-encoded column needs column records of at least 232 bytes",
                                offset=self.directory_offset + 16, expected=f"at least {DICTIONARY_RECORD_LENGTH}",
                                found=self.record_length)
        index_name, index_width, max_entries = index_type
        if record.entry_count > max_entries:
            raise context.error("badColumnType", f"the dictionary has more entries than {index_name} indices can address",
                                offset=record_offset + 160, expected=f"at most {max_entries}", found=record.entry_count)
        return index_name, index_width, value_type[0], value_type[1], value_type[2], record.entry_count

    def _validate_counts(self, record: Record, record_offset: int, context: ErrorContext) -> Dict[str, str]:
        """Row count, null count and column metadata (§9 step 14.5): the checks every column gets,
        readable or not. Returns the column metadata."""
        if record.row_count != self.row_count:
            raise context.error("rowCountMismatch", "row count differs from the table's", offset=record_offset + 16,
                                expected=self.row_count, found=record.row_count)
        if record.null_count > record.row_count or (not record.has_validity and record.null_count != 0):
            raise context.error(
                "badNullCount",
                "null count exceeds the row count" if record.has_validity
                else "null count is not 0 but the column has no validity buffer",
                offset=record_offset + 24,
                expected=f"at most {record.row_count}" if record.has_validity else "0", found=record.null_count)
        # Checked whatever its length: a reference of length 0 must lie in the heap too (§5.4).
        self._heap_slice(record.metadata_offset, record.metadata_length, MAX_COLUMN_METADATA_LENGTH,
                         "column metadata", "badMetadata", record_offset + 44, context)
        if record.metadata_length == 0:
            return {}
        start = self.directory_offset + self.heap_offset + record.metadata_offset
        return walk_metadata(self.buf, start, record.metadata_length, start, context)

    def _validate_placement(self, record: Record, record_offset: int, previous_end: int,
                            context: ErrorContext) -> None:
        """The placement of the present buffers of an unreadable column (§9 step 14.2): each one with
        stored bytes inside the data region, aligned, and after the previous buffer."""
        for role, descriptor in enumerate(record.buffers):
            if descriptor.stored_length > 0:
                previous_end = self._validate_place(descriptor, f"{ROLES[role]} buffer",
                                                    record_offset + descriptor_offset(role), previous_end, context)

    def _validate_shape(self, record: Record, type_name: str, element_size: Optional[int], record_offset: int,
                        context: ErrorContext) -> Tuple[int, ...]:
        rank = record.rank
        if rank == 0:
            return ()
        if rank > MAX_RANK:
            raise context.error("badColumnType", "tensor rank is too high", offset=record_offset + 13,
                                expected=f"at most {MAX_RANK}", found=rank)
        if element_size is None:
            raise context.error("badColumnType", "only fixed-width types can be tensors", offset=record_offset + 13,
                                expected=f"rank 0 for {type_name}", found=rank)
        shape_bytes = self._heap_slice(record.shape_offset, rank * 8, 64, "shape", "badColumnType",
                                       record_offset + 32, context)
        row_bytes = element_size
        shape = struct.unpack(f"<{rank}Q", shape_bytes)
        for axis, dimension in enumerate(shape):
            if not 1 <= dimension <= MAX_TENSOR_ROW_BYTES:
                raise context.error("badColumnType", f"tensor dimension {axis} is out of range",
                                    offset=record_offset + 32, expected=f"1 to {MAX_TENSOR_ROW_BYTES}",
                                    found=dimension)
            product = row_bytes * dimension
            if product > MAX_TENSOR_ROW_BYTES:
                raise context.error("badColumnType", "tensor rows are too large", offset=record_offset + 32,
                                    expected=f"at most {MAX_TENSOR_ROW_BYTES} bytes per row",
                                    found=f"{product} bytes")
            row_bytes = product
        return tuple(shape)

    def _validate_logical_type(self, record: Record, type_name: str, record_offset: int,
                               context: ErrorContext) -> Optional[str]:
        """The logical type against the physical type and rank, the time unit and the time zone (§6.2);
        returns the time zone."""
        is_timestamp = record.logical == LOGICAL_TIMESTAMP
        required = {LOGICAL_TIMESTAMP: "Int64", LOGICAL_DATE: "Int32"}.get(record.logical)
        if required is not None and (type_name != required or record.rank != 0):
            raise context.error("logicalTypeMismatch", "logical type needs another physical type",
                                offset=record_offset + 9, expected=f"{required} with rank 0",
                                found=f"{type_name} with rank {record.rank}")
        if (record.time_unit > 3) if is_timestamp else (record.time_unit != 0):
            raise context.error("badColumnType", "invalid time unit", offset=record_offset + 10,
                                expected="0 to 3" if is_timestamp else "0 (not a timestamp)",
                                found=record.time_unit)
        if not is_timestamp and record.tz_length != 0:
            raise context.error("badColumnType", "a time zone is set on a column that is not a timestamp",
                                offset=record_offset + 40)
        # Checked whatever its length: a reference of length 0 must lie in the heap too (§5.4).
        zone = self._heap_slice(record.tz_offset, record.tz_length, MAX_TIME_ZONE_LENGTH, "time zone",
                                "badColumnType", record_offset + 36, context)
        if record.tz_length == 0:
            return None
        if not is_valid_time_zone(zone):
            raise context.error(
                "badColumnType", "time zone is neither an offset like +01:00 nor a zone name like Europe/Paris",
                offset=record_offset + 36, found=f"'{zone.decode('utf-8', 'replace')}'")
        return zone.decode("ascii")

    def _validate_buffer(self, descriptor: Descriptor, role: int, expected_length: Optional[int],
                         always_present: bool, compressed: bool, descriptor_offset: int, previous_end: int,
                         column: ColumnLayout, context: ErrorContext, dictionary: bool = False) -> int:
        # A dictionary-encoded column's values are its indices.
        name = "indices buffer" if dictionary and role == 2 else f"{ROLES[role]} buffer"
        if expected_length == 0 and not always_present:
            if not descriptor.is_absent:
                raise context.error("bufferLengthMismatch", f"{name} must be absent (all zero)",
                                    offset=descriptor_offset, expected="absent",
                                    found=f"offset {descriptor.offset} length {descriptor.stored_length}")
            return previous_end
        if not compressed and descriptor.decoded_length != descriptor.stored_length:
            raise context.error("bufferLengthMismatch", f"{name} has a decoded length unlike its stored length",
                                offset=descriptor_offset + 16, expected=descriptor.stored_length,
                                found=descriptor.decoded_length)
        if expected_length is not None and descriptor.decoded_length != expected_length:
            raise context.error("bufferLengthMismatch", f"{name} length does not match the row count",
                                offset=descriptor_offset + (16 if compressed else 8), expected=expected_length,
                                found=descriptor.decoded_length)
        if descriptor.decoded_length == 0:
            if descriptor.offset != 0 or descriptor.stored_length != 0 or descriptor.checksum != 0:
                raise context.error("bufferLengthMismatch", f"empty {name} must have offset 0 and checksum 0",
                                    offset=descriptor_offset, expected="offset 0",
                                    found=f"offset {descriptor.offset}")
            return previous_end
        end = self._validate_place(descriptor, name, descriptor_offset, previous_end, context)
        if compressed:
            column.chunk_indexes[role] = ChunkIndex(self.buf, descriptor.offset, descriptor.stored_length,
                                                    descriptor.decoded_length, context)
        return end

    def _validate_place(self, descriptor: Descriptor, name: str, descriptor_offset: int, previous_end: int,
                        context: ErrorContext) -> int:
        """A non-empty buffer's place (§7): inside the data region, aligned, after the previous buffer.
        Returns its end."""
        end = descriptor.offset + descriptor.stored_length
        if descriptor.offset < HEADER_LENGTH or end > U64_MAX or end > self.directory_offset:
            raise context.error(
                "bufferOutOfBounds", f"{name} lies outside the data region", offset=descriptor_offset,
                expected=f"within bytes {HEADER_LENGTH}..<{self.directory_offset}",
                found=f"offset {descriptor.offset} length {descriptor.stored_length}")
        if descriptor.offset % BUFFER_ALIGNMENT:
            raise context.error("misalignedBuffer", f"{name} is not 64-byte aligned", offset=descriptor_offset,
                                expected="a multiple of 64", found=descriptor.offset)
        if descriptor.offset < previous_end:
            raise context.error("overlappingBuffers", f"{name} overlaps the previous buffer",
                                offset=descriptor_offset, expected=f"offset at least {previous_end}",
                                found=descriptor.offset)
        return end

    # -- §5.3, step 15 --------------------------------------------------------------------

    def _validate_name_index(self, names: List[bytes]) -> None:
        """Step 15: every entry names a column and the names strictly increase (which also proves the
        index a permutation). ``names`` are every column's checked name, in directory order."""
        count = self.column_count
        if count == 0:
            return
        entries = struct.unpack_from(f"<{count}I", self.buf, self.directory_offset + self.name_index_offset)
        previous: Optional[bytes] = None
        for position, index in enumerate(entries):
            if index >= count:
                raise self._bad_entry(position, index)
            name = names[index]
            if previous is not None and not previous < name:
                raise self._unsorted_names(position)
            previous = name

    def _bad_entry(self, position: int, index: int) -> ColFileError:
        return self._context.error("badNameIndex", "name index entry is not a column",
                                   offset=self._name_index_entry_offset(position), expected=f"below {self.column_count}",
                                   found=index)

    def _unsorted_names(self, position: int) -> ColFileError:
        return self._context.error("badNameIndex", "column names are not unique and sorted in the name index",
                                   offset=self._name_index_entry_offset(position))

    def _name_index_entry_offset(self, position: int) -> int:
        return self.directory_offset + self.name_index_offset + position * 4

    def column_index(self, name: str) -> Optional[int]:
        """The index of the column named ``name``, or None when there is none.

        A binary search of the name index that checks what it visits (§9, "On a lookup by name"):
        each entry names a column, that column's name passes step 14.1, and each name lies strictly
        between the names of the entries that bound the search so far. A lookup that finds no column
        checks every name and the whole index first (:meth:`check_names`), so that "no such column" is
        never the answer of an index out of order. O(log columns) the first time a name is found,
        O(1) after, and O(1) for every name once the names were listed.

        Raises
        ------
        ColFileError
            ``badNameIndex`` or ``badColumnName`` for what the search visits, or for any name or entry
            when it finds no column.
        """
        found = self._found.get(name)
        if found is not None:
            return found
        names = self._names_outcome
        if isinstance(names, list):  # every name and the index checked: a table answers
            if self._by_name is None:
                self._by_name = {checked: index for index, checked in enumerate(names)}
            return self._by_name.get(name)
        try:
            key = name.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: no column's name (names are valid UTF-8)
            key = None
        index = self._search(key) if key is not None else None
        if index is None:
            self.check_names()
            return None
        self._found[name] = index
        return index

    def _search(self, key: bytes) -> Optional[int]:
        count = self.column_count
        base = self.directory_offset + self.name_index_offset
        low, high = 0, count
        # The names of the entries at ``low - 1`` and ``high``, once the search has visited them.
        below: Optional[bytes] = None
        above: Optional[bytes] = None
        while low < high:
            middle = (low + high) // 2
            index = _U32.unpack_from(self.buf, base + middle * 4)[0]
            if index >= count:
                raise self._bad_entry(middle, index)
            candidate = self._check_name(index)
            if (below is not None and not below < candidate) or (above is not None and not candidate < above):
                raise self._unsorted_names(middle)
            if candidate < key:
                low, below = middle + 1, candidate
            elif candidate > key:
                high, above = middle, candidate
            else:
                return index
        return None


class FirstUseColumns:
    """The columns of a :class:`Layout` as a read-only sequence: an item is checked on its first use
    (:meth:`Layout.column`); iterating checks every name and the name index first, then each record
    in directory order (the order ``verify()`` meets errors in, §9)."""

    __slots__ = ("_layout",)

    def __init__(self, layout: Layout) -> None:
        self._layout = layout

    def __len__(self) -> int:
        return self._layout.column_count

    def __getitem__(self, index: int) -> ColumnLayout:
        return self._layout.column(index)

    def __iter__(self) -> Iterator[ColumnLayout]:
        self._layout.check_columns()
        for index in range(self._layout.column_count):
            yield self._layout.column(index)



def u32(value: int) -> bytes:
    return _U32.pack(value)


def u64(value: int) -> bytes:
    return _U64.pack(value)


def encode_header(minor: int, file_id: bytes, directory_offset: int, directory_length: int,
                  directory_crc: int) -> bytes:
    """The 64-byte header of §3, its CRC-32 included."""
    body = struct.pack("<8sHHIII16sQQI", MAGIC, MAJOR_VERSION, minor, HEADER_LENGTH, 0, 0, file_id,
                       directory_offset, directory_length, directory_crc)
    return body + u32(crc32(body))


def encode_trailer(directory_offset: int, directory_length: int, directory_crc: int) -> bytes:
    """The 32-byte trailer of §4."""
    return _TRAILER.pack(directory_offset, directory_length, directory_crc, 0, END_MAGIC)


def encode_chunk_index(chunk_size: int, entries) -> bytes:
    """The chunk index of §13.2 for ``entries`` of (offset, compressed length, decoded length, crc)."""
    parts = [_CHUNK_HEADER.pack(CHUNK_MAGIC, len(entries), chunk_size, 0)]
    parts.extend(_CHUNK_ENTRY.pack(*entry) + b"\0\0\0\0" for entry in entries)
    return b"".join(parts)
