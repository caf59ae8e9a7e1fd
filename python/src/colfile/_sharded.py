"""Reading a dataset (Specification.md §14): finding the newest version without listing the
folder for shards (§14.4), opening a version's manifest, and opening each shard checked against it
(§14.5), as the Swift library's ``ColFileDataset`` does."""

from __future__ import annotations

import errno as errno_module
import os
import threading
from bisect import bisect_right
from typing import Any, Dict, Iterator, List, Optional, Sequence

from ._dataset_format import (HINT_NAME, DatasetColumn, DatasetShard, Manifest, folder_path, manifest_name,
                              schema_problem, version_of_manifest_name, version_spelled)
from ._errors import ColFileError
from ._files import open_regular_file, temporary_name
from ._reader import Reader


class DatasetFolder:
    """A dataset's folder and the files the format gives it (§14.1, §14.4)."""

    def __init__(self, path) -> None:
        self.path = folder_path(path)

    def file(self, name: str) -> str:
        return f"{self.path}/{name}"

    def manifest_path(self, version: int) -> str:
        return self.file(manifest_name(version))

    def manifest(self, version: int) -> Optional[Manifest]:
        """Version ``version``'s manifest, checked; None when no file has its name."""
        try:
            reader = Reader(self.manifest_path(version), cold_columns="private")
        except ColFileError as error:
            if error.code == "io" and error.errno == errno_module.ENOENT:
                return None
            raise
        with reader:
            return Manifest.from_reader(reader, version)

    def newest_manifest(self) -> Manifest:
        """The newest version's manifest: from the hint (or a listing of the manifests' names when
        the hint is unusable), then the next versions' manifests until one is missing (§14.4)."""
        current = None
        hinted = self.read_hint()
        if hinted is not None:
            current = self.manifest(hinted)
        attempts = 0
        while current is None:
            versions = self.listed_versions()
            if not versions:
                raise ColFileError("io", self.path, None,
                                   f"no dataset here: the folder holds no manifest ({manifest_name(1)} …)",
                                   errno=errno_module.ENOENT)
            current = self.manifest(versions[-1])
            attempts += 1
            if current is None and attempts >= 8:
                raise ColFileError("io", self.manifest_path(versions[-1]), None,
                                   "the newest manifest keeps disappearing", errno=errno_module.ENOENT)
        while True:
            following = self.manifest(current.version + 1)
            if following is None:
                return current
            current = following

    def read_hint(self) -> Optional[int]:
        """The version ``_latest`` names, or None when it is missing, not a regular file (a FIFO must not
        block the reader) or not 1 to 20 digits (and a newline)."""
        try:
            fd, _ = open_regular_file(self.file(HINT_NAME))
        except ColFileError:
            return None
        try:
            data = os.pread(fd, 32, 0)
        except OSError:
            return None
        finally:
            os.close(fd)
        if len(data) >= 32:
            return None
        if data.endswith(b"\n"):
            data = data[:-1]
        try:
            return version_spelled(data.decode("utf-8"))
        except UnicodeDecodeError:
            return None

    def publish_hint(self, version: int) -> None:
        """Points the hint at ``version``, then at any newer version published meanwhile (§14.4).
        Failures are ignored: the hint only shortens the search."""
        for _ in range(64):
            temporary = temporary_name(self.file(HINT_NAME))
            try:
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
                try:
                    os.write(fd, f"{version}\n".encode())
                finally:
                    os.close(fd)
                os.rename(temporary, self.file(HINT_NAME))
            except OSError:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
                return
            if not os.path.isfile(self.manifest_path(version + 1)):
                return
            version += 1
            while os.path.isfile(self.manifest_path(version + 1)):
                version += 1

    def listed_versions(self) -> List[int]:
        """The versions of the manifests in a listing of the folder, increasing."""
        try:
            names = os.listdir(self.path)
        except OSError as error:
            raise ColFileError("io", self.path, None, "cannot list the dataset folder", errno=error.errno) from None
        return sorted(v for v in map(version_of_manifest_name, names) if v is not None)


def open_shard(shard: DatasetShard, path: str, version: int, schema: Sequence[DatasetColumn],
               **open_options: Any) -> Reader:
    """Opens shard ``shard`` at ``path`` and checks it against its manifest entry and ``schema`` (§14.5).

    Raises
    ------
    ColFileError
        ``io`` (a missing file says which version names it), the file's own errors, ``shardMismatch``.
    """
    try:
        reader = Reader(path, **open_options)
    except ColFileError as error:
        if error.code == "io" and error.errno == errno_module.ENOENT:
            raise ColFileError("io", path, None,
                               f"cannot open shard '{shard.name}' of dataset version {version} "
                               "(removed by garbage collection?)", errno=errno_module.ENOENT) from None
        raise
    try:
        check_shard(reader, shard, version, schema)
    except BaseException:
        reader.close()
        raise
    return reader


def check_shard(reader: Reader, shard: DatasetShard, version: Optional[int], schema: Optional[Sequence[DatasetColumn]]):
    """Raises ``shardMismatch`` unless ``reader`` holds the file ``shard`` describes (and fits ``schema``)."""
    if reader.identity != shard.identity:
        raise ColFileError("shardMismatch", reader.path, None,
                           f"the file is not the shard dataset version {version} names: its identity differs",
                           expected=shard.identity, found=reader.identity)
    if reader.row_count != shard.rows:
        raise ColFileError("shardMismatch", reader.path, None, "the shard has another row count than its manifest says",
                           expected=shard.rows, found=reader.row_count)
    if reader.file_bytes != shard.file_bytes:
        raise ColFileError("shardMismatch", reader.path, None, "the shard has another size than its manifest says",
                           expected=shard.file_bytes, found=reader.file_bytes)
    if schema is not None:
        # A column of a type or codec this library does not know (§9 step 14.2, §14.5) is checked by
        # name only; like a single file's, it is refused when asked for, its neighbours read.
        found = [schema[info.index] if info.unreadable is not None and info.index < len(schema)
                 and schema[info.index].name == info.name else DatasetColumn.from_info(info)
                 for info in reader.columns]
        problem = schema_problem(found, schema, True)
        if problem is not None:
            raise ColFileError("shardMismatch", reader.path, None,
                               "the shard does not fit the dataset's schema: " + problem)


class ShardedDataset:
    """One version of a dataset: a table stored as colfile files (shards) in one folder, listed by a
    manifest (Specification.md §14). Open it with :func:`colfile.dataset`.

    Opening reads one manifest; it never lists the folder to find shards. The value keeps describing
    the version it opened after newer ones are published (shards are never modified). Each shard is
    opened on first use (:meth:`shard`) and kept, checked against the manifest (identity, rows, size,
    columns): a dataset never mixes versions silently (``shardMismatch``). A shard removed by garbage
    collection after it was opened stays readable through its mapping; one removed before fails to
    open (``io``, ``ENOENT``). :meth:`open_all_shards` and :meth:`to_arrow` map every shard.

    Attributes
    ----------
    path : str
        The dataset's folder.
    version : int
        The version this value describes.
    schema : list of DatasetColumn
        The columns every shard has.
    shards : list of DatasetShard
        The shards, in the dataset's row order.
    metadata : dict
        The dataset's own metadata (the manifest's, without the ``colfile.`` keys).
    """

    def __init__(self, path, version: Optional[int] = None, **open_options: Any) -> None:
        folder = DatasetFolder(path)
        if version is not None:
            manifest = folder.manifest(version) if version >= 1 else None
            if manifest is None:
                raise ColFileError("io", folder.manifest_path(max(version, 1)), None,
                                   f"the dataset has no version {version} (never published, or removed by garbage "
                                   "collection)", errno=errno_module.ENOENT)
        else:
            manifest = folder.newest_manifest()
        self._init(folder, manifest, open_options)

    @classmethod
    def _from_manifest(cls, folder: DatasetFolder, manifest: Manifest, **open_options: Any) -> "ShardedDataset":
        self = cls.__new__(cls)
        self._init(folder, manifest, open_options)
        return self

    def _init(self, folder: DatasetFolder, manifest: Manifest, open_options: Dict[str, Any]) -> None:
        self._folder = folder
        self.path = folder.path
        self.version = manifest.version
        self.schema: List[DatasetColumn] = list(manifest.schema)
        self.shards: List[DatasetShard] = list(manifest.shards)
        self.metadata: Dict[str, str] = dict(manifest.metadata)
        self.open_options = dict(open_options)
        self._readers: Dict[int, Reader] = {}
        self._lock = threading.Lock()

    # -- the version -------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """The number of rows: the sum of the shards' rows."""
        return self.shards[-1].first_row + self.shards[-1].rows if self.shards else 0

    def __len__(self) -> int:
        return self.row_count

    @property
    def file_bytes(self) -> int:
        """The size of the shard files in bytes."""
        return sum(shard.file_bytes for shard in self.shards)

    @property
    def names(self) -> List[str]:
        """The column names, in order."""
        return [column.name for column in self.schema]

    def __repr__(self) -> str:
        return (f"<colfile.ShardedDataset {self.path!r} version={self.version} shards={len(self.shards)} "
                f"rows={self.row_count}>")

    def inspect(self) -> Dict[str, Any]:
        """The version described as ``colfile dataset inspect --json`` prints it (same keys and values)."""
        return {"path": self.path, "version": self.version, "rows": self.row_count, "fileBytes": self.file_bytes,
                "metadata": dict(self.metadata), "schema": [column.to_dict() for column in self.schema],
                "shards": [shard.to_dict() for shard in self.shards]}

    def shard_path(self, index: int) -> str:
        """The path of shard ``index``'s file."""
        return self._folder.file(self.shards[index].name)

    def shard_index(self, row: int) -> int:
        """The index of the shard holding dataset row ``row``."""
        if not 0 <= row < self.row_count:
            raise IndexError("row index out of range")
        return bisect_right([shard.first_row for shard in self.shards], row) - 1

    def newest_version(self) -> int:
        """The newest version of the dataset now: this one, or a later one published since (§14.4)."""
        return self._folder.newest_manifest().version

    # -- shards ---------------------------------------------------------------------------------------

    def shard(self, index: int) -> Reader:
        """A :class:`~colfile.Reader` of shard ``index``, opened on first use and checked against the
        manifest: identity, row count, size, and each column against the schema.

        Raises
        ------
        ColFileError
            ``io`` when the file cannot be opened (``ENOENT``: removed by garbage collection); the
            error of the first check of Specification.md §9 it fails; ``shardMismatch``.
        """
        with self._lock:
            reader = self._readers.get(index)
            if reader is None:
                reader = open_shard(self.shards[index], self.shard_path(index), self.version, self.schema,
                                    **self.open_options)
                self._readers[index] = reader
            return reader

    def open_all_shards(self) -> List[Reader]:
        """Opens (and checks) every shard, so each is mapped: this version then stays readable whatever
        is published or collected afterwards."""
        return [self.shard(index) for index in range(len(self.shards))]

    def __iter__(self) -> Iterator[Reader]:
        return iter(self.open_all_shards())

    def verify(self, checksums: bool = True) -> None:
        """Checks every shard against the manifest and, unless ``checksums`` is False, verifies it in
        full (:meth:`colfile.Reader.verify`).

        Raises
        ------
        ColFileError
            The first failure.
        """
        for index in range(len(self.shards)):
            reader = self.shard(index)
            if checksums:
                reader.verify()

    def close(self) -> None:
        """Closes the shards' readers (their mappings go when the last view of them goes)."""
        with self._lock:
            for reader in self._readers.values():
                reader.close()
            self._readers = {}

    def __enter__(self) -> "ShardedDataset":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    # -- Arrow and pandas -----------------------------------------------------------------------------

    def to_arrow(self, columns: Optional[Sequence[str]] = None, *, tensors: str = "extension",
                 dictionaries: str = "decode"):
        """The version (or ``columns`` of it) as a ``pyarrow.Table`` whose columns are ``ChunkedArray``\\ s
        with one chunk per shard, each chunk's buffers zero-copy views of that shard's mapping (as
        :meth:`colfile.Reader.to_arrow`).

        String and Binary chunks share one Arrow type: when some shards hold LargeString (64-bit
        offsets, a shard with 2 GiB of text or more) and others String, the others' offsets are
        widened to 64 bits (a copy of the offsets, never of the text). Dictionary encoding is each
        shard's choice (§14.3), and a column has one type whatever its shards chose: see
        ``dictionaries``.

        Parameters
        ----------
        columns : sequence of str, optional
            The columns, in this order; all by default.
        tensors : {"extension", "list"}
            Tensor columns as ``arrow.fixed_shape_tensor`` extension arrays or ``FixedSizeList`` arrays.
        dictionaries : {"decode", "keep"}
            ``"decode"`` (the default): the schema's type; a shard that stores the column
            dictionary-encoded gives its values decoded (a copy). ``"keep"``: a column that some shard
            stores encoded is a ``dictionary<int32, values>`` column, each chunk with its shard's own
            dictionary (a view of the mapping; the indices a view when the shard's are Int32, else
            widened, a copy) and the plain shards' chunks encoded (a copy); other columns as with
            ``"decode"``.
        """
        from ._dataset_arrow import table_from_dataset
        return table_from_dataset(self, columns, tensors, dictionaries)

    def to_pandas(self, columns: Optional[Sequence[str]] = None, *, dictionaries: str = "decode", **options: Any):
        """The version as a ``pandas.DataFrame``, through :meth:`to_arrow` (as :meth:`colfile.Reader.to_pandas`);
        with ``dictionaries="keep"``, a column some shard stores encoded is a ``Categorical``."""
        table = self.to_arrow(columns, tensors="list", dictionaries=dictionaries)
        options.setdefault("split_blocks", True)
        options.setdefault("zero_copy_only", False)
        return table.to_pandas(**options)
