"""Descriptions of a file's columns and buffers (what ``colfile inspect --json`` prints)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

import numpy as np

from ._errors import ColFileError
from ._format import PHYSICAL_TYPES, ROLES


@dataclass(frozen=True)
class BufferInfo:
    """One buffer of a column as stored in the file (Specification.md §5.2).

    Attributes
    ----------
    role : str
        ``"validity"``, ``"offsets"`` or ``"values"``.
    offset : int
        Absolute offset of the stored bytes in the file.
    stored_length : int
        Bytes the buffer occupies in the file.
    decoded_length : int
        Bytes of the buffer's content once decoded (equal to ``stored_length`` without a codec).
    checksum : int
        CRC-32 of the buffer's (decoded) content.
    chunk_size, chunk_count : int
        For a compressed buffer, the decoded size of its chunks and their number; else 0.
    """

    role: str
    offset: int
    stored_length: int
    decoded_length: int
    checksum: int
    chunk_size: int = 0
    chunk_count: int = 0

    def to_dict(self) -> Dict[str, Any]:
        """The buffer as ``colfile inspect --json`` spells it."""
        result: Dict[str, Any] = {
            "role": self.role,
            "offset": self.offset,
            "storedLength": self.stored_length,
            "decodedLength": self.decoded_length,
            "checksum": f"{self.checksum:08x}",
        }
        if self.chunk_count > 0:
            result["chunkCount"] = self.chunk_count
            result["chunkSize"] = self.chunk_size
        return result


@dataclass(frozen=True)
class DictionaryInfo:
    """How a dictionary-encoded column stores its rows (Specification.md §6.4): each row an index of
    ``index_type`` into ``entry_count`` values of ``value_type`` stored once.

    Attributes
    ----------
    index_type : str
        ``"Int8"``, ``"Int16"`` or ``"Int32"`` (signed; a null row's index is -1).
    value_type : str
        The dictionary's physical type: ``"String"``, ``"Binary"``, ``"Float64"`` …
    entry_count : int
        The number of dictionary entries N.
    """

    index_type: str
    value_type: str
    entry_count: int

    def to_dict(self) -> Dict[str, Any]:
        """As ``colfile inspect --json`` spells it."""
        return {"indexType": self.index_type, "valueType": self.value_type, "entryCount": self.entry_count}


@dataclass(frozen=True)
class ColumnInfo:
    """Everything the directory says about one column.

    Attributes
    ----------
    name : str
        The column's name.
    index : int
        Its position in the directory (and in the file).
    physical_type : str
        How values are laid out: ``"Int8"`` … ``"Float64"``, ``"Bool"``, ``"String"``,
        ``"LargeString"``, ``"Binary"``, ``"LargeBinary"`` (Specification.md §6.1),
        ``"Dictionary"`` for a dictionary-encoded column (see :attr:`dictionary`), or ``"unknown"``
        for a code this reader does not know (the column is then :attr:`unreadable`).
    logical_type : str
        What values mean: ``"none"``, ``"Date"``, ``"Timestamp(ms)"``, ``"Timestamp(ms, UTC)"``, or
        ``"unknown(N)"`` for a code this reader does not know (§6.2).
    time_unit : str or None
        ``"s"``, ``"ms"``, ``"us"`` or ``"ns"`` for timestamps.
    time_zone : str or None
        The time zone of a timestamp column, if it has one.
    shape : tuple of int
        The shape of one row: ``()`` for a scalar column, ``(768,)`` for rows of 768 values.
    row_count, null_count : int
        Rows, and null rows.
    nullable : bool
        Whether the column has a validity bitmap (it may still have 0 nulls).
    codec : str
        ``"none"``, or ``"zstd"`` or ``"zlib"`` for a cold (compressed) column (§13); ``"unknown"``
        for a codec this reader does not know (the column is then :attr:`unreadable`).
    buffers : tuple of BufferInfo
        The column's buffers in file order (absent ones left out, except values and, for a
        dictionary-encoded column, its dictionary's values).
    dictionary : DictionaryInfo or None
        For a dictionary-encoded column, its index type, value type and entry count; else None.
    metadata : dict
        The column's key/value metadata.
    unreadable : ColFileError or None
        None for a column this reader can read. For a column whose physical type or codec this
        version does not know (Specification.md §9 step 14.2), the error (``unknownPhysicalType`` or
        ``unsupportedCodec``) that asking for its values raises; the rest of the file stays readable,
        and only the row count, null count, metadata and buffer placement of such a column were
        checked.
    """

    name: str
    index: int
    physical_type: str
    logical_type: str
    time_unit: Optional[str]
    time_zone: Optional[str]
    shape: Tuple[int, ...]
    row_count: int
    null_count: int
    nullable: bool
    codec: str
    buffers: Tuple[BufferInfo, ...]
    metadata: Dict[str, str] = field(default_factory=dict)
    logical_type_code: int = 0
    unreadable: Optional[ColFileError] = None
    dictionary: Optional[DictionaryInfo] = None

    @property
    def value_type(self) -> str:
        """The type of a row's value: the dictionary's value type, or :attr:`physical_type`."""
        return self.dictionary.value_type if self.dictionary is not None else self.physical_type

    @property
    def stored_bytes(self) -> int:
        """Bytes the column occupies in the file."""
        return sum(buffer.stored_length for buffer in self.buffers)

    @property
    def raw_bytes(self) -> int:
        """Bytes of the column's content once decoded."""
        return sum(buffer.decoded_length for buffer in self.buffers)

    @property
    def is_compressed(self) -> bool:
        """Whether reading the column needs decoding (a cold column)."""
        return self.codec != "none"

    @property
    def values_per_row(self) -> int:
        """Values in one row: the product of ``shape`` (1 for scalar columns)."""
        product = 1
        for dimension in self.shape:
            product *= dimension
        return product

    @property
    def dtype(self) -> Optional[np.dtype]:
        """The NumPy dtype of the values view: little-endian ints and floats, ``datetime64[unit]`` for
        timestamps, ``bool`` for Bool (unpacked), None for strings, binary, dictionary-encoded and
        unreadable columns."""
        code = _CODES.get(self.physical_type)
        if code is None or self.unreadable is not None or self.dictionary is not None:
            return None
        numpy_type = PHYSICAL_TYPES[code][3]
        if self.logical_type_code == 1 and self.time_unit is not None:
            return np.dtype(f"datetime64[{self.time_unit}]")
        if numpy_type is not None:
            return np.dtype(numpy_type)
        if self.physical_type == "Bool":
            return np.dtype(bool)
        return None

    def to_dict(self) -> Dict[str, Any]:
        """The column as ``colfile inspect --json`` spells it."""
        result: Dict[str, Any] = {
            "name": self.name,
            "index": self.index,
            "type": self.physical_type,
            "shape": list(self.shape),
            "nullable": self.nullable,
            "nullCount": self.null_count,
            "storedBytes": self.stored_bytes,
            "rawBytes": self.raw_bytes,
            "codec": self.codec,
            "compressionRatio": self.stored_bytes / self.raw_bytes if self.raw_bytes > 0 else 1.0,
            "metadata": dict(self.metadata),
            "buffers": [buffer.to_dict() for buffer in self.buffers],
        }
        if self.dictionary is not None:
            result["dictionary"] = self.dictionary.to_dict()
        if self.unreadable is not None:
            # A type or codec this version does not know (Specification.md §9 step 14.2).
            result["type"] = "unknown"
            result["codec"] = "unknown"
            result["unreadable"] = self.unreadable.message
        if self.logical_type_code == 0:
            result["logicalType"] = "none"
        elif self.logical_type_code == 2:
            result["logicalType"] = "Date"
        elif self.logical_type_code == 1:
            result["logicalType"] = "Timestamp"
            result["timeUnit"] = self.time_unit
            result["timeZone"] = self.time_zone
        else:
            result["logicalType"] = "unknown"
            result["logicalTypeCode"] = self.logical_type_code
        return result

    def __repr__(self) -> str:
        shape = f" shape={self.shape}" if self.shape else ""
        logical = "" if self.logical_type == "none" else f" {self.logical_type}"
        codec = "" if self.codec == "none" else f" codec={self.codec}"
        unreadable = "" if self.unreadable is None else f" unreadable: {self.unreadable.message}"
        return (f"<ColumnInfo {self.name!r} {self.physical_type}{logical}{shape} rows={self.row_count} "
                f"nulls={self.null_count}{codec}{unreadable}>")


_CODES = {name: code for code, (name, _, _, _) in PHYSICAL_TYPES.items()}

__all__ = ["BufferInfo", "ColumnInfo", "DictionaryInfo", "ROLES"]
