"""System calls the standard library does not wrap, and the atomic publish of Specification.md §11.

``linkat(AT_SYMLINK_FOLLOW)`` (to name an ``O_TMPFILE`` file), ``renameat2(RENAME_EXCHANGE)`` and
``fallocate(FALLOC_FL_KEEP_SIZE)`` come from libc through ctypes, as the Swift library's
``Syscalls.swift`` calls them.
"""

from __future__ import annotations

import ctypes
import errno as errno_module
import os
import secrets
import stat
from typing import Optional

from ._errors import ColFileError

_libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
AT_SYMLINK_FOLLOW = 0x400
RENAME_EXCHANGE = 1 << 1
FALLOC_FL_KEEP_SIZE = 1
TEMPORARY_MARKER = ".colfile-tmp-"

try:
    _linkat = _libc.linkat
    _linkat.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    _linkat.restype = ctypes.c_int
except AttributeError:  # pragma: no cover
    _linkat = None
try:
    _renameat2 = _libc.renameat2
    _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    _renameat2.restype = ctypes.c_int
except AttributeError:  # pragma: no cover - old libc
    _renameat2 = None
try:
    _fallocate = _libc.fallocate
    _fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
    _fallocate.restype = ctypes.c_int
except AttributeError:  # pragma: no cover
    _fallocate = None


def _retrying(call, *args) -> None:
    while True:
        if call(*args) == 0:
            return
        number = ctypes.get_errno()
        if number != errno_module.EINTR:
            raise OSError(number, os.strerror(number))


def link_unnamed(fd: int, path: str) -> None:
    """``linkat(AT_FDCWD, "/proc/self/fd/N", AT_FDCWD, path, AT_SYMLINK_FOLLOW)``: names an O_TMPFILE file."""
    if _linkat is None:  # pragma: no cover
        raise OSError(errno_module.ENOSYS, "linkat is not available")
    _retrying(_linkat, AT_FDCWD, f"/proc/self/fd/{fd}".encode(), AT_FDCWD, os.fsencode(path), AT_SYMLINK_FOLLOW)


def exchange(first: str, second: str) -> None:
    """``renameat2(…, RENAME_EXCHANGE)``: atomically swaps two names (EINVAL where impossible)."""
    if _renameat2 is None:  # pragma: no cover
        raise OSError(errno_module.ENOSYS, "renameat2 is not available")
    _retrying(_renameat2, AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)


def reserve(fd: int, offset: int, length: int) -> None:
    """``fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length)``; failures are ignored (writes report real ones)."""
    if _fallocate is not None and length > 0:
        _fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length)


def is_regular_file(path: str) -> bool:
    """``lstat``: whether ``path`` names a regular file (not a folder or a link)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def folder_of(path: str) -> str:
    """The folder holding ``path`` (``.`` for a bare name), as the Swift writer computes it."""
    slash = path.rfind("/")
    if slash < 0:
        return "."
    return "/" if slash == 0 else path[:slash]


def temporary_name(target: str) -> str:
    """A fresh temporary name beside ``target``: ``.NAME.colfile-tmp-PID-RANDOM`` (RANDOM in hex)."""
    name = [part for part in target.split("/") if part]
    base = name[-1] if name else target
    random = format(secrets.randbits(64), "x")
    return f"{folder_of(target)}/.{base}{TEMPORARY_MARKER}{os.getpid()}-{random}"


def open_unnamed(folder: str) -> int:
    """``open(folder, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644)``: a file that vanishes unless linked."""
    return os.open(folder, os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, 0o644)


def write_all(fd: int, data, offset: Optional[int] = None) -> None:
    """Writes every byte of ``data`` (at ``offset`` when given, else at the file position)."""
    view = memoryview(data).cast("B")
    written = 0
    total = len(view)
    while written < total:
        if offset is None:
            count = os.write(fd, view[written:])
        else:
            count = os.pwrite(fd, view[written:], offset + written)
        if count <= 0:  # pragma: no cover
            raise OSError(errno_module.EIO, "short write")
        written += count


#: What a file that is not a regular one is, in words (the Swift library's ``FileKind``).
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISLNK, "a symbolic link"),
)


def not_a_regular_file(path: str, mode: int) -> ColFileError:
    """The ``notARegularFile`` error for the file at ``path`` whose ``st_mode`` is ``mode``."""
    phrase = next((phrase for test, phrase in _KINDS if test(mode)), "a special file")
    return ColFileError("notARegularFile", path, None,
                        f"not a regular file but {phrase}; colfile files are regular files, read through a memory mapping")


def open_regular_file(path: str):
    """Opens ``path`` read-only without blocking (a FIFO would wait for a writer; a terminal could
    become the controlling one) and checks with ``fstat`` that it is a regular file, as the Swift
    reader does.

    Returns
    -------
    (int, os.stat_result)
        The open descriptor (the caller closes it) and its status.

    Raises
    ------
    ColFileError
        ``io`` when it cannot be opened; ``notARegularFile`` for a directory, FIFO, socket (which
        ``open`` refuses with ENXIO) or device.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        if error.errno == errno_module.ENXIO:
            try:
                mode = os.stat(path).st_mode
            except OSError:
                mode = stat.S_IFREG
            if not stat.S_ISREG(mode):
                raise not_a_regular_file(path, mode) from None
        raise ColFileError("io", path, None, "cannot open the file", errno=error.errno) from None
    try:
        status = os.fstat(fd)
    except OSError as error:
        os.close(fd)
        raise ColFileError("io", path, None, "cannot map the file", errno=error.errno) from None
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        raise not_a_regular_file(path, status.st_mode)
    return fd, status


class TemporaryFile:
    """A file being written next to its final path, published atomically or discarded (§11).

    Where the file system supports it the file is unnamed (``O_TMPFILE``): a killed process leaves
    nothing behind. Elsewhere (or when asked) it is named ``.NAME.colfile-tmp-PID-RANDOM`` in the
    target's folder, exactly as the Swift writer names it; ``colfile clean`` removes such leftovers.
    """

    def __init__(self, target: str, unnamed: bool = True) -> None:
        self.target = target
        self.folder = folder_of(target)
        self.named_path: Optional[str] = None
        self.is_open = True
        if unnamed:
            try:
                self.fd = open_unnamed(self.folder)
                return
            except OSError:
                pass
        path = temporary_name(target)
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise ColFileError("io", target, None, f"cannot create a temporary file in {self.folder}",
                               errno=error.errno) from None
        self.named_path = path

    def publish(self, durable: bool = True, replace: bool = True) -> None:
        """Renames the file over the target; with ``durable``, fsyncs the file before and the folder after.

        Without ``durable`` and with a regular file at the target, the two are swapped
        (``RENAME_EXCHANGE``) and the previous file removed, as the Swift library does (a plain
        rename over a file makes ext4 start writing the new one back before the rename returns).

        Without ``replace``, the file gets the target's name only if no file has it: the unnamed file
        is linked to it (``linkat``), a named one linked (``link``) and its temporary name removed;
        both fail with ``EEXIST`` when the name is taken (a dataset's manifests and shards, §14.5).
        """
        previous: Optional[str] = None
        try:
            if durable:
                os.fsync(self.fd)
            if not replace:
                if self.named_path is not None:
                    os.link(self.named_path, self.target)
                    os.unlink(self.named_path)
                else:
                    link_unnamed(self.fd, self.target)
                self.named_path = None
                self._close()
                self._sync_folder(durable)
                return
            if self.named_path is not None:
                source = self.named_path
            else:
                source = temporary_name(self.target)
                link_unnamed(self.fd, source)
                self.named_path = source
            swapped = False
            if not durable and is_regular_file(self.target):
                try:
                    exchange(source, self.target)
                    swapped = True
                except OSError as error:
                    if error.errno not in (errno_module.ENOENT, errno_module.EINVAL, errno_module.ENOSYS,
                                           errno_module.EOPNOTSUPP):
                        raise
            if swapped:
                if not is_regular_file(source):
                    # Something else (a folder) took the target's name meanwhile: swap back and fail.
                    exchange(source, self.target)
                    raise OSError(errno_module.EISDIR, os.strerror(errno_module.EISDIR))
                previous = source
            else:
                os.rename(source, self.target)
            self.named_path = None
        except OSError as error:
            raise ColFileError("io", self.target, None, "cannot publish the file", errno=error.errno) from None
        self._close()
        if previous is not None:
            try:
                os.unlink(previous)
            except OSError as error:
                raise ColFileError(
                    "io", self.target, None,
                    f"the file was published but the previous one could not be removed from {previous}",
                    errno=error.errno) from None
        self._sync_folder(durable)

    def _sync_folder(self, durable: bool) -> None:
        """Flushes the folder to disk after a publish, when ``durable``."""
        if not durable:
            return
        try:
            folder = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
        except OSError as error:
            raise ColFileError("io", self.target, None,
                               "the file was published but its folder could not be flushed to disk",
                               errno=error.errno) from None

    def discard(self) -> None:
        """Closes the file and removes any name it has; the target is untouched. Safe to call twice."""
        if self.named_path is not None:
            try:
                os.unlink(self.named_path)
            except OSError:
                pass
            self.named_path = None
        self._close()

    def _close(self) -> None:
        if self.is_open:
            self.is_open = False
            try:
                os.close(self.fd)
            except OSError:  # pragma: no cover
                pass

    def __del__(self) -> None:
        try:
            self.discard()
        except Exception:  # pragma: no cover
            pass


def open_scratch(folder: str, target: str) -> int:
    """An unnamed scratch file in ``folder`` (a named one, removed at once, where O_TMPFILE fails)."""
    try:
        return open_unnamed(folder)
    except OSError:
        pass
    name = temporary_name(target) + "-spill"
    try:
        fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise ColFileError("io", target, None, f"cannot create a scratch file in {folder}",
                           errno=error.errno) from None
    try:
        os.unlink(name)
    except OSError:  # pragma: no cover
        pass
    return fd


def copy_range(source: int, source_offset: int, destination: int, destination_offset: int, length: int) -> None:
    """Copies ``length`` bytes between files inside the kernel (``copy_file_range``, else ``sendfile``)."""
    copied = 0
    use_copy_file_range = hasattr(os, "copy_file_range")
    while copied < length:
        count = 0
        if use_copy_file_range:
            try:
                count = os.copy_file_range(source, destination, length - copied, source_offset + copied,
                                           destination_offset + copied)
            except OSError as error:
                if error.errno not in (errno_module.EXDEV, errno_module.ENOSYS, errno_module.EINVAL,
                                       errno_module.EOPNOTSUPP):
                    raise
                use_copy_file_range = False
                continue
        else:
            os.lseek(destination, destination_offset + copied, os.SEEK_SET)
            count = os.sendfile(destination, source, source_offset + copied, length - copied)
        if count <= 0:
            raise OSError(errno_module.EIO, "a scratch file was shorter than written")
        copied += count
