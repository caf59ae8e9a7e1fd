"""The shared cache of decoded cold columns (Specification.md §13.4), byte for byte as the Swift library.

Each entry is one column's decoded buffers, written once per machine and mapped ``MAP_SHARED`` by
every reader, Swift or Python: the folder, the entry names, the header page, the trust checks, the
``flock`` on ``ENTRY.lock`` and the temporary file renamed into place are those of the Swift
library's ``DecodeCache.swift`` and ``CacheEntryHeader.swift``; so is the size limit (the Swift
library's ``CacheSizeLimit.swift``): a reader marks an entry used when it maps it, and after writing
an entry removes the least recently used others until the folder's entries fit the limit.
"""

from __future__ import annotations

import errno as errno_module
import fcntl
import mmap
import os
import stat
import struct
import threading
import time
from typing import List, Optional, Sequence, Set, Tuple

from ._errors import ColFileError, ErrorContext, hex32
from ._files import TemporaryFile, write_all
from ._format import ROLES, crc32

ENTRY_MAGIC = b"COLFDCOL"
ENTRY_VERSION = 1  # §13.4: columns of up to three buffers
DICTIONARY_ENTRY_VERSION = 2  # §13.4: dictionary-encoded columns, five buffer slots
ENTRY_HEADER_LENGTH = 124  # the most bytes of the header page that carry data (92 in version 1)
HEADER_PAGE = 4096  # §13.4: the header page, and the alignment of each decoded buffer
ENTRY_SUFFIX = ".colcache"
STAGING = 4 << 20
MAX_SIZE_VARIABLE = "COLFILE_CACHE_MAX_SIZE"
FILE_SYSTEM_SHARE_DIVISOR = 10  # §13.4: by default a cache takes at most a tenth of its file system
USED_MARK_INTERVAL = 60  # seconds: a mapped entry last marked used this long ago is marked again
TRIMMED_SHARE = 0.9  # a reader's trim leaves the entries at most this share of the limit
LISTING_LIFETIME = 10.0  # seconds a reader reuses its last listing of a folder (plus what it wrote since)
_UNIT_SHIFTS = {"k": 10, "m": 20, "g": 30, "t": 40}
_INT_MAX = (1 << 63) - 1

Location = Optional[Tuple[int, int]]  # (offset, length) of a decoded buffer in the decoded copy


class DecodedLayout:
    """Where a cold column's decoded buffers go: a 4096-byte header page, then each buffer at a
    multiple of 4096 (§13.4); the same layout serves cache entries and private copies.

    Parameters
    ----------
    buffers : sequence of (role, decoded length)
        The column's buffers as ``ColumnInfo.buffers`` lists them (present ones, and values always).
    dictionary : bool
        Whether the column is dictionary-encoded: its entry header has five buffer slots (layout
        version 2) instead of three.
    """

    def __init__(self, buffers: Sequence[Tuple[int, int]], dictionary: bool = False) -> None:
        self.dictionary = dictionary
        self.locations: List[Location] = [None] * (5 if dictionary else 3)
        position = HEADER_PAGE
        for role, length in buffers:
            self.locations[role] = (position, length)
            position += -(-length // HEADER_PAGE) * HEADER_PAGE
        self.total_length = position


def encode_entry_header(file_id: bytes, directory_crc: int, column_index: int, layout: DecodedLayout) -> bytes:
    """The data bytes of an entry's header page, its CRC-32 included: 92 in layout version 1, 124 in
    version 2 (a dictionary-encoded column's five buffer slots)."""
    version = DICTIONARY_ENTRY_VERSION if layout.dictionary else ENTRY_VERSION
    body = ENTRY_MAGIC + struct.pack("<II16sII", version, column_index, file_id, directory_crc, 0)
    for location in layout.locations:
        offset, length = location if location is not None else (0, 0)
        body += struct.pack("<QQ", offset, length)
    return body + struct.pack("<I", crc32(body))


def _parse_entry_header(data: bytes) -> Optional[Tuple[bytes, int, int, Tuple[Tuple[int, int], ...]]]:
    """(file id, directory CRC, column index, buffers) of a well-formed header, else None."""
    if len(data) < 92 or data[:8] != ENTRY_MAGIC:
        return None
    version, column_index = struct.unpack_from("<II", data, 8)
    if version not in (ENTRY_VERSION, DICTIONARY_ENTRY_VERSION):
        return None
    slots = 5 if version == DICTIONARY_ENTRY_VERSION else 3
    checksum_offset = 40 + 16 * slots
    if len(data) < checksum_offset + 4 or struct.unpack_from("<I", data, checksum_offset)[0] != crc32(
            data[:checksum_offset]):
        return None
    file_id = bytes(data[16:32])
    directory_crc = struct.unpack_from("<I", data, 32)[0]
    buffers = tuple(struct.unpack_from("<QQ", data, 40 + 16 * role) for role in range(slots))
    return file_id, directory_crc, column_index, buffers


def default_folder() -> str:
    """``$COLFILE_CACHE_DIR``, else ``$XDG_CACHE_HOME/colfile``, else ``$HOME/.cache/colfile``, else
    ``/tmp/colfile-cache-UID`` (as the Swift library)."""
    explicit = os.environ.get("COLFILE_CACHE_DIR", "")
    if explicit:
        return explicit
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg.startswith("/"):
        return xdg + "/colfile"
    home = os.environ.get("HOME", "")
    if home.startswith("/"):
        return home + "/.cache/colfile"
    return f"/tmp/colfile-cache-{os.geteuid()}"


def parse_size(text: str) -> Optional[int]:
    """The bytes ``text`` names: decimal digits, then nothing or one of K, M, G, T (either case)
    for KiB, MiB, GiB, TiB (``"1048576"``, ``"512M"``, ``"20g"``); None for anything else or a
    number past 2**63 - 1 (as the Swift library's ``CacheSizeLimit.bytes(parsing:)``)."""
    digits, shift = text, 0
    if digits and digits[-1].lower() in _UNIT_SHIFTS:
        digits, shift = digits[:-1], _UNIT_SHIFTS[digits[-1].lower()]
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    size = int(digits) << shift
    return size if size <= _INT_MAX else None


def size_limit(folder: str, given: Optional[int] = None) -> Optional[int]:
    """The most bytes the entries in ``folder`` may take together (§13.4): ``given`` when not None,
    else ``$COLFILE_CACHE_MAX_SIZE`` when it is a size, else a tenth of the file system holding the
    folder; None when none applies (the folder cannot be measured): the cache is then not trimmed."""
    if given is not None:
        return int(given)
    parsed = parse_size(os.environ.get(MAX_SIZE_VARIABLE, ""))
    if parsed is not None:
        return parsed
    try:
        info = os.statvfs(folder)
    except OSError:
        return None
    return info.f_blocks * info.f_frsize // FILE_SYSTEM_SHARE_DIVISOR


def cache_entries(folder: str) -> List[Tuple[str, int, int]]:
    """The entries in ``folder`` as (path, bytes, last use in ns), least recently used first (ties by
    path); regular files only, and none of those removed while the folder is listed."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    entries = []
    for name in names:
        if not name.endswith(ENTRY_SUFFIX):
            continue
        path = f"{folder}/{name}"
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            continue
        if stat.S_ISREG(status.st_mode):
            entries.append((path, status.st_size, status.st_mtime_ns))
    entries.sort(key=lambda entry: (entry[2], entry[0]))
    return entries


def trim(folder: str, max_bytes: int, keep: Optional[str] = None) -> List[str]:
    """Removes the least recently used entries of ``folder`` but ``keep`` until the entries left
    take at most ``max_bytes`` together; returns the paths removed (not those another process
    removed first). Readers that mapped a removed entry keep reading it."""
    return _trim_listed(cache_entries(folder), max_bytes, keep)[0]


def _trim_listed(entries: List[Tuple[str, int, int]], max_bytes: int,
                 keep: Optional[str]) -> Tuple[List[str], int]:
    """Removes the least recently used of ``entries`` (as :func:`cache_entries` lists them) but
    ``keep`` until the rest take at most ``max_bytes``: the paths removed, and the bytes left."""
    total = sum(size for _, size, _ in entries)
    removed = []
    for path, size, _ in entries:
        if total <= max_bytes:
            break
        if path == keep:
            continue
        try:
            os.unlink(path)
            removed.append(path)
        except FileNotFoundError:
            pass
        total -= size
    return removed, total


_listings_lock = threading.Lock()
#: This process's last listing of each folder it wrote an entry into: (bytes, time.monotonic()).
_listings: dict = {}


def _make_folders(folder: str) -> None:
    """``mkdir -p`` with mode 0700 for the folders it creates."""
    path = "" if folder.startswith("/") else "."
    for part in folder.split("/"):
        if not part:
            continue
        path += "/" + part
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass


def _folder_ownership(folder: str):
    status = os.lstat(folder)
    return status.st_uid, stat.S_IMODE(status.st_mode), stat.S_ISDIR(status.st_mode)


_verified_lock = threading.Lock()
#: Entries this process has checked (path, device, inode, size): each is checked once per process.
_verified: Set[Tuple[str, int, int, int]] = set()


def forget_checked_entries() -> None:
    """Forgets which entries this process checked, so the next reader checks them again (benchmarks)."""
    with _verified_lock:
        _verified.clear()


class CacheFallback(UserWarning):
    """A cold column decoded into private memory because the shared decode cache could not be used
    (issue 17): its folder cannot be created, is not a folder, is not ours or is writable by others,
    or an entry cannot be written (``ENOSPC``, ``EDQUOT``, ``EROFS``, ``EACCES`` …). The read does
    not fail and no partial entry is left. Listed by :attr:`Reader.cache_fallbacks` and issued once
    per place through :mod:`warnings` (filter or record it there).

    Attributes
    ----------
    path, column, folder : str
        The source file, the column, the cache folder.
    reason : str
        What went wrong.
    errno : int or None
        The system error behind it (``errno.ENOSPC`` …), if any.
    """

    def __init__(self, path: str, column: str, folder: str, reason: str, errno: Optional[int] = None) -> None:
        self.path, self.column, self.folder, self.reason, self.errno = path, column, folder, reason, errno
        cause = reason if errno is None else f"{reason}: {os.strerror(errno)} (errno {errno})"
        super().__init__(f"{path}: column '{column}': decoded in private memory: "
                         f"the decode cache {folder} cannot be used ({cause})")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CacheFallback) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class Unusable(Exception):
    """Why the cache cannot be used for one column (internal: the reader turns it into a
    :class:`CacheFallback` and decodes privately; never raised out of the package)."""

    def __init__(self, folder: str, reason: str, errno: Optional[int] = None) -> None:
        super().__init__(reason)
        self.folder, self.reason, self.errno = folder, reason, errno


class DecodeCache:
    """The cache folder; :meth:`open` raises :class:`Unusable` when it cannot be used safely."""

    def __init__(self, folder: str, max_bytes: Optional[int] = None) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    @classmethod
    def open(cls, folder: Optional[str], max_bytes: Optional[int] = None) -> "DecodeCache":
        """The cache in ``folder`` (or the default folder), created if missing, whose entries take
        at most ``max_bytes`` (None: :func:`size_limit`'s default) once a reader adds one.

        Raises
        ------
        Unusable
            When the folder is not creatable, not a folder (a link is not), not ours, or writable by
            group or others (the Swift library's reasons, in the same words).
        """
        folder = folder or default_folder()
        created = None
        try:
            _folder_ownership(folder)
        except OSError:
            try:
                _make_folders(folder)
            except OSError as error:
                created = error.errno
        try:
            owner, mode, is_folder = _folder_ownership(folder)
        except OSError:
            raise Unusable(folder, "cannot create the folder", created) from None
        if not is_folder:
            raise Unusable(folder, "not a folder")
        if owner != os.geteuid():
            raise Unusable(folder, f"owned by user {owner}, not by this user ({os.geteuid()})")
        if mode & 0o022:
            raise Unusable(folder, "writable by group or others")
        return cls(folder, max_bytes)

    def entry_path(self, file_id: bytes, directory_crc: int, column_index: int) -> str:
        """``FOLDER/FILEID-DIRCRC-COLUMN.colcache``."""
        return f"{self.folder}/{file_id.hex()}-{directory_crc:08x}-{column_index}{ENTRY_SUFFIX}"

    def entry(self, reader_path: str, column_name: str, file_id: bytes, directory_crc: int, column_index: int,
              layout: DecodedLayout, checksums: Sequence[Tuple[int, int]], decode) -> Tuple[mmap.mmap, str]:
        """The decoded column: mapped from a trusted entry (``"mapped"``), or decoded now into a new
        entry (``"decoded"``).

        Parameters
        ----------
        checksums : sequence of (role, CRC-32, stored offset)
            The decoded CRC-32 of every buffer with bytes, from the source's directory, and where the
            buffer is stored in the source (for errors).
        decode : callable
            ``decode(role, write)`` decodes buffer ``role`` in order, calling ``write(bytes)`` with
            consecutive pieces of at most a few MiB.

        Raises
        ------
        ColFileError
            The decoding errors; ``bufferChecksumMismatch`` when the entry just decoded does not have
            the directory's CRC-32s (the file's compressed bytes decode to other bytes than its
            directory says: the entry is removed, and the file is bad whatever the cache, as
            verification says); ``io``.
        Unusable
            When the entry cannot be locked or written (``ENOSPC``, ``EDQUOT``, ``EROFS``, ``EACCES``
            …): the temporary file is discarded and the lock file removed, nothing of the entry is
            left; the caller decodes privately.
        """
        path = self.entry_path(file_id, directory_crc, column_index)
        header = (file_id, directory_crc, column_index,
                  tuple(location if location is not None else (0, 0) for location in layout.locations))
        region = self._existing(self._trusted(path, header, layout, checksums), path, reader_path, column_name)
        if region is not None:
            return region, "mapped"
        lock_path = path + ".lock"
        try:
            lock = self._lock(lock_path)
        except OSError as error:
            raise Unusable(self.folder, f"cannot lock the entry {lock_path}", error.errno) from None
        try:
            region = self._existing(self._trusted(path, header, layout, checksums), path, reader_path, column_name)
            if region is not None:
                return region, "mapped"
            try:
                self._write(path, encode_entry_header(file_id, directory_crc, column_index, layout), layout, decode)
            except OSError as error:
                raise Unusable(self.folder, f"cannot write the entry {path}", error.errno) from None
            except ColFileError as error:
                if error.code != "io":
                    raise
                raise Unusable(self.folder, f"{error.message} ({error.path})", error.errno) from None
            region = self._trusted(path, header, layout, checksums)
            if isinstance(region, OSError):
                raise _unmappable(path, reader_path, column_name, region)
            if isinstance(region, tuple):
                role, expected, actual, offset = region
                try:
                    os.unlink(path)
                except OSError:
                    pass
                raise ErrorContext(reader_path, column_name).error(
                    "bufferChecksumMismatch", f"{ROLES[role]} buffer checksum mismatch", offset=offset,
                    expected=hex32(expected), found=hex32(actual))
            if region is None:
                raise ColFileError("io", reader_path, column_name,
                                   f"the cache entry {path} just written does not check out")
            self._trim(path, layout.total_length)
            return region, "decoded"
        finally:
            # Removed while still held, so no lock file outlives the decode, whether it worked or not.
            try:
                os.unlink(lock_path)
            except OSError:
                pass
            os.close(lock)

    def _trim(self, keep: str, added: int) -> None:
        """Keeps the cache within its limit after this process wrote the entry ``keep`` of ``added``
        bytes: when the entries take more than the limit, removes the least recently used but
        ``keep`` until they take at most ``TRIMMED_SHARE`` of it. The folder is listed again only
        when the last listing plus what this process wrote since would pass the limit, or is older
        than ``LISTING_LIFETIME`` (as the Swift library). Failures are ignored: trimming never fails
        a read."""
        limit = size_limit(self.folder, self.max_bytes)
        if limit is None:
            return
        now = time.monotonic()
        with _listings_lock:
            listing = _listings.get(self.folder)
            if listing is not None and now - listing[1] < LISTING_LIFETIME and listing[0] + added <= limit:
                _listings[self.folder] = (listing[0] + added, listing[1])
                return
        try:
            entries = cache_entries(self.folder)
            left = sum(size for _, size, _ in entries)
            if left > limit:
                left = _trim_listed(entries, int(limit * TRIMMED_SHARE), keep)[1]
        except OSError:
            return
        with _listings_lock:
            _listings[self.folder] = (left, now)

    @staticmethod
    def _existing(found, path: str, reader_path: str, column_name: str) -> Optional[mmap.mmap]:
        """The region of an entry found before decoding: the trusted entry, None when it must be
        (re)written, or ``io`` when it is there but cannot be mapped (writing it again would not
        help)."""
        if isinstance(found, OSError):
            raise _unmappable(path, reader_path, column_name, found)
        return None if found is None or isinstance(found, tuple) else found

    @staticmethod
    def _lock(lock_path: str) -> int:
        """Opens ``lock_path`` (creating it) and takes an exclusive ``flock``; retries when the name
        no longer names the file locked (its holder removed it), so only one process holds it."""
        while True:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX)
                        break
                    except InterruptedError:  # pragma: no cover
                        continue
                held = os.fstat(fd)
                try:
                    named = os.stat(lock_path)
                    if named.st_dev == held.st_dev and named.st_ino == held.st_ino:
                        return fd
                except OSError:
                    pass
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)

    @staticmethod
    def _write(path: str, header: bytes, layout: DecodedLayout, decode) -> None:
        """Decodes into a temporary file beside ``path`` in large writes, then renames it into place."""
        temporary = TemporaryFile(path)
        try:
            fd = temporary.fd
            for role, location in enumerate(layout.locations):
                if location is None or location[1] == 0:
                    continue
                position = location[0]

                def write(piece, _fd=fd) -> None:
                    nonlocal position
                    write_all(_fd, piece, position)
                    position += len(piece)

                decode(role, write)
            os.ftruncate(fd, layout.total_length)
            # The whole header page: the header, then zeros (§13.4).
            write_all(fd, header + bytes(HEADER_PAGE - len(header)), 0)
            temporary.publish(durable=False)
        except BaseException:
            temporary.discard()
            raise

    @staticmethod
    def _trusted(path: str, header, layout: DecodedLayout, checksums):
        """The entry at ``path`` mapped, if every check of a trusted entry passes; a tuple (role,
        expected CRC-32, actual CRC-32, stored offset) when it is of this source and layout but a
        buffer's CRC-32 is not the directory's; the ``OSError`` of ``mmap`` when it is ours and of
        the right size but cannot be mapped; else None."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        except OSError:
            return None
        try:
            status = os.fstat(fd)
            if (not stat.S_ISREG(status.st_mode) or status.st_uid != os.geteuid()
                    or stat.S_IMODE(status.st_mode) & 0o022 or status.st_size != layout.total_length):
                return None
            try:
                region = mmap.mmap(fd, status.st_size, access=mmap.ACCESS_READ)
            except OSError as error:
                return error
            except ValueError:
                return None
            if _parse_entry_header(region[:ENTRY_HEADER_LENGTH]) != header:
                region.close()
                return None
            _mark_used(fd, status)
        finally:
            os.close(fd)
        key = (path, status.st_dev, status.st_ino, status.st_size)
        with _verified_lock:
            if key in _verified:
                return region
        mismatch = None
        with memoryview(region) as view:
            for role, checksum, stored_offset in checksums:
                offset, length = layout.locations[role]
                with view[offset:offset + length] as piece:
                    actual = crc32(piece)
                if actual != checksum:
                    mismatch = (role, checksum, actual, stored_offset)
                    break
        if mismatch is None:
            with _verified_lock:
                _verified.add(key)
            return region
        region.close()
        return mismatch


__all__ = ["DecodeCache", "DecodedLayout", "default_folder", "forget_checked_entries", "errno_module", "parse_size",
           "size_limit", "cache_entries", "trim"]


def _mark_used(fd: int, status: os.stat_result) -> None:
    """Sets the entry's times to now when it was last marked used ``USED_MARK_INTERVAL`` seconds
    ago or more (not on every mapping: that would write its inode each time); failures are ignored."""
    if int(time.time()) - status.st_mtime_ns // 1_000_000_000 >= USED_MARK_INTERVAL:
        try:
            os.utime(fd)
        except OSError:
            pass


def _unmappable(path: str, reader_path: str, column_name: str, error: OSError) -> ColFileError:
    """The error for an entry ``mmap`` refused (``ENOMEM``: the address space limit, or
    ``vm.max_map_count`` mappings already held by the process)."""
    return ColFileError("io", reader_path, column_name, f"cannot map the cache entry {path}", errno=error.errno)
