"""Zero-copy conversion of colfile columns to pyarrow arrays (colfile's layouts are Arrow's)."""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence

import numpy as np

try:
    import pyarrow as pa
except ImportError as error:  # pragma: no cover - exercised without the extra installed
    raise ImportError("colfile's Arrow support needs pyarrow: pip install 'colfile[arrow]'") from error

from ._format import LOGICAL_DATE, LOGICAL_TIMESTAMP, ROLES

_FIXED = {
    "Int8": pa.int8(), "Int16": pa.int16(), "Int32": pa.int32(), "Int64": pa.int64(),
    "UInt8": pa.uint8(), "UInt16": pa.uint16(), "UInt32": pa.uint32(), "UInt64": pa.uint64(),
    "Float16": pa.float16(), "Float32": pa.float32(), "Float64": pa.float64(),
}
_VAR = {"String": pa.string(), "LargeString": pa.large_string(), "Binary": pa.binary(),
        "LargeBinary": pa.large_binary()}


def _buffer(array: Optional[np.ndarray]) -> Optional["pa.Buffer"]:
    """A pyarrow buffer over a read-only NumPy view, without copying (it keeps the view, and so the
    mapping, alive)."""
    if array is None:
        return None
    return pa.py_buffer(array)


def arrow_type(info) -> "pa.DataType":
    """The Arrow type of a column's scalar values (a dictionary-encoded column's: its values')."""
    if info.logical_type_code == LOGICAL_TIMESTAMP:
        return pa.timestamp(info.time_unit, tz=info.time_zone)
    if info.logical_type_code == LOGICAL_DATE:
        return pa.date32()
    value_type = info.value_type
    if value_type in _FIXED:
        return _FIXED[value_type]
    if value_type == "Bool":
        return pa.bool_()
    return _VAR[value_type]


_INDEX = {"Int8": pa.int8(), "Int16": pa.int16(), "Int32": pa.int32()}


def dictionary_array(column) -> "pa.DictionaryArray":
    """A dictionary-encoded column as an Arrow ``DictionaryArray`` over its zero-copy buffers: the
    indices (with the rows' validity) and the dictionary (Specification.md §6.4 is Arrow's layout)."""
    info = column.info
    index_type = _INDEX[info.dictionary.index_type]
    indices = pa.Array.from_buffers(index_type, len(column), [_buffer(column.validity_bitmap), _buffer(column.codes)],
                                    null_count=info.null_count)
    categories = column.categories
    if hasattr(categories, "offsets"):
        dictionary = var_array(categories)
    else:
        values = categories.view("<i8") if categories.dtype.kind == "M" else categories  # timestamps: the Int64s
        dictionary = pa.Array.from_buffers(arrow_type(info), len(values), [None, _buffer(values)], null_count=0)
    # The reader checked every index against the dictionary (§6.4): no second pass here.
    return pa.DictionaryArray.from_arrays(indices, dictionary, safe=False)


def var_array(column) -> "pa.Array":
    """A String/Binary column as an Arrow array over its zero-copy buffers."""
    info = column.info
    return pa.Array.from_buffers(_VAR[info.physical_type], len(column),
                                 [_buffer(column.validity_bitmap), _buffer(column.offsets), _buffer(column.data)],
                                 null_count=info.null_count)


def column_array(reader, name: str, tensors: str = "extension") -> "pa.Array":
    """Column ``name`` of ``reader`` as an Arrow array whose buffers are views of the mapping."""
    index = reader._index(name)
    info = reader._info_at(index)
    data = reader._column_bytes(index)
    rows = info.row_count
    validity = _buffer(reader._bitmap(data, 0))
    if info.dictionary is not None:
        return dictionary_array(reader._dict_column(index, info, data))
    if info.physical_type in _VAR:
        return var_array(reader._var_column(index, info, data))
    if info.physical_type == "Bool":
        return pa.Array.from_buffers(pa.bool_(), rows, [validity, _buffer(reader._bitmap(data, 2))],
                                     null_count=info.null_count)
    value_type = arrow_type(info)
    numpy_type = np.dtype(info.dtype) if info.logical_type_code != LOGICAL_TIMESTAMP else np.dtype("<i8")
    values = reader._array(data, ROLES.index("values"), numpy_type, rows * info.values_per_row)
    if not info.shape:
        return pa.Array.from_buffers(value_type, rows, [validity, _buffer(values)], null_count=info.null_count)
    per_row = info.values_per_row
    child = pa.Array.from_buffers(value_type, rows * per_row, [None, _buffer(values)], null_count=0)
    storage = pa.Array.from_buffers(pa.list_(value_type, per_row), rows, [validity], null_count=info.null_count,
                                    children=[child])
    if tensors == "list":
        return storage
    if tensors != "extension":
        raise ValueError("tensors must be 'extension' or 'list'")
    tensor_type = pa.fixed_shape_tensor(value_type, list(info.shape))
    return pa.ExtensionArray.from_storage(tensor_type, storage)


def table_from_reader(reader, columns: Optional[Sequence[str]], tensors: str) -> "pa.Table":
    """The reader's columns (all, in file order, by default) as a ``pyarrow.Table``."""
    # Every column: their checks in one pass in file order (§9), before any is built.
    names = [info.name for info in reader.columns] if columns is None else list(columns)
    arrays = []
    fields = []
    for name in names:
        array = column_array(reader, name, tensors)
        info = reader.info(name)
        metadata: Optional[Dict[Any, Any]] = dict(info.metadata) or None
        fields.append(pa.field(name, array.type, nullable=True, metadata=metadata))
        arrays.append(array)
    schema = pa.schema(fields, metadata=reader.metadata or None)
    if not arrays:
        return pa.Table.from_batches([], schema=schema)
    return pa.Table.from_arrays(arrays, schema=schema)
