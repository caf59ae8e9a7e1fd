"""Dask on colfile datasets (Specification.md §14): one partition per shard, tasks that carry only
paths and identities, workers that map the shards themselves.

- :func:`read_dataset` gives a ``dask.dataframe.DataFrame``, one partition per shard;
- :func:`array` gives a ``dask.array.Array`` of a fixed-width or tensor column, one chunk per shard;
- :func:`to_colfile` writes a DataFrame's partitions as shards in parallel and publishes one version.

A task holds the dataset's folder, the version, the shard's name and identity (file id and
directory CRC-32), its rows, and the columns to read: some hundred bytes whatever the shard's size.
The worker running it opens the shard (``mmap``), checks that it is the file the version names
(``shardMismatch`` otherwise, never another version's data), and hands out views of the mapping:
workers on one host share the shards' pages in the page cache, and workers on other hosts read the
same folder through a shared file system (§14.7). Needs ``dask[dataframe]`` (and ``distributed``
for a cluster): ``pip install 'colfile[dask]'``.
"""

from __future__ import annotations

import os
import secrets
from typing import Any, List, Optional, Sequence, Tuple

import numpy as np

try:
    import dask
    import dask.array as da
    import dask.dataframe as dd
except ImportError as error:  # pragma: no cover - exercised without the extra installed
    raise ImportError("colfile.dask needs Dask: pip install 'colfile[dask]'") from error

import pandas as pd
import pyarrow as pa

from ._dataset_format import DatasetColumn
from ._dictionary import DictColumn
from ._errors import ColFileError
from ._shard_task import ShardTask
from ._sharded import ShardedDataset
from ._transaction import DatasetTransaction

__all__ = ["read_dataset", "array", "to_colfile", "ShardTask"]


# -- DataFrames ---------------------------------------------------------------------------------------

def _series(array: "pa.Array", column: DatasetColumn, index: pd.RangeIndex) -> pd.Series:
    """A column as pandas holds it, with a dtype that depends on the schema only (never on whether
    this shard happens to have nulls): non-nullable numbers are NumPy views of the mapping; nullable
    numbers and bools are Arrow-backed (``int64[pyarrow]``: nulls stay nulls, not NaN); tensors
    Arrow-backed fixed-size lists (zero-copy); strings, timestamps and dates as pyarrow converts them."""
    kind = array.type
    if isinstance(kind, pa.ExtensionType):
        array, kind = array.storage, array.storage.type
    numeric = pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
    if pa.types.is_fixed_size_list(kind):
        values = pd.array(array, dtype=pd.ArrowDtype(kind))
    elif numeric and column.nullable:
        values = pd.array(array, dtype=pd.ArrowDtype(kind))
    elif numeric:
        values = array.to_numpy(zero_copy_only=not pa.types.is_boolean(kind))
    elif pa.types.is_date32(kind):
        values = array.to_pandas(date_as_object=False)
    else:
        values = array.to_pandas()
    if isinstance(values, pd.Series):
        values = values.array  # its own index 0…n must not be aligned with the dataset's row numbers
    return pd.Series(values, index=index, name=column.name, copy=False)


def _frame(readers_columns, columns: Sequence[DatasetColumn], first_row: int, rows: int) -> pd.DataFrame:
    index = pd.RangeIndex(first_row, first_row + rows)
    data = {column.name: _series(array, column, index) for column, array in zip(columns, readers_columns)}
    return pd.DataFrame(data, index=index, copy=False)


def _empty(columns: Sequence[DatasetColumn], categories: Sequence[str]) -> pd.DataFrame:
    """The DataFrame's meta: no rows, the dtypes every partition has; the ``categories`` columns
    categorical with categories Dask does not know (each partition has its shard's own)."""
    from dask.dataframe.utils import clear_known_categories

    from ._dataset_arrow import arrow_type
    arrays = []
    for column in columns:
        kind = arrow_type(column, "list")
        arrays.append(pa.array([], type=pa.dictionary(pa.int32(), kind) if column.name in categories else kind))
    meta = _frame(arrays, columns, 0, 0)
    return clear_known_categories(meta, cols=list(categories)) if categories else meta


def _categorical(array: "pa.Array") -> "pa.Array":
    """A shard's column as a dictionary array: as stored when the shard encodes it (its dictionary
    becomes the partition's categories), else encoded here."""
    return array if pa.types.is_dictionary(array.type) else array.dictionary_encode()


def load_partition(task: ShardTask, schema: Tuple[DatasetColumn, ...], open_options: dict,
                   categories: Tuple[str, ...] = (), columns: Optional[Sequence[str]] = None) -> pd.DataFrame:
    """The partition of shard ``task``: run in the worker, which maps the shard itself and reads only
    ``columns`` (those of ``schema`` by default; Dask's optimizer passes the ones a computation needs),
    the ``categories`` ones as pandas ``Categorical``\\ s, the others decoded."""
    from ._arrow import column_array
    from ._dataset_arrow import decoded

    if columns is not None:
        by_name = {column.name: column for column in schema}
        schema = tuple(by_name[name] for name in ([columns] if isinstance(columns, str) else columns))
    reader = task.open(**open_options)
    arrays = []
    for column in schema:
        array = column_array(reader, column.name, "list")
        arrays.append(_categorical(array) if column.name in categories else decoded(array))
    return _frame(arrays, schema, task.first_row, task.rows)


def read_dataset(path, columns: Optional[Sequence[str]] = None, *, version: Optional[int] = None,
                 categories: Optional[Sequence[str]] = None, **open_options: Any) -> "dd.DataFrame":
    """A version of the dataset in ``path`` as a Dask DataFrame with one partition per shard.

    The manifest is read here (one file, no shard opened); each task carries only its shard's path
    and identity and the column names, and the worker that runs it maps the shard. The index is the
    dataset's row number (a ``RangeIndex`` per partition), and the divisions are known when no shard
    is empty.

    Parameters
    ----------
    path : str or os.PathLike
        The dataset's folder.
    columns : sequence of str, optional
        The columns to read; all by default.
    version : int, optional
        The version; the newest by default. The DataFrame always reads this version, whatever is
        published meanwhile (shards are immutable); garbage collection of it before the tasks run
        makes them fail with ``io`` (``ENOENT``).
    categories : sequence of str, optional
        Columns to read as pandas ``Categorical``\\ s (as ``dask.dataframe.read_parquet``'s
        ``categories``): a shard that stores one dictionary-encoded gives its dictionary as the
        partition's categories, without decoding a row; a plain shard's values are encoded in the
        worker. Dask does not know the categories until it computes them
        (``frame[name].cat.as_known()``); each partition has its own. Not for tensor columns.
    **open_options
        How workers open shards (:func:`colfile.open`'s options).

    Notes
    -----
    dtypes follow the schema: non-nullable numbers are NumPy (zero-copy views of the mapping in the
    worker), nullable numbers and bools Arrow-backed (``int64[pyarrow]``), tensors Arrow-backed
    fixed-size lists, strings pandas' string dtype, timestamps ``datetime64[unit, tz]``, dates
    ``datetime64``; a shard's dictionary-encoded column is decoded unless ``categories`` names it, so a
    partition's dtypes never depend on its shard's encoding. Dask's optimizer reads only the columns
    a computation needs.
    """
    dataset = ShardedDataset(path, version)
    chosen = _columns(dataset, columns)
    categorical = _categories(dataset, chosen, categories)
    tasks = [ShardTask.of(dataset, shard) for shard in dataset.shards]
    meta = _empty(chosen, categorical)
    if not tasks:
        return dd.from_pandas(meta, npartitions=1)
    divisions = None
    if all(task.rows > 0 for task in tasks):
        divisions = tuple(task.first_row for task in tasks) + (dataset.row_count - 1,)
    return dd.from_map(load_partition, tasks, args=[tuple(chosen), dict(open_options), categorical], meta=meta,
                       divisions=divisions, label="colfile-shard", enforce_metadata=False)


def _columns(dataset: ShardedDataset, names: Optional[Sequence[str]]) -> List[DatasetColumn]:
    by_name = {column.name: column for column in dataset.schema}
    if names is None:
        return list(dataset.schema)
    for name in names:
        if name not in by_name:
            raise ColFileError("noSuchColumn", dataset.path, str(name), "no such column")
    return [by_name[name] for name in names]


def _categories(dataset: ShardedDataset, chosen: Sequence[DatasetColumn],
                names: Optional[Sequence[str]]) -> Tuple[str, ...]:
    """The names of ``read_dataset``'s ``categories``, each a scalar column among those read."""
    if names is None:
        return ()
    if isinstance(names, str):
        raise TypeError("categories must be a sequence of column names, not a string")
    by_name = {column.name: column for column in chosen}
    for name in names:
        if name not in by_name:
            if any(column.name == name for column in dataset.schema):
                raise ValueError(f"categories names column {name!r}, which columns does not read")
            raise ColFileError("noSuchColumn", dataset.path, str(name), "no such column")
        if by_name[name].shape:
            raise ColFileError("typeMismatch", dataset.path, str(name), "a tensor column cannot be categorical")
    return tuple(names)


# -- arrays -------------------------------------------------------------------------------------------

def _decoded(column: DictColumn, masked: bool) -> np.ndarray:
    """The rows of a dictionary-encoded column of fixed-width values, each its entry (a copy), null
    rows zero (masked when ``masked``)."""
    null = column.codes < 0
    entries = column.categories
    if len(entries) == 0:
        values = np.zeros(len(null), entries.dtype)
    else:
        values = entries[np.where(null, 0, column.codes)]
        values[null] = 0
    return np.ma.MaskedArray(values, mask=null, copy=False) if masked else values


def load_chunk(task: ShardTask, name: str, masked: bool, open_options: dict) -> np.ndarray:
    """Column ``name`` of shard ``task`` as an array: a zero-copy, read-only view of the mapping
    (a ``numpy.ma`` array over it when the column is nullable), or, when the shard stores the
    column dictionary-encoded (§14.3), its rows decoded (a copy). Run in the worker."""
    reader = task.open(**open_options)
    values = reader[name]
    if isinstance(values, DictColumn):
        return _decoded(values, masked)
    return reader.masked(name) if masked else values


def array(path, column: str, *, version: Optional[int] = None, **open_options: Any) -> "da.Array":
    """Column ``column`` of a version of the dataset in ``path`` as a Dask array chunked by shard:
    shape ``(rows, d1, …, dk)``, one chunk of ``(shard rows, d1, …, dk)`` per shard.

    Each task carries only its shard's path and identity; the worker maps the shard and the chunk is
    a read-only view of the mapping (no copy), a ``numpy.ma`` masked array over it when the column is
    nullable. Timestamps are ``datetime64[unit]`` (the zone is in the schema), dates Int32 days (as
    :meth:`colfile.Reader.column`), Bool columns unpacked bools (a copy). A shard that stores the
    column dictionary-encoded (each shard's choice, §14.3) gives its rows decoded (a copy).

    Raises
    ------
    ColFileError
        ``noSuchColumn``; ``typeMismatch`` for a String or Binary column.
    """
    dataset = ShardedDataset(path, version)
    (chosen,) = _columns(dataset, [column])
    if chosen.type in ("String", "Binary"):
        raise ColFileError("typeMismatch", dataset.path, column, "the column has another type",
                           expected="a fixed-width or tensor column", found=chosen.type)
    from ._format import PHYSICAL_TYPES
    if chosen.logical_type == "Timestamp":
        dtype = np.dtype(f"datetime64[{chosen.time_unit}]")
    elif chosen.type == "Bool":
        dtype = np.dtype(bool)
    else:
        dtype = np.dtype([t[3] for t in PHYSICAL_TYPES.values() if t[0] == chosen.type][0])
    tasks = [ShardTask.of(dataset, shard) for shard in dataset.shards]
    name = "colfile-array-" + dask.base.tokenize(dataset.path, dataset.version, column, sorted(open_options.items()))
    tail = (0,) * len(chosen.shape)
    graph = {(name, index) + tail: (load_chunk, task, column, chosen.nullable, dict(open_options))
             for index, task in enumerate(tasks)}
    chunks = (tuple(task.rows for task in tasks) or (0,),) + tuple((d,) for d in chosen.shape)
    if not tasks:
        graph = {(name, 0) + tail: (np.empty, (0,) + chosen.shape, dtype)}
    meta = np.empty((0,) + chosen.shape, dtype)
    if chosen.nullable:
        meta = np.ma.masked_array(meta)
    return da.Array(graph, name, chunks, meta=meta)


# -- writing ------------------------------------------------------------------------------------------

def write_partition(frame: pd.DataFrame, folder: str, name: str, schema: "pa.Schema", write_index: bool,
                    write_options: dict) -> str:
    """Writes one partition as the shard ``name`` in ``folder`` (never replacing a file). Run in the worker."""
    from ._writer import Writer

    frame = frame.reset_index(drop=not write_index)
    writer = Writer(f"{folder}/{name}", schema, _spill=False, _replace=False, **write_options)
    try:
        writer.write_batch(frame)
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return name


def to_colfile(frame: "dd.DataFrame", path, *, append: bool = False, write_index: bool = False,
               metadata: Optional[dict] = None, **write_options: Any) -> ShardedDataset:
    """Writes the partitions of ``frame`` as shards in parallel (one task per partition, on the
    workers) and publishes them as one version: a new dataset in ``path``, or with ``append`` the
    next version of the dataset there.

    The client holds the transaction (and the dataset's lock, so garbage collection waits) from the
    first shard to the publish. Every partition is written with the types of ``frame``'s meta, so
    partitions agree even when one has no nulls. If a task fails, the shards written are removed and
    the dataset is unchanged.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        The data; its partitions' order is the dataset's row order.
    path : str or os.PathLike
        The dataset's folder.
    append : bool
        Add to the dataset in ``path`` instead of creating one.
    write_index : bool
        Store the index as a column (named after it, or ``index``); by default it is dropped.
    metadata : dict, optional
        The dataset's metadata (set on the version published).
    **write_options
        :func:`colfile.write`'s options for each shard (``compress``, ``sync``, …).

    Returns
    -------
    ShardedDataset
        The version published.
    """
    meta = frame._meta.reset_index(drop=not write_index)
    schema = pa.Schema.from_pandas(meta, preserve_index=False).remove_metadata()
    # A categorical's index type in the meta says nothing of a partition's categories (unknown
    # categories are none at all): Int64 indices let each shard take the narrowest for its own.
    schema = pa.schema([field.with_type(pa.dictionary(pa.int64(), field.type.value_type))
                        if pa.types.is_dictionary(field.type) else field for field in schema])
    transaction = DatasetTransaction(path, create=not append, metadata=None if append else metadata,
                                     sync=write_options.get("sync", True))
    token = secrets.token_hex(4)
    names = [f"part-{token}-{index:06d}.col" for index in range(frame.npartitions)]
    try:
        if append and metadata:
            for key, value in metadata.items():
                transaction.set_metadata(key, value)
        writes = [dask.delayed(write_partition, pure=False)(partition, transaction.path, name, schema, write_index,
                                                            write_options)
                  for partition, name in zip(frame.to_delayed(), names)]
        written = dask.compute(*writes)
        for name in written:
            transaction.add_written(name)
        return transaction.commit()
    except BaseException:
        transaction.abort()
        for name in names:  # the shards of tasks that finished before one failed
            try:
                os.unlink(f"{transaction.path}/{name}")
            except OSError:
                pass
        raise
