"""A dataset version as a ``pyarrow.Table`` of ``ChunkedArray``\\ s, one zero-copy chunk per shard."""

from __future__ import annotations

from typing import Optional, Sequence

import pyarrow as pa

from ._arrow import _FIXED, column_array
from ._errors import ColFileError


def arrow_type(column, tensors: str = "extension") -> "pa.DataType":
    """The Arrow type of a dataset column (a :class:`~colfile.DatasetColumn`), as
    :meth:`colfile.Reader.to_arrow` types a file's column of that kind (String and Binary 32-bit)."""
    if column.logical_type == "Timestamp":
        value = pa.timestamp(column.time_unit, tz=column.time_zone)
    elif column.logical_type == "Date":
        value = pa.date32()
    elif column.type in _FIXED:
        value = _FIXED[column.type]
    else:
        value = {"Bool": pa.bool_(), "String": pa.string(), "Binary": pa.binary()}[column.type]
    if not column.shape:
        return value
    per_row = 1
    for dimension in column.shape:
        per_row *= dimension
    if tensors == "list":
        return pa.list_(value, per_row)
    return pa.fixed_shape_tensor(value, list(column.shape))


_WIDE = {pa.string(): pa.large_string(), pa.binary(): pa.large_binary()}


def decoded(array: "pa.Array") -> "pa.Array":
    """``array``, or its values (a copy) when it is dictionary-encoded: what a dataset's reader
    hands out for a shard's chunk, which has the schema's type whatever the shard's encoding (§14.3)."""
    return array.dictionary_decode() if pa.types.is_dictionary(array.type) else array


def shard_table(reader, columns: Optional[Sequence[str]]) -> "pa.Table":
    """A shard's columns (all by default) as :meth:`colfile.Reader.to_arrow` gives them, with its
    dictionary-encoded columns decoded (a copy of those only): the table a dataset's reader hands
    out for one shard has the schema's types, whatever the shard's encodings."""
    table = reader.to_arrow(columns)
    for index, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            values = pa.chunked_array([decoded(chunk) for chunk in table.column(index).chunks], field.type.value_type)
            table = table.set_column(index, field.with_type(field.type.value_type), values)
    return table


def _kept_dictionaries(chunks: Sequence["pa.Array"], value_type: "pa.DataType") -> Sequence["pa.Array"]:
    """``chunks`` (a column's, one a shard, some dictionary-encoded) as ``dictionary<int32,
    value_type>`` arrays: each encoded chunk's dictionary kept (its indices widened to Int32 when
    narrower), each plain chunk encoded."""
    kind = pa.dictionary(pa.int32(), value_type)
    kept = []
    for chunk in chunks:
        if not pa.types.is_dictionary(chunk.type):
            chunk = chunk.cast(value_type).dictionary_encode()
        elif chunk.type != kind:
            chunk = pa.DictionaryArray.from_arrays(chunk.indices.cast(pa.int32()), chunk.dictionary.cast(value_type),
                                                   safe=False)
        kept.append(chunk)
    return kept


def table_from_dataset(dataset, columns: Optional[Sequence[str]], tensors: str,
                       dictionaries: str = "decode") -> "pa.Table":
    """``dataset``'s columns (all by default) as a table with one chunk per shard; a column some shard
    stores dictionary-encoded decoded, or with ``dictionaries="keep"`` dictionary-encoded throughout."""
    if tensors not in ("extension", "list"):
        raise ValueError("tensors must be 'extension' or 'list'")
    if dictionaries not in ("decode", "keep"):
        raise ValueError("dictionaries must be 'decode' or 'keep'")
    by_name = {column.name: column for column in dataset.schema}
    names = dataset.names if columns is None else list(columns)
    for name in names:
        if name not in by_name:
            raise ColFileError("noSuchColumn", dataset.path, str(name), "no such column")
    readers = dataset.open_all_shards()
    arrays = []
    fields = []
    for name in names:
        column = by_name[name]
        chunks = [column_array(reader, name, tensors) for reader in readers]
        encoded = any(pa.types.is_dictionary(chunk.type) for chunk in chunks)
        kind = arrow_type(column, tensors)
        widened = any((chunk.dictionary.type if pa.types.is_dictionary(chunk.type) else chunk.type) == _WIDE.get(kind)
                      for chunk in chunks)
        if widened:
            kind = _WIDE[kind]
        if encoded and dictionaries == "keep":
            chunks = _kept_dictionaries(chunks, kind)
            kind = pa.dictionary(pa.int32(), kind)
        else:
            chunks = [decoded(chunk) for chunk in chunks]
            if widened:
                # Some shard has 64-bit offsets: widen the others' offsets (their text is not copied).
                chunks = [chunk if chunk.type == kind else chunk.cast(kind) for chunk in chunks]
        arrays.append(pa.chunked_array(chunks, type=kind))
        fields.append(pa.field(name, kind, nullable=column.nullable))
    schema = pa.schema(fields, metadata=dataset.metadata or None)
    return pa.Table.from_arrays(arrays, schema=schema)
