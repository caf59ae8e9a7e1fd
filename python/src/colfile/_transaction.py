"""Publishing dataset versions (Specification.md §14.5) and the dataset's lock (§14.6), as the
Swift library's ``DatasetTransaction`` and ``DatasetLock`` do: the same names, the same lock file,
the same exclusive link of each manifest, interchangeable with Swift writers on one folder."""

from __future__ import annotations

import collections.abc
import dataclasses
import errno as errno_module
import fcntl
import os
import secrets
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ._dataset_format import (LOCK_NAME, DatasetColumn, DatasetShard, Manifest, check_metadata_keys, schema_problem,
                              shard_name_problem)
from ._dictionary_writer import DictionaryEncoded
from ._errors import ColFileError
from ._files import TemporaryFile
from ._locks import retry_within
from ._reader import Reader
from ._sharded import DatasetFolder, ShardedDataset

_NO_LOCKS = (errno_module.ENOLCK, errno_module.EOPNOTSUPP, errno_module.ENOSYS)


#: How long (seconds) a non-waiting attempt that finds the lock held tries again, pausing 1, 2, 4, …
#: 128 ms (§14.6). A process forked by another thread shares the lock file's open description until
#: its exec, so a lock just released can appear held for that moment.
NON_WAITING_RETRY_SECONDS = 0.255


def _try_flock(fd: int, operation: int) -> bool:
    """One ``flock`` that does not wait: True when taken, False when held elsewhere."""
    try:
        fcntl.flock(fd, operation)
        return True
    except OSError as error:
        if error.errno in (errno_module.EWOULDBLOCK, errno_module.EAGAIN):
            return False
        raise


class DatasetLock:
    """The advisory ``flock`` on the folder's ``_lock`` file (§14.6): shared by writers from their
    first shard to their publish, exclusive for garbage collection. Released on :meth:`release` (or
    when the process dies). Where the file system has no locks, :attr:`held` is False. Without
    ``wait``, an attempt that finds the lock held tries again for :data:`NON_WAITING_RETRY_SECONDS`
    before it fails."""

    def __init__(self, folder: DatasetFolder, exclusive: bool, wait: bool) -> None:
        path = folder.file(LOCK_NAME)
        self.held = False
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise ColFileError("io", path, None, "cannot open the dataset's lock file", errno=error.errno) from None
        self._fd: Optional[int] = fd
        operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
        try:
            if wait:
                fcntl.flock(fd, operation)
                self.held = True
            else:
                self.held = retry_within(lambda: _try_flock(fd, operation), NON_WAITING_RETRY_SECONDS, 0.001, 0.128)
        except OSError as error:
            if error.errno in _NO_LOCKS:
                return
            self.release()
            raise ColFileError("io", path, None, "cannot lock the dataset", errno=error.errno) from None
        if not self.held:
            self.release()
            message = ("a writer is publishing to the dataset (it holds the lock); try again once it has "
                       "published") if exclusive else "garbage collection holds the dataset's lock"
            raise ColFileError("io", path, None, message, errno=errno_module.EWOULDBLOCK)

    def release(self) -> None:
        """Lets go of the lock. Safe to call twice."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self.held = False

    def __del__(self) -> None:
        try:
            self.release()
        except Exception:  # pragma: no cover
            pass


def fresh_name() -> str:
    """``part-`` and 16 random lowercase hex digits, ``.col``."""
    return f"part-{secrets.randbits(64):016x}.col"


def unused_name(name: str, folder: DatasetFolder) -> str:
    """``name``, else its stem with 8 random hex digits, such that no file in ``folder`` has it now."""
    candidate = name
    while os.path.lexists(folder.file(candidate)):
        suffix = f"-{secrets.randbits(32):08x}"
        dot = name.rfind(".")
        candidate = name[:dot] + suffix + name[dot:] if dot > 0 else name + suffix
    return candidate


def _copy(source: str, target: str, sync: bool) -> None:
    """Copies ``source`` into a temporary file beside ``target`` and publishes it unless ``target`` exists."""
    try:
        input_fd = os.open(source, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as error:
        raise ColFileError("io", source, None, "cannot open the file", errno=error.errno) from None
    try:
        size = os.fstat(input_fd).st_size
        temporary = TemporaryFile(target)
        copied = 0
        try:
            while copied < size:
                count = os.sendfile(temporary.fd, input_fd, copied, size - copied)
                if count <= 0:
                    raise OSError(errno_module.EIO, "the file became shorter while it was copied")
                copied += count
        except OSError as error:
            temporary.discard()
            raise ColFileError("io", target, None, f"cannot copy {source} into the dataset", errno=error.errno) from None
        temporary.publish(durable=sync, replace=False)
    finally:
        os.close(input_fd)


def place(source: str, folder: DatasetFolder, copy: bool, sync: bool) -> str:
    """Places the file ``source`` in ``folder`` under a name no file had: its own file name (or a
    variant), by a hard link unless ``copy`` or the link is impossible, else by a copy.

    Returns
    -------
    str
        Its name in the folder.
    """
    base = os.path.basename(source)
    preferred = base if shard_name_problem(base) is None else fresh_name()
    for _ in range(16):
        name = unused_name(preferred, folder)
        target = folder.file(name)
        if not copy:
            try:
                os.link(source, target)
                return name
            except FileExistsError:
                continue
            except OSError as error:
                if error.errno not in (errno_module.EXDEV, errno_module.EPERM, errno_module.EMLINK,
                                       errno_module.EOPNOTSUPP, errno_module.ENOSYS):
                    raise ColFileError("io", target, None, f"cannot link {source} into the dataset",
                                       errno=error.errno) from None
        try:
            _copy(source, target, sync)
            return name
        except ColFileError as error:
            if error.errno != errno_module.EEXIST:
                raise
    raise ColFileError("io", folder.path, None, f"cannot find an unused name for {source}", errno=errno_module.EEXIST)


def _dictionary_encoded_columns(data: Any) -> Set[str]:
    """The names of the columns of ``data`` (what :func:`colfile.write` takes) whose values are
    dictionary-encoded: Arrow dictionary arrays, pandas categoricals, :class:`~colfile.DictionaryEncoded`."""
    if isinstance(data, collections.abc.Mapping):
        items = data.items()
    elif hasattr(data, "schema") and hasattr(data.schema, "names"):  # a pyarrow Table or RecordBatch
        items = zip(data.schema.names, data.schema.types)
    elif hasattr(data, "dtypes") and hasattr(data, "columns"):  # a pandas DataFrame
        items = data.dtypes.items()
    else:
        return set()
    encoded = set()
    for name, value in items:
        # By class name, so that neither pyarrow nor pandas is imported for data that has neither.
        kinds = (value, getattr(value, "type", None), getattr(value, "dtype", None))
        if isinstance(value, DictionaryEncoded) or any(type(kind).__name__ in ("DictionaryType", "CategoricalDtype")
                                                       for kind in kinds):
            encoded.add(name)
    return encoded


class DatasetTransaction:
    """One change to a dataset, published as its next version (Specification.md §14.5).

    Shards are written (:meth:`write_shard`) or existing files placed (:meth:`add_file`) under fresh
    names in the folder while the transaction lasts; nothing changes for readers until :meth:`commit`
    publishes one new manifest atomically. The transaction holds the dataset's lock shared from its
    start to its end, so garbage collection never removes a shard it is about to publish. If another
    writer (Swift or Python) publishes first, :meth:`commit` applies the change again on top of that
    version; a replaced shard must still be there, else ``versionConflict``. Leaving a ``with`` block
    by an exception, or :meth:`abort`, removes the shard files it made; the dataset is unchanged.

    Parameters
    ----------
    path : str or os.PathLike
        The dataset's folder.
    create : bool
        Create a dataset (made in ``path``, which is created if missing): :meth:`commit` publishes
        version 1; ``versionConflict`` if the folder holds a dataset. Otherwise change the dataset
        there (its next version).
    schema : sequence of DatasetColumn, optional
        When creating: the columns; default the first shard's.
    metadata : mapping, optional
        When creating: the dataset's metadata (keys must not start with ``colfile.``).
    sync : bool
        Flush shards and the manifest to disk before publishing them (default).
    max_attempts : int
        Versions other writers may publish while :meth:`commit` retries, before ``versionConflict``.

    Examples
    --------
    >>> with colfile.DatasetTransaction("trades.ds") as change:               # doctest: +SKIP
    ...     change.write_shard({"price": np.array([1.5, 2.5]), "symbol": ["A", "B"]})
    ...     change.add_file("/data/2024-06-02.col")
    ...     change.replace("2024-06-01.col")
    >>> change.published.version                                              # doctest: +SKIP
    """

    def __init__(self, path, *, create: bool = False, schema: Optional[Sequence[DatasetColumn]] = None,
                 metadata: Optional[Mapping[str, str]] = None, sync: bool = True, max_attempts: int = 16) -> None:
        self._folder = DatasetFolder(path)
        self.path = self._folder.path
        self._create = create
        self._sync = sync
        self._max_attempts = max(1, max_attempts)
        self._added: List[Tuple[DatasetShard, List[DatasetColumn]]] = []
        self._replaced: List[str] = []
        self._changes: Dict[str, Optional[str]] = {}
        self._done = False
        self._lock: Optional[DatasetLock] = None
        #: The version :meth:`commit` published (also after a ``with`` block).
        self.published: Optional[ShardedDataset] = None
        if create:
            self._schema = None if schema is None else list(schema)
            self._metadata = dict(metadata or {})
            check_metadata_keys(self._metadata, self.path)
            try:
                os.makedirs(self.path, exist_ok=True)
            except OSError as error:
                raise ColFileError("io", self.path, None, "cannot make the dataset's folder", errno=error.errno) from None
            self._check_no_dataset()
        else:
            base = self._folder.newest_manifest()
            self._schema = list(base.schema)
            self._metadata = dict(base.metadata)
        self._lock = DatasetLock(self._folder, exclusive=False, wait=True)

    def __enter__(self) -> "DatasetTransaction":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            if not self._done:
                self.commit()
        else:
            self.abort()

    def __del__(self) -> None:
        try:
            if not getattr(self, "_done", True):
                self.abort()
        except Exception:  # pragma: no cover
            pass

    def __repr__(self) -> str:
        state = "done" if self._done else f"{len(self._added)} shards added, {len(self._replaced)} replaced"
        return f"<colfile.DatasetTransaction {self.path!r} {state}>"

    def _check_open(self) -> None:
        if self._done:
            raise ValueError("colfile.DatasetTransaction used after commit() or abort()")

    # -- the change -----------------------------------------------------------------------------------

    def set_metadata(self, key: str, value: Optional[str]) -> None:
        """Sets (or, with None, removes) one entry of the dataset's metadata in the version published."""
        self._check_open()
        check_metadata_keys([key], self.path)
        self._changes[key] = value

    def shard_path(self) -> str:
        """A fresh path in the folder for a shard file to be written (by any writer that publishes
        without replacing, e.g. ``colfile.write(..., _replace=False)``) and then :meth:`add_written`."""
        self._check_open()
        return self._folder.file(unused_name(fresh_name(), self._folder))

    def write_shard(self, data: Any, **write_options: Any) -> DatasetShard:
        """Writes ``data`` (what :func:`colfile.write` takes) as a new shard under a fresh name.

        The columns get the dataset's types when it has a schema (so an int column of a partition
        without nulls and one with them give the same type), else the data's. A dictionary-encoded
        column of the data (Arrow dictionary, pandas ``Categorical``,
        :class:`~colfile.DictionaryEncoded`) stays encoded: the encoding is each shard's choice (§14.3).

        Returns
        -------
        DatasetShard
            The shard as the manifest will describe it.
        """
        from ._writer import Writer

        path = self.shard_path()
        schema = None
        if self._schema:
            encoded = _dictionary_encoded_columns(data)
            schema = [(column.name, column.writer_type(column.name in encoded)) for column in self._schema]
        writer = Writer(path, schema, _spill=False, _replace=False, sync=self._sync and write_options.pop("sync", True),
                        **write_options)
        try:
            writer.write_batch(data)
        except BaseException:
            writer.abort()
            raise
        writer.close()
        return self.add_written(os.path.basename(path))

    def add_written(self, name: str) -> DatasetShard:
        """Adds the file ``name`` a writer published in the folder (a :meth:`shard_path`, e.g. written
        by a worker process) as a new shard; it is removed if the transaction is given up.

        Raises
        ------
        ColFileError
            ``invalidArgument`` when its columns do not fit the dataset's schema (the file is removed).
        """
        self._check_open()
        problem = shard_name_problem(name)
        if problem is not None:
            raise ColFileError("invalidArgument", self._folder.file(name), None, problem)
        try:
            return self._record(name, self._folder.file(name))
        except BaseException:
            try:
                os.unlink(self._folder.file(name))
            except OSError:
                pass
            raise

    def add_file(self, source, copy: bool = False) -> DatasetShard:
        """Adds the colfile file ``source`` as a new shard: placed in the folder under its own file
        name (or a variant when it is taken), by a hard link (the file must then never be modified in
        place) or, with ``copy`` or where a link is impossible, by a copy."""
        self._check_open()
        source = os.fspath(source)
        with Reader(source) as original:
            self._columns(original, source)
            identity = original.identity
        name = place(source, self._folder, copy, self._sync)
        try:
            shard = self._record(name, source)
            if shard.identity != identity:
                raise ColFileError("shardMismatch", source, None, "the file changed while it was placed in the dataset",
                                   expected=identity, found=shard.identity)
            return shard
        except BaseException:
            try:
                os.unlink(self._folder.file(name))
            except OSError:
                pass
            self._added = [entry for entry in self._added if entry[0].name != name]
            raise

    def replace(self, name: str) -> None:
        """Leaves shard ``name`` out of the version published; the shards added take the place of the
        first shard replaced (or go at the end when none is)."""
        self._check_open()
        if name not in self._replaced:
            self._replaced.append(name)

    # -- publishing -------------------------------------------------------------------------------------

    def commit(self) -> ShardedDataset:
        """Publishes the change as the next version (§14.5): writes its manifest and links it to the
        next version's name, building on a version another writer published first.

        Returns
        -------
        ShardedDataset
            The version published (also :attr:`published`).

        Raises
        ------
        ColFileError
            ``versionConflict``, ``invalidArgument`` (a new dataset without schema or shard), ``io``.
        """
        self._check_open()
        for _ in range(self._max_attempts):
            manifest = self._next_manifest()
            try:
                manifest.write(self._folder.manifest_path(manifest.version), self._sync)
            except ColFileError as error:
                if error.code == "io" and error.errno == errno_module.EEXIST:
                    if self._create:
                        raise ColFileError("versionConflict", self.path, None,
                                           "another writer created a dataset here first") from None
                    continue
                raise
            self._done = True
            if self._lock is not None:
                self._lock.release()
            self._folder.publish_hint(manifest.version)
            self.published = ShardedDataset._from_manifest(self._folder, manifest)
            return self.published
        raise ColFileError("versionConflict", self.path, None,
                           f"other writers published {self._max_attempts} versions while this one tried to")

    def abort(self) -> None:
        """Gives up: removes the shard files this transaction made and lets go of the lock. Safe to
        call twice; does nothing after :meth:`commit`."""
        if self._done:
            return
        self._done = True
        for shard, _ in self._added:
            try:
                os.unlink(self._folder.file(shard.name))
            except OSError:
                pass
        self._added = []
        if self._lock is not None:
            self._lock.release()

    # -- internals ----------------------------------------------------------------------------------------

    def _next_manifest(self) -> Manifest:
        if self._create:
            self._check_no_dataset()
            base = None
        else:
            base = self._folder.newest_manifest()
        schema = list(base.schema) if base is not None else (self._schema or (self._added[0][1] if self._added else None))
        if schema is None:
            raise ColFileError("invalidArgument", self.path, None, "a new dataset needs a schema or a shard")
        for shard, columns in self._added:
            problem = schema_problem(columns, schema, False)
            if problem is not None:
                raise ColFileError("invalidArgument", self._folder.file(shard.name), None,
                                   "the file does not fit the dataset's schema: " + problem)
            for index, column in enumerate(columns):
                if column.nullable and not schema[index].nullable:
                    schema[index] = dataclasses.replace(schema[index], nullable=True)
        shards = list(base.shards) if base is not None else []
        position = len(shards)
        names = [shard.name for shard in shards]
        for name in self._replaced:
            if name not in names:
                raise ColFileError("versionConflict", self.path, None,
                                   f"shard '{name}' is not in dataset version {base.version if base else 0}: "
                                   "another writer replaced or removed it")
            position = min(position, names.index(name))
        shards = [shard for shard in shards if shard.name not in self._replaced]
        shards[position:position] = [shard for shard, _ in self._added]
        metadata = dict(base.metadata) if base is not None else dict(self._metadata)
        for key, value in self._changes.items():
            if value is None:
                metadata.pop(key, None)
            else:
                metadata[key] = value
        return Manifest((base.version if base is not None else 0) + 1, schema, metadata, shards)

    def _record(self, name: str, source: str) -> DatasetShard:
        with Reader(self._folder.file(name)) as reader:
            columns = self._columns(reader, source)
            shard = DatasetShard(name, reader.row_count, reader.file_bytes, bytes.fromhex(reader.file_id),
                                 int(reader.identity.rsplit("-", 1)[1], 16))
        if self._schema is None:
            self._schema = columns
        self._added.append((shard, columns))
        return shard

    def _columns(self, reader: Reader, source: str) -> List[DatasetColumn]:
        for info in reader.columns:
            # A column of a type or codec this library does not know (§9 step 14.2): its type and
            # shape were not checked, so the schema cannot say what it is.
            if info.unreadable is not None:
                raise ColFileError("invalidArgument", source, info.name,
                                   "a dataset cannot describe a column this library cannot read",
                                   found=info.unreadable.message)
        columns = [DatasetColumn.from_info(info) for info in reader.columns]
        for column in columns:
            if column.logical_type.startswith("unknown("):
                raise ColFileError("invalidArgument", source, column.name,
                                   "a dataset cannot describe a logical type this library does not know",
                                   found=column.logical_type[len("unknown("):-1])
        if self._schema is not None:
            # A new shard may bring nulls: the version it joins has the column nullable.
            problem = schema_problem(columns, self._schema, False)
            if problem is not None:
                raise ColFileError("invalidArgument", source, None, "the file does not fit the dataset's schema: " + problem)
        return columns

    def _check_no_dataset(self) -> None:
        try:
            existing = self._folder.newest_manifest()
        except ColFileError as error:
            if error.code == "io" and error.errno == errno_module.ENOENT:
                return
            raise
        raise ColFileError("versionConflict", self.path, None, f"a dataset already exists here (version {existing.version})")


def write_dataset(path, tables: Iterable[Any], *, append: bool = False, schema: Optional[Sequence[DatasetColumn]] = None,
                  metadata: Optional[Mapping[str, str]] = None, sync: bool = True, **write_options: Any) -> ShardedDataset:
    """Writes each table of ``tables`` (what :func:`colfile.write` takes: dicts of arrays, pyarrow
    Tables, DataFrames) as a shard and publishes them as one version: a new dataset in ``path``
    (version 1), or with ``append`` the next version of the dataset there.

    Returns
    -------
    ShardedDataset
        The version published.
    """
    transaction = DatasetTransaction(path, create=not append, schema=schema, metadata=metadata, sync=sync)
    try:
        for table in tables:
            transaction.write_shard(table, **write_options)
        if append and metadata:
            for key, value in metadata.items():
                transaction.set_metadata(key, value)
        return transaction.commit()
    except BaseException:
        transaction.abort()
        raise
