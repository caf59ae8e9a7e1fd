"""The mapping of NumPy, Python and Arrow values to colfile types (Specification.md §6), for the writer.

Every input is converted to a :class:`Piece`: the rows of one column in colfile's layout (values as
little-endian bytes, bools and validity unpacked, strings as offsets and bytes). What has no colfile
type is refused with ``ColFileError(invalidArgument)`` naming the column; nothing is converted
silently (the only copies are of memory layout: non-contiguous or big-endian arrays, unpacked bits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ._errors import ColFileError
from ._format import (MAX_NAME_LENGTH, MAX_RANK, MAX_TENSOR_ROW_BYTES, MAX_TIME_ZONE_LENGTH, PHYSICAL_CODES,
                      PHYSICAL_TYPES, TIME_UNITS, is_valid_time_zone)

_NUMPY_TO_PHYSICAL = {
    "i1": "Int8", "i2": "Int16", "i4": "Int32", "i8": "Int64",
    "u1": "UInt8", "u2": "UInt16", "u4": "UInt32", "u8": "UInt64",
    "f2": "Float16", "f4": "Float32", "f8": "Float64",
}
_INT32_MIN, _INT32_MAX = -(1 << 31), (1 << 31) - 1
_LOGICAL = re.compile(r"^Timestamp\((s|ms|us|ns)(?:, (.+))?\)$")


@dataclass
class ColumnSpec:
    """A column's declared type: physical type, logical type, tensor shape, metadata (§5.2, §6)."""

    name: str
    physical: str  # "Int8" … "LargeBinary" (String/Binary: the writer picks the Large form by size)
    logical: str = "none"  # "none", "Date", "Timestamp"
    time_unit: Optional[str] = None
    time_zone: Optional[str] = None
    shape: Tuple[int, ...] = ()
    metadata: Dict[str, str] = field(default_factory=dict)
    #: For a dictionary-encoded column (physical "Dictionary", §6.4): the values' physical type,
    #: and once the column is finished its stored index type and entry count.
    dictionary_value: Optional[str] = None
    index_type: Optional[str] = None
    entry_count: int = 0

    @property
    def value_physical(self) -> str:
        """The physical type of a row's value: the dictionary's value type, or :attr:`physical`."""
        return self.dictionary_value or self.physical

    @property
    def code(self) -> int:
        return PHYSICAL_CODES[self.physical]

    @property
    def element_size(self) -> Optional[int]:
        return PHYSICAL_TYPES[self.code][1]

    @property
    def is_variable(self) -> bool:
        return self.physical in ("String", "LargeString", "Binary", "LargeBinary")

    @property
    def is_string(self) -> bool:
        return self.physical in ("String", "LargeString")

    @property
    def numpy_dtype(self) -> Optional[np.dtype]:
        code = PHYSICAL_TYPES[self.code][3]
        return None if code is None else np.dtype(code)

    @property
    def values_per_row(self) -> int:
        product = 1
        for dimension in self.shape:
            product *= dimension
        return product

    def same_type(self, other: "ColumnSpec") -> bool:
        def kind(spec: "ColumnSpec"):
            wide = {"LargeString": "String", "LargeBinary": "Binary"}
            return (wide.get(spec.physical, spec.physical), wide.get(spec.dictionary_value, spec.dictionary_value),
                    spec.logical, spec.time_unit, spec.time_zone, tuple(spec.shape))
        return kind(self) == kind(other)

    def describe(self) -> str:
        text = self.value_physical
        if self.logical == "Date":
            text = "Date"
        elif self.logical == "Timestamp":
            text = f"Timestamp({self.time_unit}{', ' + self.time_zone if self.time_zone else ''})"
        if self.shape:
            text += f"[{', '.join(map(str, self.shape))}]"
        return f"Dictionary({text})" if self.dictionary_value else text


def fail(path: str, name: Optional[str], message: str, **kwargs: Any) -> ColFileError:
    return ColFileError("invalidArgument", path, name, message, **kwargs)


def validate_spec(spec: ColumnSpec, path: str) -> None:
    """Checks a declaration against the limits of §8 as a reader would (the Swift writer's checks)."""
    name = spec.name
    if not isinstance(name, str):
        raise fail(path, str(name), "column names must be strings")
    try:
        name_length = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        raise fail(path, name, f"column names must be 1 to {MAX_NAME_LENGTH} bytes of UTF-8") from None
    if not 1 <= name_length <= MAX_NAME_LENGTH:
        raise fail(path, name, f"column names must be 1 to {MAX_NAME_LENGTH} bytes of UTF-8")
    if len(spec.shape) > MAX_RANK:
        raise fail(path, name, f"tensor rank must be at most {MAX_RANK}")
    if spec.shape:
        if spec.element_size is None:
            raise fail(path, name, "only fixed-width types can be tensors")
        row_bytes = spec.element_size
        for dimension in spec.shape:
            if dimension < 1:
                raise fail(path, name, "tensor dimensions must be at least 1")
            row_bytes *= dimension
            if row_bytes > MAX_TENSOR_ROW_BYTES:
                raise fail(path, name, f"tensor rows must be at most {MAX_TENSOR_ROW_BYTES} bytes")
    if spec.logical == "Timestamp":
        if spec.time_zone is not None:
            try:
                zone = spec.time_zone.encode("utf-8")
            except (UnicodeEncodeError, AttributeError):
                raise fail(path, name, f"time zones must be 1 to {MAX_TIME_ZONE_LENGTH} bytes of UTF-8") from None
            if not 1 <= len(zone) <= MAX_TIME_ZONE_LENGTH:
                raise fail(path, name, f"time zones must be 1 to {MAX_TIME_ZONE_LENGTH} bytes")
            if not is_valid_time_zone(zone):
                raise fail(path, name, f"time zones are offsets like +01:00 or zone names like Europe/Paris, "
                                       f"not '{spec.time_zone}'")
        if spec.value_physical != "Int64" or spec.shape:
            raise fail(path, name, f"{spec.describe()} columns must be scalar Int64 columns")
    elif spec.logical == "Date":
        if spec.value_physical != "Int32" or spec.shape:
            raise fail(path, name, "Date columns must be scalar Int32 columns")


def parse_type(name: str, text: Any, path: str) -> ColumnSpec:
    """A declared type for :class:`~colfile.Writer`'s schema: a colfile type name (``"Float64"``,
    ``"String"``, ``"Date"``, ``"Timestamp(ms, UTC)"``), a ``(name, shape)`` pair for tensors, a
    NumPy dtype, or a pyarrow ``DataType``/``Field`` (or, inside the package, a :class:`ColumnSpec`)."""
    if isinstance(text, ColumnSpec):
        return replace(text, name=name)
    if isinstance(text, tuple) and len(text) == 2:
        spec = parse_type(name, text[0], path)
        spec.shape = tuple(int(d) for d in text[1])
        return spec
    if isinstance(text, str):
        if text in PHYSICAL_CODES:
            return ColumnSpec(name, text)
        if text == "Date":
            return ColumnSpec(name, "Int32", "Date")
        match = _LOGICAL.match(text)
        if match:
            return ColumnSpec(name, "Int64", "Timestamp", match.group(1), match.group(2))
    try:
        import pyarrow as pa
        if isinstance(text, pa.Field):
            spec = arrow_spec(name, text.type, path)
            spec.metadata = _field_metadata(text, name, path)
            return spec
        if isinstance(text, pa.DataType):
            return arrow_spec(name, text, path)
    except ImportError:  # pragma: no cover
        pass
    try:
        dtype = np.dtype(text)
    except TypeError:
        raise fail(path, name, f"{text!r} is not a colfile type") from None
    return numpy_spec(name, dtype, (), path)


def numpy_spec(name: str, dtype: np.dtype, shape: Tuple[int, ...], path: str) -> ColumnSpec:
    """The colfile type of a NumPy array of ``dtype`` whose rows have ``shape``."""
    kind = dtype.kind
    if kind in "iuf":
        physical = _NUMPY_TO_PHYSICAL.get(f"{kind}{dtype.itemsize}")
        if physical is None:
            raise fail(path, name, f"NumPy dtype {dtype} has no colfile type")
        return ColumnSpec(name, physical, shape=shape)
    if shape:
        raise fail(path, name, f"NumPy dtype {dtype} cannot be a tensor column (only integers and floats can)")
    if kind == "b":
        return ColumnSpec(name, "Bool")
    if kind == "M":
        unit, count = np.datetime_data(dtype)
        if count == 1 and unit in TIME_UNITS:
            return ColumnSpec(name, "Int64", "Timestamp", unit)
        if count == 1 and unit == "D":
            return ColumnSpec(name, "Int32", "Date")
        raise fail(path, name, f"NumPy dtype {dtype} has no colfile type (datetime64 units s, ms, us, ns and D map)")
    if kind == "U":
        return ColumnSpec(name, "String")
    if kind == "S":
        raise fail(path, name, "NumPy bytes_ ('S') arrays drop trailing zero bytes: "
                               "pass a list of bytes or an object array for a Binary column")
    raise fail(path, name, f"NumPy dtype {dtype} has no colfile type")


def _field_metadata(field_, name: str, path: str) -> Dict[str, str]:
    if not field_.metadata:
        return {}
    try:
        return {k.decode("utf-8"): v.decode("utf-8") for k, v in field_.metadata.items()}
    except UnicodeDecodeError:
        raise fail(path, name, "Arrow field metadata must be UTF-8 to be stored") from None


def arrow_spec(name: str, arrow_type: Any, path: str) -> ColumnSpec:
    """The colfile type of an Arrow type (see the mapping table in the package README)."""
    import pyarrow as pa
    import pyarrow.types as t
    if isinstance(arrow_type, pa.BaseExtensionType):
        if getattr(arrow_type, "extension_name", "") == "arrow.fixed_shape_tensor":
            permutation = arrow_type.permutation
            if permutation is not None and list(permutation) != list(range(len(permutation))):
                raise fail(path, name, "a fixed_shape_tensor with a permutation is not row-major: "
                                       "colfile tensors are row-major")
            if arrow_type.dim_names:
                raise fail(path, name, "a fixed_shape_tensor's dim_names have no place in colfile")
            spec = arrow_spec(name, arrow_type.value_type, path)
            if spec.element_size is None or spec.logical != "none":
                raise fail(path, name, f"a tensor of {arrow_type.value_type} has no colfile type")
            spec.shape = tuple(arrow_type.shape)
            return spec
        raise fail(path, name, f"Arrow extension type {arrow_type} has no colfile type")
    simple = {
        pa.int8(): "Int8", pa.int16(): "Int16", pa.int32(): "Int32", pa.int64(): "Int64",
        pa.uint8(): "UInt8", pa.uint16(): "UInt16", pa.uint32(): "UInt32", pa.uint64(): "UInt64",
        pa.float16(): "Float16", pa.float32(): "Float32", pa.float64(): "Float64", pa.bool_(): "Bool",
        pa.string(): "String", pa.large_string(): "String", pa.binary(): "Binary", pa.large_binary(): "Binary",
    }
    if arrow_type in simple:
        return ColumnSpec(name, simple[arrow_type])
    if t.is_dictionary(arrow_type):
        values = arrow_spec(name, arrow_type.value_type, path)
        if values.physical == "Bool" or values.shape:
            raise fail(path, name, f"a dictionary cannot hold {values.describe()} values")
        # Signed int8/16/32 indices keep their type; others (unsigned, int64) get the narrowest.
        index_type = {"int8": "Int8", "int16": "Int16", "int32": "Int32"}.get(str(arrow_type.index_type))
        return ColumnSpec(name, "Dictionary", values.logical, values.time_unit, values.time_zone,
                          dictionary_value=values.physical, index_type=index_type)
    if t.is_timestamp(arrow_type):
        return ColumnSpec(name, "Int64", "Timestamp", arrow_type.unit, arrow_type.tz)
    if t.is_date32(arrow_type):
        return ColumnSpec(name, "Int32", "Date")
    if t.is_fixed_size_list(arrow_type):
        shape = [arrow_type.list_size]
        inner = arrow_type.value_type
        while t.is_fixed_size_list(inner):
            shape.append(inner.list_size)
            inner = inner.value_type
        spec = arrow_spec(name, inner, path)
        if spec.element_size is None or spec.logical != "none":
            raise fail(path, name, f"Arrow type {arrow_type} has no colfile type (tensors hold integers or floats)")
        spec.shape = tuple(shape)
        return spec
    raise fail(path, name, f"Arrow type {arrow_type} has no colfile type")


@dataclass
class Piece:
    """Some rows of one column in colfile's layout, ready for the writer.

    ``values``: fixed-width values as a contiguous little-endian array (``rows × per-row`` elements);
    ``bools``: a Bool column's values unpacked; ``offsets`` (int64, from 0) and ``data`` (uint8): the
    rows of a String/Binary column; ``validity``: one bool per row, None when no row is null.
    """

    rows: int
    validity: Optional[np.ndarray] = None
    values: Optional[np.ndarray] = None
    bools: Optional[np.ndarray] = None
    offsets: Optional[np.ndarray] = None
    data: Optional[np.ndarray] = None


def _is_bytes_like(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, memoryview))


def _variable_piece(values: List[Any], is_string: bool, name: str, path: str) -> Piece:
    encoded: List[bytes] = []
    validity = np.ones(len(values), bool)
    for row, value in enumerate(values):
        if value is None:
            validity[row] = False
            encoded.append(b"")
        elif is_string:
            try:
                encoded.append(value.encode("utf-8"))
            except UnicodeEncodeError:
                raise fail(path, name, f"row {row} is not encodable as UTF-8") from None
        else:
            encoded.append(bytes(value))
    lengths = np.fromiter((len(item) for item in encoded), np.int64, len(encoded))
    offsets = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = np.frombuffer(b"".join(encoded), np.uint8)
    return Piece(len(values), None if validity.all() else validity, offsets=offsets, data=data)


def python_piece(name: str, values: Any, path: str) -> Tuple[ColumnSpec, Piece]:
    """A list (or tuple) of str/None (String), bytes/None (Binary), or numbers/bools with None for nulls."""
    items = list(values)
    present = [item for item in items if item is not None]
    if present and all(isinstance(item, str) for item in present):
        return ColumnSpec(name, "String"), _variable_piece(items, True, name, path)
    if present and all(_is_bytes_like(item) for item in present):
        return ColumnSpec(name, "Binary"), _variable_piece(items, False, name, path)
    if not present and items:
        raise fail(path, name, "a column of only None values has no type: give a typed array or a schema")
    if any(isinstance(item, (str, bytes, bytearray, memoryview)) for item in present):
        raise fail(path, name, "a list mixing text, bytes and numbers has no colfile type")
    array = np.asarray(present)
    if array.dtype == object:
        raise fail(path, name, "the list's values have no colfile type (NumPy infers dtype object)")
    if len(present) == len(items):
        return numpy_piece(name, array, path)
    full = np.zeros((len(items),) + array.shape[1:], array.dtype)
    mask = np.array([item is None for item in items])
    full[~mask] = array
    return numpy_piece(name, np.ma.MaskedArray(full, mask=np.broadcast_to(
        mask.reshape((-1,) + (1,) * (full.ndim - 1)), full.shape)), path)


def numpy_piece(name: str, array: np.ndarray, path: str) -> Tuple[ColumnSpec, Piece]:
    """A NumPy array (masked arrays: masked rows are nulls) as a column."""
    validity = None
    if isinstance(array, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(array)
        data = np.ma.getdata(array)
        if data.ndim > 1:
            flat = mask.reshape(len(mask), -1)
            row_mask = flat.any(axis=1)
            if not np.array_equal(row_mask, flat.all(axis=1)):
                raise fail(path, name, "a masked tensor row must be masked whole (colfile nulls are whole rows)")
        else:
            row_mask = mask
        if row_mask.any():
            validity = ~row_mask
            if data.dtype.kind not in "UO":
                data = data.copy()
                data[row_mask] = 0  # null rows store zero bytes, as the reference writer
        array = data
    if not isinstance(array, np.ndarray):
        array = np.asarray(array)
    if array.ndim == 0:
        raise fail(path, name, "a column needs one value per row, not a scalar")
    if array.dtype == object:
        spec, piece = python_piece(name, array.tolist(), path)
        if validity is not None:
            piece.validity = validity if piece.validity is None else (piece.validity & validity)
        return spec, piece
    spec = numpy_spec(name, array.dtype, tuple(array.shape[1:]), path)
    rows = len(array)
    if spec.physical == "Bool":
        return spec, Piece(rows, validity, bools=np.ascontiguousarray(array, bool))
    if spec.physical == "String":
        strings = array.tolist()
        if validity is not None:
            strings = [value if valid else None for value, valid in zip(strings, validity)]
        return spec, _variable_piece(strings, True, name, path)
    if spec.logical == "Date":
        days = array.view("<i8")
        if rows and (days.min() < _INT32_MIN or days.max() > _INT32_MAX):
            raise fail(path, name, "datetime64[D] values outside the Int32 range of a Date column (NaT included)")
        return spec, Piece(rows, validity, values=days.astype("<i4"))
    if spec.logical == "Timestamp":
        values = array.astype(array.dtype.newbyteorder("<"), copy=False).view("<i8")
    else:
        values = array.astype(spec.numpy_dtype, copy=False)  # only the byte order may differ
    values = np.ascontiguousarray(values)
    return spec, Piece(rows, validity, values=values)


def arrow_pieces(name: str, array: Any, path: str, spec: Optional[ColumnSpec] = None):
    """The chunks of an Arrow ``Array`` or ``ChunkedArray`` as (spec, Piece) pairs."""
    import pyarrow as pa
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    if spec is None:
        spec = arrow_spec(name, array.type, path)
    return spec, [_arrow_piece(spec, chunk, name, path) for chunk in chunks]


def _bits(buffer: Any, offset: int, count: int) -> np.ndarray:
    raw = np.frombuffer(buffer, np.uint8)
    return np.unpackbits(raw, count=offset + count, bitorder="little")[offset:].view(bool)


def _arrow_piece(spec: ColumnSpec, chunk: Any, name: str, path: str) -> Piece:
    import pyarrow as pa
    rows = len(chunk)
    validity = None
    if chunk.null_count:
        validity = _bits(chunk.buffers()[0], chunk.offset, rows)
    if isinstance(chunk, pa.ExtensionArray):
        chunk = chunk.storage
    if spec.shape:
        per_row = spec.values_per_row
        level, first, count = chunk, 0, rows
        while pa.types.is_fixed_size_list(level.type):
            size = level.type.list_size
            first, count = (level.offset + first) * size, count * size
            level = level.values
            if pa.types.is_fixed_size_list(level.type) and level.null_count:
                raise fail(path, name, "a tensor's elements cannot be null in colfile (only whole rows can)")
        begin = level.offset + first
        values = np.frombuffer(level.buffers()[1], spec.numpy_dtype)[begin:begin + count]
        if level.null_count:
            element_valid = _bits(level.buffers()[0], begin, count).reshape(rows, per_row)
            row_valid = np.ones(rows, bool) if validity is None else validity
            if (~element_valid.all(axis=1) & row_valid).any():
                raise fail(path, name, "a tensor's elements cannot be null in colfile (only whole rows can)")
            values = values.reshape(rows, per_row).copy()
            values[~row_valid] = 0
        return Piece(rows, validity, values=values.reshape(-1))
    if spec.physical == "Bool":
        return Piece(rows, validity, bools=_bits(chunk.buffers()[1], chunk.offset, rows))
    if spec.is_variable:
        large = chunk.type in (pa.large_string(), pa.large_binary())
        offsets = np.frombuffer(chunk.buffers()[1], "<i8" if large else "<i4")[chunk.offset:chunk.offset + rows + 1]
        first = int(offsets[0]) if rows or len(offsets) else 0
        last = int(offsets[-1]) if len(offsets) else 0
        data_buffer = chunk.buffers()[2]
        data = np.frombuffer(data_buffer, np.uint8)[first:last] if data_buffer is not None else np.empty(0, np.uint8)
        rebased = offsets.astype(np.int64) - first if len(offsets) else np.zeros(1, np.int64)
        return Piece(rows, validity, offsets=rebased, data=data)
    dtype = np.dtype("<i8") if spec.logical == "Timestamp" else (np.dtype("<i4") if spec.logical == "Date"
                                                                 else spec.numpy_dtype)
    values = np.frombuffer(chunk.buffers()[1], dtype)[chunk.offset:chunk.offset + rows]
    return Piece(rows, validity, values=values)


__all__ = ["ColumnSpec", "Piece", "arrow_pieces", "arrow_spec", "numpy_piece", "numpy_spec", "parse_type",
           "python_piece", "validate_spec"]
