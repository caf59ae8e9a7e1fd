"""Garbage collection of a dataset's folder (Specification.md §14.6), as the Swift library's
``ColFileDataset.collectGarbage`` does it, under the same lock."""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from typing import List

from ._dataset_format import shard_name_problem, version_of_manifest_name
from ._errors import ColFileError
from ._sharded import DatasetFolder
from ._transaction import DatasetLock


@dataclass
class GarbageReport:
    """What :func:`colfile.collect_garbage` removed (or, in a dry run, would remove).

    Attributes
    ----------
    newest_version : int
        The newest version when it ran.
    kept_versions, removed_versions : list of int
        The versions whose manifests (and every shard they name) were kept, and those removed.
    removed_files : list of str
        Files removed: shards no kept version names, and leftovers of writers that never published.
    removed_bytes : int
        Their bytes.
    young_files : list of str
        Files no kept version names that changed within the grace period (kept: a writer may be about
        to publish them).
    held_lock : bool
        Whether the dataset's lock was held (False where the file system has no locks).
    """

    newest_version: int
    kept_versions: List[int] = field(default_factory=list)
    removed_versions: List[int] = field(default_factory=list)
    removed_files: List[str] = field(default_factory=list)
    removed_bytes: int = 0
    young_files: List[str] = field(default_factory=list)
    held_lock: bool = False


def collect_garbage(path, keep: int = 2, grace: float = 3600.0, dry_run: bool = False,
                    wait: bool = False) -> GarbageReport:
    """Removes what no kept version of the dataset needs (Specification.md §14.6): the manifests of
    all but the newest ``keep`` versions, then every file that could be a shard (a name not starting
    with ``.`` or ``_``) that no kept version names and that has not changed for ``grace`` seconds.

    It takes the dataset's lock alone: while a writer (a :class:`~colfile.DatasetTransaction`, or a
    Swift one) holds it, it raises ``ColFileError`` ``io`` (``EWOULDBLOCK``), or waits with ``wait``.
    Readers need no lock: a shard they have open stays readable; a removed one fails to open.

    Parameters
    ----------
    path : str or os.PathLike
        The dataset's folder.
    keep : int
        How many of the newest versions to keep (at least 1).
    grace : float
        Seconds an unnamed file must have been unchanged (modification and status change) to be removed.
    dry_run : bool
        Report only; remove nothing.
    wait : bool
        Wait for writers holding the lock instead of failing (without it, a lock still held after
        about a quarter of a second of retries fails with ``EWOULDBLOCK``).
    """
    if keep < 1:
        raise ValueError("garbage collection keeps at least the newest version")
    folder = DatasetFolder(path)
    lock = DatasetLock(folder, exclusive=True, wait=wait)
    try:
        newest = folder.newest_manifest()
        lowest_kept = max(1, newest.version - keep + 1)
        named = set()
        kept = []
        for version in range(lowest_kept, newest.version):
            manifest = folder.manifest(version)
            if manifest is not None:
                named.update(shard.name for shard in manifest.shards)
                kept.append(version)
        named.update(shard.name for shard in newest.shards)
        kept.append(newest.version)
        if not dry_run and (folder.read_hint() or 0) < lowest_kept:
            folder.publish_hint(newest.version)
        try:
            names = sorted(os.listdir(folder.path))
        except OSError as error:
            raise ColFileError("io", folder.path, None, "cannot list the dataset folder", errno=error.errno) from None
        # A writer that does not lock may have published meanwhile: keep what its versions name.
        while True:
            following = folder.manifest(newest.version + 1)
            if following is None:
                break
            newest = following
            named.update(shard.name for shard in following.shards)
            kept.append(following.version)
        oldest = time.time() - grace
        report = GarbageReport(newest.version, kept, held_lock=lock.held)
        files = []
        for name in names:
            version = version_of_manifest_name(name)
            if version is not None:
                if version < lowest_kept:
                    report.removed_versions.append(version)
                continue
            if shard_name_problem(name) is not None or name in named:
                continue
            try:
                status = os.lstat(folder.file(name))
            except OSError:
                continue
            if not stat.S_ISREG(status.st_mode):
                continue
            if max(status.st_mtime, status.st_ctime) > oldest:
                report.young_files.append(name)
            else:
                files.append((name, status.st_size))
        report.removed_versions.sort()
        report.removed_files = [name for name, _ in files]
        report.removed_bytes = sum(size for _, size in files)
        if dry_run:
            return report
        # Manifests first: no manifest left behind ever names a removed shard.
        for target in [folder.manifest_path(v) for v in report.removed_versions] + [folder.file(n) for n, _ in files]:
            try:
                os.unlink(target)
            except FileNotFoundError:
                pass
            except OSError as error:
                raise ColFileError("io", target, None, "cannot remove the file", errno=error.errno) from None
        return report
    finally:
        lock.release()
