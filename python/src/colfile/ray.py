"""Ray Data on colfile datasets (Specification.md §14): one read task per shard, tasks that carry
only paths and identities, workers that map the shards themselves.

- :func:`read_dataset` gives a ``ray.data.Dataset`` with one block per shard;
- :class:`ColfileDatasource` is the ``ray.data.Datasource`` behind it.

A read task holds a :class:`~colfile.dask.ShardTask` (the folder, the version, the shard's name and
identity, its rows) and the columns to read. The worker running it maps the shard, checks that it
is the file the version names (``shardMismatch`` otherwise), and returns the shard as a
``pyarrow.Table`` of views of the mapping. Unlike a Dask task, which hands those views to the next
function in the same process, Ray Data then stores each block in its object store: one copy of
the data per node, in shared memory, that later tasks on the node read without copying. Needs Ray
Data: ``pip install 'colfile[ray]'`` (tested with Ray 2.60).
"""

from __future__ import annotations

from functools import partial
from typing import Any, List, Optional, Sequence

try:
    import ray.data
    from ray.data.block import BlockMetadata
    from ray.data.datasource import Datasource, ReadTask
except ImportError as error:  # pragma: no cover - exercised without the extra installed
    raise ImportError("colfile.ray needs Ray Data: pip install 'colfile[ray]'") from error

from ._errors import ColFileError
from ._shard_task import ShardTask
from ._sharded import ShardedDataset

__all__ = ["read_dataset", "ColfileDatasource"]


def _read_shard(task: ShardTask, columns: Optional[List[str]], open_options: dict):
    """Runs in a Ray worker: maps the shard, checks its identity, returns its table of views (a
    dictionary-encoded column decoded, so that every block has the schema's types, §14.3)."""
    from ._dataset_arrow import shard_table
    return [shard_table(task.open(**open_options), columns)]


class ColfileDatasource(Datasource):
    """A version of the dataset in the folder ``path`` as a Ray Data source: one read task, and one
    block, per shard, in the dataset's row order.

    Parameters
    ----------
    path : str or os.PathLike
        The dataset's folder.
    columns : sequence of str, optional
        The columns to read (all by default).
    version : int, optional
        The version to read (the newest by default). The version is fixed when the source is made:
        versions published later do not change what its tasks read.
    **open_options
        Passed to :func:`colfile.open` for each shard (``cold_columns``, ``cache_dir``, …).

    Raises
    ------
    ColFileError
        The dataset's errors (``io``, ``badManifest``); ``noSuchColumn`` for a column it does not have.
    """

    def __init__(self, path, columns: Optional[Sequence[str]] = None, *, version: Optional[int] = None,
                 **open_options: Any) -> None:
        self._dataset = ShardedDataset(path, version)
        names = [column.name for column in self._dataset.schema]
        for name in columns or ():
            if name not in names:
                raise ColFileError("noSuchColumn", self._dataset.path, str(name), "no such column")
        self._columns = list(columns) if columns is not None else None
        self._open_options = dict(open_options)

    def estimate_inmemory_data_size(self) -> Optional[int]:
        """The shards' total file size (for columns not compressed, what the blocks will hold)."""
        return self._dataset.file_bytes

    def get_read_tasks(self, parallelism: int, **options: Any) -> List[ReadTask]:
        """One read task per shard, whatever ``parallelism`` asks: a shard is the unit of mapping."""
        columns, open_options = self._columns, self._open_options  # not self: a task carries no dataset
        tasks = []
        for shard in self._dataset.shards:
            task = ShardTask.of(self._dataset, shard)
            metadata = BlockMetadata(num_rows=shard.rows, size_bytes=shard.file_bytes,
                                     input_files=[f"{task.folder}/{task.name}"], exec_stats=None)
            tasks.append(ReadTask(partial(_read_shard, task, columns, open_options), metadata))
        return tasks

    def get_name(self) -> str:
        return "ReadColfile"


def read_dataset(path, columns: Optional[Sequence[str]] = None, *, version: Optional[int] = None,
                 **open_options: Any) -> "ray.data.Dataset":
    """A version of the dataset in ``path`` as a ``ray.data.Dataset``, one block per shard.

    Parameters and errors as :class:`ColfileDatasource`. Ray must be initialised (``ray.init()``)
    or will be, as Ray Data does on first use.
    """
    return ray.data.read_datasource(ColfileDatasource(path, columns, version=version, **open_options))
