"""The one exception type of colfile, with the Swift library's codes and message texts."""

from __future__ import annotations

import os
from typing import Any, Optional

__all__ = ["ColFileError", "CODES"]

#: Every error code, in the order of the Swift library's ``ColFileError.Code`` (the codes of
#: bad-file conditions follow the checking order of Specification.md §9).
CODES = (
    "unsupportedHost",
    "io",
    "notARegularFile",
    "fileChanged",
    "truncated",
    "trailingBytes",
    "badMagic",
    "unsupportedMajorVersion",
    "badHeader",
    "headerChecksumMismatch",
    "unsupportedFeatures",
    "badDirectoryLocation",
    "badTrailer",
    "directoryChecksumMismatch",
    "badDirectory",
    "badMetadata",
    "badColumnName",
    "unknownPhysicalType",
    "unsupportedCodec",
    "badColumnType",
    "logicalTypeMismatch",
    "rowCountMismatch",
    "badNullCount",
    "bufferLengthMismatch",
    "bufferOutOfBounds",
    "misalignedBuffer",
    "overlappingBuffers",
    "badOffsets",
    "offsetsNotIncreasing",
    "badNameIndex",
    "badChunkIndex",
    "chunkOutOfRange",
    "overlappingChunks",
    "chunkGap",
    "corruptChunk",
    "chunkLengthMismatch",
    "chunkChecksumMismatch",
    "decodeLimitExceeded",
    "wouldDecode",
    "codecUnavailable",
    "bufferChecksumMismatch",
    "invalidUTF8",
    "badDictionaryIndex",
    "noSuchColumn",
    "typeMismatch",
    "invalidArgument",
    "unsealedDraft",
    "sealedDraft",
    "draftBusy",
    "badDraftHeader",
    "badDraftLayout",
    "draftIncomplete",
    "badManifest",
    "shardMismatch",
    "versionConflict",
)


class ColFileError(Exception):
    """Every failure to read, validate or write a colfile file.

    Parameters
    ----------
    code : str
        What went wrong: one of :data:`CODES`, the raw values of the Swift library's
        ``ColFileError.Code`` (stable; scripts may match them).
    path : str
        The file the error is about.
    column : str, optional
        The column the error is about, when there is one.
    message : str
        One phrase that says what is wrong, without the file, column or offset.
    chunk : int, optional
        The chunk of a compressed buffer the error is about.
    offset : int, optional
        The byte offset in the file where the problem was found.
    expected, found : object, optional
        The value the format requires and the value found, when the error compares two values.
    errno : int, optional
        The system error number, for code ``"io"``.

    Notes
    -----
    ``str(error)`` is one sentence, identical to the Swift library's description::

        PATH: column 'NAME': chunk C: MESSAGE at offset N (expected E, found F): STRERROR (errno N)

    (the parts without a value are left out). :attr:`description` is the same text and
    :attr:`detail` the text after ``PATH: ``, which is what ``Fixtures/broken/catalog.json``
    calls the message.
    """

    def __init__(
        self,
        code: str,
        path: str,
        column: Optional[str] = None,
        message: str = "",
        *,
        chunk: Optional[int] = None,
        offset: Optional[int] = None,
        expected: Any = None,
        found: Any = None,
        errno: Optional[int] = None,
    ) -> None:
        if code not in CODES:
            raise ValueError(f"unknown colfile error code {code!r}")
        self.code = code
        self.path = path
        self.column = column
        self.message = message
        self.chunk = chunk
        self.offset = offset
        self.expected = None if expected is None else str(expected)
        self.found = None if found is None else str(found)
        self.errno = errno
        super().__init__(self.description)

    @property
    def detail(self) -> str:
        """The description after its leading ``PATH: ``."""
        text = ""
        if self.column is not None:
            text += f"column '{self.column}': "
        if self.chunk is not None:
            text += f"chunk {self.chunk}: "
        text += self.message
        if self.offset is not None:
            text += f" at offset {self.offset}"
        if self.expected is not None and self.found is not None:
            text += f" (expected {self.expected}, found {self.found})"
        elif self.expected is not None:
            text += f" (expected {self.expected})"
        elif self.found is not None:
            text += f" (found {self.found})"
        if self.errno is not None:
            text += f": {os.strerror(self.errno)} (errno {self.errno})"
        return text

    @property
    def description(self) -> str:
        """One sentence: ``PATH: column 'NAME': chunk C: MESSAGE at offset N (expected E, found F)``."""
        return f"{self.path or '<memory>'}: {self.detail}"

    def __str__(self) -> str:
        return self.description

    def __repr__(self) -> str:
        return f"ColFileError({self.code!r}, {self.description!r})"

    def __reduce__(self):  # picklable across processes (multiprocessing, concurrent.futures)
        return (
            _rebuild,
            (self.code, self.path, self.column, self.message, self.chunk, self.offset,
             self.expected, self.found, self.errno),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ColFileError):
            return NotImplemented
        return self.__reduce__()[1] == other.__reduce__()[1]

    __hash__ = Exception.__hash__


def _rebuild(code, path, column, message, chunk, offset, expected, found, errno):
    return ColFileError(code, path, column, message, chunk=chunk, offset=offset,
                        expected=expected, found=found, errno=errno)


class ErrorContext:
    """The file (and column) being parsed or written, to build :class:`ColFileError` tersely."""

    __slots__ = ("path", "column")

    def __init__(self, path: str, column: Optional[str] = None) -> None:
        self.path = path
        self.column = column

    def error(self, code: str, message: str, *, chunk=None, offset=None, expected=None,
              found=None, errno=None) -> ColFileError:
        return ColFileError(code, self.path, self.column, message, chunk=chunk, offset=offset,
                            expected=expected, found=found, errno=errno)

    def about(self, column: str) -> "ErrorContext":
        return ErrorContext(self.path, column)


def hex32(value: int) -> str:
    """``0x`` and eight lowercase hex digits, the way checksums and flags appear in errors."""
    return f"0x{value:08x}"
