"""What a task of a distributed engine (Dask, Ray Data) carries to read one shard of a dataset
(Specification.md §14): where the shard is and which file it must be, never its data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._dataset_format import DatasetShard
from ._sharded import ShardedDataset, check_shard

__all__ = ["ShardTask"]


@dataclass(frozen=True)
class ShardTask:
    """What a task knows of its shard: where it is and which file it must be. Nothing of its data."""

    folder: str
    version: int
    name: str
    file_id: bytes
    directory_crc: int
    rows: int
    first_row: int
    file_bytes: int

    @classmethod
    def of(cls, dataset: ShardedDataset, shard: DatasetShard) -> "ShardTask":
        return cls(dataset.path, dataset.version, shard.name, shard.file_id, shard.directory_crc, shard.rows,
                   shard.first_row, shard.file_bytes)

    def open(self, **open_options: Any):
        """Maps the shard (in the worker) and checks it is the file the version names."""
        from ._reader import Reader

        reader = Reader(f"{self.folder}/{self.name}", **open_options)
        shard = DatasetShard(self.name, self.rows, self.file_bytes, self.file_id, self.directory_crc)
        check_shard(reader, shard, self.version, None)
        return reader
