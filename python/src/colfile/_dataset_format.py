"""A dataset's names, schema and manifest (Specification.md §14.1–§14.3), as the Swift library's
``Sources/ColFile/Dataset/`` spells them: the same file names, the same canonical schema JSON, the
same manifest bytes, the same checks and error texts."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ._errors import ColFileError
from ._format import MAX_NAME_LENGTH, MAX_RANK, MAX_TENSOR_ROW_BYTES, MAX_TIME_ZONE_LENGTH, PHYSICAL_TYPES, TIME_UNITS

# §14.2: the manifest's metadata keys and columns.
LAYOUT_KEY = "colfile.dataset.layout"
LAYOUT_VERSION = "1"
VERSION_KEY = "colfile.dataset.version"
SCHEMA_KEY = "colfile.dataset.schema"
RESERVED_PREFIX = "colfile."
MANIFEST_COLUMNS = ("name", "rows", "bytes", "fileID", "directoryCRC")

# §14.1: the folder's names.
MANIFEST_PREFIX = "_manifest-"
MANIFEST_SUFFIX = ".col"
VERSION_DIGITS = 20
HINT_NAME = "_latest"
LOCK_NAME = "_lock"
MAX_SHARD_NAME_LENGTH = 255
MIN_FILE_BYTES = 96
MAX_VERSION = (1 << 63) - 1

_MANIFEST_NAME = re.compile(r"^_manifest-([0-9]{20})\.col$")
#: The kinds a schema's ``type`` names: types 1–12 by their §6.1 names, String and Binary for both widths.
KINDS = tuple(name for code, (name, _, _, _) in sorted(PHYSICAL_TYPES.items()) if code <= 13 or code == 15)
_KIND_OF = {"LargeString": "String", "LargeBinary": "Binary"}


def manifest_name(version: int) -> str:
    """``_manifest-00000000000000000042.col`` for version 42."""
    return f"{MANIFEST_PREFIX}{version:020d}{MANIFEST_SUFFIX}"


def version_of_manifest_name(name: str) -> Optional[int]:
    """The version a manifest's file name holds, or None when ``name`` is not a manifest's name."""
    match = _MANIFEST_NAME.match(name)
    if match is None:
        return None
    version = int(match.group(1))
    return version if 1 <= version <= MAX_VERSION else None


def version_spelled(text: str) -> Optional[int]:
    """The version 1 to 20 ASCII digits without a leading zero spell, if at most 2^63 − 1."""
    if not (1 <= len(text) <= VERSION_DIGITS) or not all("0" <= c <= "9" for c in text) or text[0] == "0":
        return None
    version = int(text)
    return version if version <= MAX_VERSION else None


def shard_name_problem(name: str) -> Optional[str]:
    """Why ``name`` cannot name a shard (§14.1), or None when it can."""
    length = len(name.encode("utf-8", "surrogatepass"))
    if length == 0 or length > MAX_SHARD_NAME_LENGTH:
        return "a shard name is 1 to 255 bytes"
    if "/" in name or "\0" in name:
        return "a shard name must not hold '/' or NUL"
    if name.startswith(".") or name.startswith("_"):
        return "a shard name must not start with '.' or '_' (those are the dataset's own files and temporaries)"
    return None


def kind(physical_type: str) -> str:
    """The schema's kind of a file's physical type: LargeString is String, LargeBinary is Binary."""
    return _KIND_OF.get(physical_type, physical_type)


@dataclass(frozen=True)
class DatasetColumn:
    """One column of a dataset's schema: what every shard's column at that position must be (§14.3).

    Attributes
    ----------
    name : str
        The column's name.
    type : str
        The kind of values: ``"Int8"`` … ``"Float64"``, ``"Bool"``, ``"String"`` (String or
        LargeString in a shard), ``"Binary"`` (Binary or LargeBinary).
    logical_type : str
        ``"none"``, ``"Timestamp"`` or ``"Date"``.
    time_unit, time_zone : str or None
        A Timestamp's unit (``"s"``, ``"ms"``, ``"us"``, ``"ns"``) and time zone.
    shape : tuple of int
        The shape of one row; ``()`` for scalar columns.
    nullable : bool
        Whether shards may have a validity bitmap for the column.
    """

    name: str
    type: str
    logical_type: str = "none"
    time_unit: Optional[str] = None
    time_zone: Optional[str] = None
    shape: Tuple[int, ...] = ()
    nullable: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", kind(self.type))
        object.__setattr__(self, "shape", tuple(int(d) for d in self.shape))

    @classmethod
    def from_info(cls, info) -> "DatasetColumn":
        """The schema column a file's column (a :class:`~colfile.ColumnInfo`) gives: its values' kind
        (a dictionary's value type for a dictionary-encoded column, §14.3), logical type and shape."""
        logical = {0: "none", 1: "Timestamp", 2: "Date"}.get(info.logical_type_code, f"unknown({info.logical_type_code})")
        return cls(info.name, info.value_type, logical, info.time_unit if logical == "Timestamp" else None,
                   info.time_zone if logical == "Timestamp" else None, tuple(info.shape), bool(info.nullable))

    @property
    def logical_description(self) -> str:
        """``none``, ``Date``, ``Timestamp(ms)`` or ``Timestamp(ms, UTC)``, as the Swift library spells it."""
        if self.logical_type == "Timestamp":
            return f"Timestamp({self.time_unit}, {self.time_zone})" if self.time_zone else f"Timestamp({self.time_unit})"
        return self.logical_type

    @property
    def type_description(self) -> str:
        """The kind and shape, with the logical type when there is one: ``Float32[8]``, ``Int64 Timestamp(ms)``."""
        text = self.type
        if self.shape:
            text += "[" + "x".join(str(d) for d in self.shape) + "]"
        if self.logical_type != "none":
            text += " " + self.logical_description
        return text

    def to_dict(self) -> Dict[str, Any]:
        """The column as the schema's JSON (and ``colfile dataset inspect --json``) spells it."""
        result: Dict[str, Any] = {"name": self.name, "type": self.type, "logicalType": self.logical_type}
        if self.logical_type == "Timestamp":
            result["timeUnit"] = self.time_unit
            if self.time_zone is not None:
                result["timeZone"] = self.time_zone
        result["shape"] = list(self.shape)
        result["nullable"] = self.nullable
        return result

    def writer_type(self, dictionary_encoded: bool = False) -> Any:
        """The type :class:`~colfile.Writer`'s schema takes for this column; with
        ``dictionary_encoded``, a dictionary of its kind whose index type the values give (§14.3:
        the encoding is each shard's choice)."""
        if dictionary_encoded:
            from ._types import ColumnSpec
            return ColumnSpec(self.name, "Dictionary", self.logical_type, self.time_unit, self.time_zone,
                              dictionary_value=self.type)
        if self.logical_type == "Timestamp":
            base = f"Timestamp({self.time_unit}, {self.time_zone})" if self.time_zone else f"Timestamp({self.time_unit})"
        elif self.logical_type == "Date":
            base = "Date"
        else:
            base = self.type
        return (base, self.shape) if self.shape else base

    def __str__(self) -> str:
        return f"{self.name}: {self.type_description}" + (" nullable" if self.nullable else "")


def schema_problem(found: Sequence[DatasetColumn], schema: Sequence[DatasetColumn],
                   checking_nullability: bool) -> Optional[str]:
    """Why a shard whose columns are ``found`` does not fit ``schema`` (§14.3), or None when it does."""
    if len(found) != len(schema):
        return f"it has {len(found)} columns where the dataset has {len(schema)}"
    for column, expected in zip(found, schema):
        if column.name != expected.name:
            return f"its column is named '{column.name}' where the dataset's is '{expected.name}'"
        if (column.type, column.logical_type, column.time_unit, column.time_zone, column.shape) != (
                expected.type, expected.logical_type, expected.time_unit, expected.time_zone, expected.shape):
            return f"column '{expected.name}' is {column.type_description} where the dataset's is {expected.type_description}"
        if checking_nullability and column.nullable and not expected.nullable:
            return f"column '{expected.name}' has a validity bitmap where the dataset's column is not nullable"
    return None


def encode_schema(columns: Sequence[DatasetColumn]) -> str:
    """The canonical JSON of ``columns`` (§14.3): the Swift writer's bytes."""
    return json.dumps([column.to_dict() for column in columns], ensure_ascii=False, separators=(",", ":"))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def decode_schema(text: str, path: str) -> List[DatasetColumn]:
    """The columns a schema's JSON describes, checked as §14.3 says.

    Raises
    ------
    ColFileError
        ``badManifest`` (about ``path``) naming the first problem.
    """
    def shaped(entry: Any) -> bool:
        if not isinstance(entry, dict):
            return False
        required = {"name": str, "type": str, "logicalType": str, "nullable": bool}
        if any(not isinstance(entry.get(key), kind_) for key, kind_ in required.items()):
            return False
        if not isinstance(entry.get("shape"), list) or not all(_is_int(d) for d in entry["shape"]):
            return False
        return all(entry.get(key) is None or isinstance(entry[key], str) for key in ("timeUnit", "timeZone"))

    try:
        entries = json.loads(text)
    except ValueError:
        entries = None
    if not isinstance(entries, list) or not all(shaped(entry) for entry in entries):
        raise ColFileError("badManifest", path, None,
                           f"the schema ({SCHEMA_KEY}) is not a JSON array of column descriptions")
    names = set()
    columns = []
    for index, entry in enumerate(entries):
        def problem(message: str) -> ColFileError:
            return ColFileError("badManifest", path, None, f"schema column {index}: {message}")
        name = entry["name"]
        if not 1 <= len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME_LENGTH:
            raise problem("a column name is 1 to 1024 bytes")
        if name in names:
            raise problem(f"the name '{name}' appears twice")
        names.add(name)
        if entry["type"] not in KINDS:
            raise problem(f"unknown type '{entry['type']}'")
        unit, zone, logical = entry.get("timeUnit"), entry.get("timeZone"), entry["logicalType"]
        if logical in ("none", "Date"):
            if unit is not None or zone is not None:
                raise problem("only a Timestamp has a time unit or a time zone")
            if logical == "Date" and entry["type"] != "Int32":
                raise problem("a Date is Int32")
        elif logical == "Timestamp":
            if entry["type"] != "Int64" or unit not in TIME_UNITS:
                raise problem("a Timestamp is Int64 with a time unit s, ms, us or ns")
            if zone is not None and not 1 <= len(zone.encode("utf-8", "surrogatepass")) <= MAX_TIME_ZONE_LENGTH:
                raise problem("a time zone is 1 to 64 bytes")
        else:
            raise problem(f"unknown logical type '{logical}'")
        shape = tuple(entry["shape"])
        if shape:
            fixed = PHYSICAL_TYPES[[c for c, t in PHYSICAL_TYPES.items() if t[0] == entry["type"]][0]][1] is not None
            if not fixed or logical != "none" or len(shape) > MAX_RANK or not all(
                    1 <= d <= MAX_TENSOR_ROW_BYTES for d in shape):
                raise problem("a shape has 1 to 8 dimensions of 1 to 2^31 - 1, for a fixed-width column without "
                              "a logical type")
        columns.append(DatasetColumn(name, entry["type"], logical, unit, zone, shape, entry["nullable"]))
    return columns


@dataclass(frozen=True)
class DatasetShard:
    """One shard of a dataset version, as its manifest describes it (§14.2).

    Attributes
    ----------
    name : str
        The shard's file name in the dataset's folder.
    rows : int
        Its number of rows.
    file_bytes : int
        The size of its file.
    file_id : bytes
        Its 16-byte file id.
    directory_crc : int
        Its directory CRC-32.
    first_row : int
        The dataset row of its first row.
    """

    name: str
    rows: int
    file_bytes: int
    file_id: bytes
    directory_crc: int
    first_row: int = 0

    @property
    def identity(self) -> str:
        """``FILEID-DIRCRC``, as :attr:`colfile.Reader.identity` spells a file's identity (§3)."""
        return f"{self.file_id.hex()}-{self.directory_crc:08x}"

    def to_dict(self) -> Dict[str, Any]:
        """The shard as ``colfile dataset inspect --json`` spells it."""
        return {"name": self.name, "rows": self.rows, "firstRow": self.first_row, "fileBytes": self.file_bytes,
                "fileId": self.file_id.hex(), "directoryCRC": f"{self.directory_crc:08x}", "identity": self.identity}


@dataclass
class Manifest:
    """The content of one manifest: a version's schema, metadata and shards (§14.2)."""

    version: int
    schema: List[DatasetColumn]
    metadata: Dict[str, str]
    shards: List[DatasetShard] = field(default_factory=list)

    def __post_init__(self) -> None:
        row = 0
        placed = []
        for shard in self.shards:
            placed.append(replace(shard, first_row=row))
            row += shard.rows
        self.shards = placed

    @property
    def rows(self) -> int:
        return sum(shard.rows for shard in self.shards)

    @classmethod
    def from_reader(cls, reader, expected_version: Optional[int]) -> "Manifest":
        """Reads and checks the manifest ``reader`` holds (§14.2), as the Swift library does.

        Raises
        ------
        ColFileError
            ``badManifest`` naming the first rule it breaks.
        """
        path = reader.path

        def bad(message: str, **kwargs: Any) -> ColFileError:
            return ColFileError("badManifest", path, None, message, **kwargs)

        metadata = reader.metadata
        layout = metadata.get(LAYOUT_KEY)
        if layout is None:
            raise bad(f"not a dataset manifest: no {LAYOUT_KEY} metadata")
        if layout != LAYOUT_VERSION:
            raise bad(f"manifest layout {layout} is not supported", expected=LAYOUT_VERSION, found=layout)
        version_text = metadata.get(VERSION_KEY, "")
        version = version_spelled(version_text)
        if version is None:
            raise bad(f"{VERSION_KEY} is not a version number", found=f"'{version_text}'")
        if expected_version is not None and expected_version != version:
            raise bad("the manifest's version differs from its file name's", expected=expected_version, found=version)
        if SCHEMA_KEY not in metadata:
            raise bad(f"no {SCHEMA_KEY} metadata")
        schema = decode_schema(metadata[SCHEMA_KEY], path)

        for name, kind_, shape in (("name", "String", ()), ("rows", "UInt64", ()), ("bytes", "UInt64", ()),
                                   ("fileID", "UInt8", (16,)), ("directoryCRC", "UInt32", ())):
            if name not in reader:
                raise bad(f"no column '{name}'")
            found = DatasetColumn.from_info(reader.info(name))
            if (found.type, found.shape, found.logical_type, found.nullable) != (kind_, shape, "none", False):
                expected = DatasetColumn(name, kind_, shape=shape).type_description
                raise bad(f"column '{name}' is not {expected} without nulls", found=found.type_description)
        names = reader["name"].to_pylist()
        rows = reader["rows"].tolist()
        sizes = reader["bytes"].tolist()
        file_ids = np.asarray(reader["fileID"])
        checksums = reader["directoryCRC"].tolist()
        seen = set()
        total = 0
        shards = []
        for index, name in enumerate(names):
            problem = shard_name_problem(name)
            if problem is not None:
                raise bad(f"shard {index}: {problem}", found=f"'{name}'")
            if name in seen:
                raise bad(f"shard {index}: the name '{name}' appears twice")
            seen.add(name)
            total += rows[index]
            if total > MAX_VERSION:
                raise bad(f"shard {index}: the dataset has more than 2^63 - 1 rows")
            if not MIN_FILE_BYTES <= sizes[index] <= MAX_VERSION:
                raise bad(f"shard {index}: a colfile file has at least 96 bytes", found=sizes[index])
            shards.append(DatasetShard(name, rows[index], sizes[index], bytes(file_ids[index]), checksums[index]))
        return cls(version, schema, {k: v for k, v in metadata.items() if not k.startswith(RESERVED_PREFIX)}, shards)

    def write(self, path: str, sync: bool = True, file_id: Optional[bytes] = None) -> None:
        """Writes the manifest, published at ``path`` only if no file has that name (§14.5, step 4).

        Raises
        ------
        ColFileError
            ``io`` with errno ``EEXIST`` when the name is taken; other writing errors.
        """
        from ._writer import Writer

        metadata = dict(self.metadata)
        metadata[LAYOUT_KEY] = LAYOUT_VERSION
        metadata[VERSION_KEY] = str(self.version)
        metadata[SCHEMA_KEY] = encode_schema(self.schema)
        count = len(self.shards)
        schema = [("name", "String"), ("rows", "UInt64"), ("bytes", "UInt64"), ("fileID", ("UInt8", (16,))),
                  ("directoryCRC", "UInt32")]
        writer = Writer(path, schema, metadata=metadata, sync=sync, file_id=file_id, _spill=False, _replace=False)
        try:
            file_ids = np.frombuffer(b"".join(shard.file_id for shard in self.shards), np.uint8).reshape(count, 16)
            writer.write_batch({
                "name": [shard.name for shard in self.shards],
                "rows": np.array([shard.rows for shard in self.shards], np.uint64),
                "bytes": np.array([shard.file_bytes for shard in self.shards], np.uint64),
                "fileID": file_ids,
                "directoryCRC": np.array([shard.directory_crc for shard in self.shards], np.uint32),
            })
        except BaseException:
            writer.abort()
            raise
        writer.close()


def check_metadata_keys(keys, path: str) -> None:
    """Refuses metadata keys that start with ``colfile.`` (they belong to the format)."""
    for key in keys:
        if key.startswith(RESERVED_PREFIX):
            raise ColFileError("invalidArgument", path, None,
                               f"metadata keys starting with '{RESERVED_PREFIX}' belong to the format", found=f"'{key}'")


def folder_path(path) -> str:
    """The dataset's folder without trailing slashes, as the Swift library joins names to it."""
    text = os.fspath(path)
    while len(text) > 1 and text.endswith("/"):
        text = text[:-1]
    return text
