"""colfile: large typed columns shared between processes through one read-only mapping.

Read a colfile file with :func:`open` (zero-copy NumPy and Arrow views of a read-only
``MAP_SHARED`` mapping), write one with :func:`write` or :class:`Writer` (published atomically).
A dataset (a folder of colfile files, a manifest per version, Specification.md §14) is read with
:func:`dataset` and written with :class:`DatasetTransaction` or :func:`write_dataset`;
``colfile.dask`` reads and writes datasets with Dask, ``colfile.ray`` reads them with Ray Data.
Many processes fill one result table in place with :func:`open_draft` (a draft, Specification.md
§15, sealed by the Swift tool, ``colfile draft seal``).
The format is Specification.md in the colfile repository; errors are :class:`ColFileError` with
the Swift library's codes and messages.
"""

from __future__ import annotations

import os
from typing import Optional, Union

from ._cache import CacheFallback
from ._cache import default_folder as default_cache_folder
from ._dictionary import DictColumn
from ._dictionary_writer import DictionaryEncoded
from ._draft import AtomicColumn, Draft, RangeClaim, WorkQueue, open_draft
from ._errors import CODES, ColFileError
from ._info import BufferInfo, ColumnInfo, DictionaryInfo
from ._reader import ChunkedColumn, Reader, VarColumn
from ._writer import Writer, write
from ._map_dataset import Dataset
from ._dataset_format import DatasetColumn, DatasetShard
from ._gc import GarbageReport, collect_garbage
from ._sharded import ShardedDataset
from ._transaction import DatasetTransaction, write_dataset

__version__ = "1.2.0"

__all__ = [
    "open", "write", "Writer", "Reader", "VarColumn", "ChunkedColumn", "DictColumn", "ColumnInfo", "BufferInfo",
    "DictionaryInfo", "DictionaryEncoded",
    "ColFileError", "CODES", "CacheFallback", "Dataset", "default_cache_folder", "__version__",
    "dataset", "ShardedDataset", "DatasetColumn", "DatasetShard", "DatasetTransaction", "write_dataset",
    "collect_garbage", "GarbageReport",
    "open_draft", "Draft", "WorkQueue", "RangeClaim", "AtomicColumn",
]


def open(path: Union[str, "os.PathLike[str]"], *, cold_columns: str = "shared", cache_dir: Optional[str] = None,
         cache_max_bytes: Optional[int] = None, max_decoded_bytes: Optional[int] = None, decode_threads: Optional[int] = None,
         check_chunk_checksums: bool = False) -> Reader:
    """Opens, maps and checks a colfile file.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    cold_columns : {"shared", "private", "refuse"}
        Where the decoded bytes of cold (compressed) columns live: ``"shared"`` (default) decodes
        once per machine into the shared cache (Specification.md §13.4) that every process, Swift or
        Python, maps; ``"private"`` decodes into this process's memory; ``"refuse"`` never decodes
        silently: reading a cold column's values raises ``ColFileError`` ``wouldDecode`` ("no silent
        copy"; :meth:`Reader.chunked` still decodes the chunks it is asked for).
    cache_dir : str, optional
        The shared cache folder; default ``$COLFILE_CACHE_DIR``, else ``$XDG_CACHE_HOME/colfile``,
        else ``~/.cache/colfile``. When the folder cannot be used (not ours, writable by others, a
        full or read-only disk), cold columns decode privately, :attr:`Reader.cache_fallbacks` says
        why and a :class:`CacheFallback` warning is issued.
    cache_max_bytes : int, optional
        The most bytes the shared cache's entries take together: after decoding a column into it,
        the reader removes the least recently used other entries (an entry's use is its last
        decode, or a mapping a minute or more after the last mark) until they fit. Default
        ``$COLFILE_CACHE_MAX_SIZE`` (bytes, or a number and K, M, G or T: ``20G``), else a tenth
        of the file system that holds the folder (Specification.md §13.4).
    max_decoded_bytes : int, optional
        The most decoded bytes one cold column may have (``decodeLimitExceeded`` beyond); default
        the machine's physical memory.
    decode_threads : int, optional
        Threads decoding a whole cold column (zlib and the ctypes calls into libzstd release the
        GIL); default the cores.
    check_chunk_checksums : bool
        Check each decoded chunk's CRC-32 too (zlib already checks its Adler-32, zstd its frame and
        content checksum); ``verify()`` always does.

    Returns
    -------
    Reader
        Also a context manager.

    Raises
    ------
    ColFileError
        ``io`` when the file cannot be opened or mapped, else the code of the first check of
        Specification.md §9 the file fails.

    Notes
    -----
    Opening costs O(columns + directory size), independent of the size of the data.

    Examples
    --------
    >>> with colfile.open("trades.col") as reader:          # doctest: +SKIP
    ...     prices = reader["price"]                       # a read-only view of the mapping
    ...     table = reader.to_arrow()                      # zero-copy pyarrow.Table
    """
    return Reader(path, cold_columns=cold_columns, cache_dir=cache_dir, cache_max_bytes=cache_max_bytes,
                  max_decoded_bytes=max_decoded_bytes,
                  decode_threads=decode_threads, check_chunk_checksums=check_chunk_checksums)


def dataset(path: Union[str, "os.PathLike[str]"], version: Optional[int] = None, **open_options) -> ShardedDataset:
    """Opens a version of the dataset in the folder ``path`` (Specification.md §14): the newest, or ``version``.

    Parameters
    ----------
    path : str or os.PathLike
        The dataset's folder.
    version : int, optional
        The version to open; the newest by default (found from the folder's hint and by trying the
        next versions' manifests, §14.4; the folder is listed only when the hint is unusable).
    **open_options
        How shards are opened: the options of :func:`open` (``cold_columns``, ``cache_dir``, …).

    Returns
    -------
    ShardedDataset
        The version: ``version``, ``schema``, ``shards``, ``metadata``; ``shard(i)`` a checked
        :class:`Reader`; ``to_arrow()`` a ``pyarrow.Table`` with one zero-copy chunk per shard.

    Raises
    ------
    ColFileError
        ``io`` (``ENOENT``) when there is no dataset or no such version; ``badManifest`` or the error
        of the first check of Specification.md §9 the manifest fails.

    Notes
    -----
    Opening reads one manifest, O(shards + columns); no shard is opened until it is used.

    Examples
    --------
    >>> ds = colfile.dataset("trades.ds")                    # doctest: +SKIP
    >>> ds.version, ds.row_count, [c.name for c in ds.schema]  # doctest: +SKIP
    >>> table = ds.to_arrow()                                # one chunk per shard, no copy
    """
    return ShardedDataset(path, version, **open_options)
