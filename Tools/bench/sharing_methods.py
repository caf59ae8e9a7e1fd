#!/usr/bin/env python3
"""Python's ways to share one large array with the workers of a multiprocessing.Pool, side by side.

    pip install -e './python[test]' -r Tools/bench/requirements.txt    # numpy, pyarrow, matplotlib
    python3 Tools/bench/sharing_methods.py --json docs/sharing-methods.json \\
        --markdown docs/sharing-methods.md --plot docs/sharing-methods.png       # about 25 minutes
    python3 Tools/bench/sharing_methods.py --quick    # a smoke run: 4 MB only, 1 repetition (~15 s)

Outputs default to sharing-methods.{json,md,png} in the current folder; data files go to a new
folder under --dir (default /var/tmp), removed at the end unless --keep.

The same data, a float64 array and (separately) a string column of the same byte size, is shared
with N = 4 workers of a `multiprocessing.Pool` by each method (`--methods`):

  pickle      the data travels as a task argument, pickled for every task (the job sends each task
              its slice; the tiny task and the memory probe send the whole array);
  fork-numpy  the NumPy array is a module global set before the Pool forks (copy-on-write);
  fork-list   the same with a Python list (a list of floats, or of str), whose reference counts
              are written by every read, which unshares the pages;
  mp-array    `multiprocessing.Array(typecode, n, lock=False)` (a RawArray in /dev/shm) handed to the
              workers at Pool creation (initargs; the only way it may be passed) and wrapped with
              `np.frombuffer`;
  shm         `multiprocessing.shared_memory.SharedMemory`: the parent creates and fills a segment,
              tasks carry its name, each worker attaches once and wraps it with `np.ndarray`;
  manager     a `multiprocessing.Manager().list` proxy handed over at Pool creation: the data lives in
              the manager's server process, every read is a round trip to it;
  colfile     `colfile.write` to a file; tasks carry its path, each worker opens it once with
              `colfile.open` and reads the zero-copy view of the shared read-only mapping.

For every method × size × kind it measures (medians over --repetitions, each run in a fresh parent
process with its own Pool):
setup time, time to the first result in a worker, the round trip of a tiny task, the wall time of
a fixed job split in 64 tasks, Σ Pss of the workers ÷ data size, and (separately, at the smallest
size) whether the method works with the `spawn` start method. `DEFINITIONS` below says exactly
what each figure includes; the JSON and Markdown outputs repeat it.

A method is skipped at a size when its estimated peak memory exceeds --memory-fraction of
MemAvailable, or when the time measured at the previous size, scaled by the size, projects the cell
past --max-cell-seconds (repetitions are reduced first); every skip and its reason is in the output.

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, if set, are removed from this process's own environment (it
re-executes itself without them): set on the project's machines, they slow NumPy.
"""

from __future__ import annotations

import os
import sys

BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if __name__ == "__main__" and any(name in os.environ for name in BLAS_VARIABLES):
    _environment = {k: v for k, v in os.environ.items() if k not in BLAS_VARIABLES}
    _environment["SHARING_UNSET_BLAS"] = ",".join(n for n in BLAS_VARIABLES if n in os.environ)
    os.execve(sys.executable, [sys.executable] + sys.argv, _environment)

import argparse  # noqa: E402
import ctypes  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from multiprocessing import shared_memory  # noqa: E402
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union  # noqa: E402

import numpy as np  # noqa: E402

import colfile  # noqa: E402

FLOAT = "float64"
STRING = "string"
KINDS = (FLOAT, STRING)
METHOD_NAMES = ("pickle", "fork-numpy", "fork-list", "mp-array", "shm", "manager", "colfile")
FORK_ONLY = ("fork-numpy", "fork-list")
COLUMN = "values"
STRING_LENGTHS = tuple(range(4, 29))  # the string lengths, in a cycle: mean 16 bytes
LETTER = ord("e")  # the string job counts this letter, so that it reads every byte
LONG = 16  # the string job counts the strings longer than this, so that it reads every offset
COUNT_BLOCK = 64 << 10  # bytes compared per NumPy call: a small temporary that glibc reuses
SHM_PREFIX = "colfile-sharing-"  # segments are named SHM_PREFIX + parent PID + "-" + a counter
BARRIER_SECONDS = 600.0

Result = Union[float, Tuple[int, int, int]]

DEFINITIONS = {
    "data size": "float64: 8 bytes × rows. string: the column in Arrow's (and colfile's) layout, int32 offsets "
                 "(rows + 1) + the UTF-8 bytes (ASCII letters, lengths 4 to 28 in a cycle, mean 16). Every ratio "
                 "divides by this.",
    "setup": "time to build the shared object from the data the parent already holds as NumPy arrays (the "
             "float64 array, or offsets + bytes): pickle: nothing for float64 (0), building the list of str for "
             "strings; fork-numpy: nothing (0: a global is set); fork-list: `tolist()` or building the list of "
             "str; mp-array: allocating the RawArray(s) and copying into them; shm: creating the segment and "
             "copying into it; manager: starting the manager process, building the Python list and sending it "
             "to the server (`manager.list(values)`); colfile: `colfile.write(path, ..., sync=False)` (page "
             "cache, atomic rename, no fsync; strings handed over as a zero-copy pyarrow array). Pool start is "
             "not included.",
    "first result": "from the start of `Pool(4)` creation (after setup) to the result of the first tiny task in "
                    "the parent: worker start (fork or spawn), initializer, the first attach/open, one round "
                    "trip.",
    "tiny task": "median round trip of `pool.apply` of a task that reads one element (row i: a float, or one "
                 "string's length) of the shared data, over up to 200 calls (at least 5, at most about 5 s) "
                 "with varying i. pickle sends the whole array (or list) with every call; colfile and shm send "
                 "the path or name (each worker attaches once, at its first task, and keeps the view).",
    "job": "wall time of `pool.map` over 64 tasks (chunksize 1) that together read every element once: float64: "
           "the sum of the values; string: the sum of the lengths, the number of strings longer than 16 bytes "
           "(so that every offset is read) and the count of the letter 'e' (so that every byte is read). The result is checked against the parent's. pickle sends each task its slice; manager "
           "tasks fetch their slice from the server.",
    "pss ratio": "Σ over the 4 workers of Pss (from /proc/PID/smaps_rollup), measured while each of them has just "
                 "read the whole data through the method (the probe, after the job: 4 tasks, one per worker, held "
                 "at a barrier so that all 4 are alive and holding; each worker runs gc.collect() and glibc's "
                 "malloc_trim(0) just before reading, so that live memory is counted, not what the allocator keeps "
                 "for later), minus the same Σ from a baseline cycle that the same parent ran just before on 64 KiB "
                 "of data (setup, a Pool, tiny tasks, job, probe: the same code), ÷ (data size − 64 KiB). So it is "
                 "the memory that grows with the data; fixed costs (interpreter, imports, connections) cancel. "
                 "Every repetition runs in a new parent process (forked from the driver, which holds no data), and "
                 "the parent frees what setup no longer needs (gc + malloc_trim) before the Pool forks. Pss charges "
                 "a page shared by k processes 1/k to each: one copy shared by the 4 workers adds 1.0; a copy the "
                 "parent maps too adds 0.8 (fork-numpy, mp-array, shm: the parent is charged the other 0.2); "
                 "pickle's forked workers inherit 0.8 of the parent's array besides their own copies. manager: the "
                 "data lives in the server process; the 'server' figure is its Pss (minus its baseline) ÷ data.",
    "spawn": "at the smallest size, every method's setup, then one `spawn` Pool (the methods' objects handed over "
             "the same way) running each method's tiny task and job: yes when both return the right result, "
             "else no, with the error raised.",
    "peak memory": "JSON only, approximate and machine-wide: (MemAvailable before setup − the lowest MemAvailable "
                   "seen during the cell, sampled every 50 ms) ÷ data size; other processes on the machine move "
                   "it too.",
}

METHOD_NOTES = {
    "pickle": "data pickled with every task (job: the task's slice; tiny task and probe: the whole array or list)",
    "fork-numpy": "NumPy array in a global set before the Pool forks (copy-on-write); strings: offsets + bytes arrays",
    "fork-list": "Python list (of float, or of str) in a global set before the Pool forks",
    "mp-array": "multiprocessing.Array(lock=False) via initargs, np.frombuffer; strings: one int32 offsets Array + "
                "one uint8 bytes Array",
    "shm": "shared_memory.SharedMemory by name, np.ndarray over .buf; strings: offsets then bytes in one segment",
    "manager": "Manager().list proxy via initargs; every read is a round trip to the server process",
    "colfile": "colfile.write once; the path per task, colfile.open once per worker, zero-copy view",
}

# Estimated peak memory of a cell ÷ data size, before any measurement (the measured peak at a
# smaller size replaces it when larger). Strings as Python objects take about 4 times their
# column bytes (a 16-character str object is a 72-byte block plus an 8-byte list slot, against 20
# bytes of offset + data); floats in a list 4 times too (a 24-byte object + an 8-byte slot).
MEMORY_FACTORS = {
    "pickle": {FLOAT: 8.0, STRING: 22.0},
    "fork-numpy": {FLOAT: 1.5, STRING: 1.5},
    "fork-list": {FLOAT: 18.0, STRING: 21.0},
    "mp-array": {FLOAT: 2.5, STRING: 2.5},
    "shm": {FLOAT: 2.5, STRING: 2.5},
    "manager": {FLOAT: 12.0, STRING: 12.0},
    "colfile": {FLOAT: 2.5, STRING: 2.5},
}


# ----------------------------------------------------------------------------- the data

@dataclass(frozen=True)
class StringBuffers:
    """A string column in Arrow's layout: row i is ``data[offsets[i]:offsets[i + 1]]`` (ASCII)."""

    offsets: np.ndarray
    data: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def nbytes(self) -> int:
        """The column's size: offsets + bytes."""
        return int(self.offsets.nbytes + self.data.nbytes)


Source = Union[np.ndarray, StringBuffers]


def make_source(kind: str, size: int) -> Source:
    """The data of one cell, about ``size`` bytes, deterministic.

    float64: ``(i % 1024) * 0.5``, whose sums are exact in float64 in any order (every partial sum
    is a multiple of 0.5 below 2^53), so results can be compared for equality.
    string: ``rows`` strings of the lengths ``STRING_LENGTHS`` in a cycle, random lowercase letters.
    """
    if kind == FLOAT:
        return np.resize(np.arange(1024, dtype=np.float64) * 0.5, max(1, size // 8))
    mean = sum(STRING_LENGTHS) / len(STRING_LENGTHS)
    rows = max(1, int((size - 4) // (4 + mean)))
    lengths = np.resize(np.array(STRING_LENGTHS, dtype=np.int64), rows)
    total = int(lengths.sum())
    offset_type = np.int32 if total < 2**31 else np.int64  # Arrow's string, else large_string
    offsets = np.zeros(rows + 1, dtype=offset_type)
    np.cumsum(lengths, out=offsets[1:], dtype=offset_type)
    del lengths
    letters = np.random.default_rng(0).integers(ord("a"), ord("z") + 1, size=(1 << 20) + 7, dtype=np.uint8)
    return StringBuffers(offsets, np.resize(letters, total))


def data_bytes(source: Source) -> int:
    """The size every ratio divides by."""
    return int(source.nbytes)


def string_list(source: StringBuffers) -> List[str]:
    """The column as a Python list of str (what pickle, fork-list and manager share)."""
    text = source.data.tobytes().decode("ascii")
    bounds = source.offsets.tolist()
    return [text[start:stop] for start, stop in zip(bounds, itertools.islice(bounds, 1, None))]


def count_letter(data: np.ndarray, start: int, stop: int) -> int:
    """How many bytes of ``data[start:stop]`` are LETTER, in blocks (no large temporary)."""
    total = 0
    for begin in range(start, stop, COUNT_BLOCK):
        total += int(np.count_nonzero(data[begin:min(begin + COUNT_BLOCK, stop)] == LETTER))
    return total


def count_long(offsets: np.ndarray, start: int, stop: int) -> int:
    """How many of rows [start, stop) are longer than LONG bytes, in blocks (no large temporary)."""
    total = 0
    step = COUNT_BLOCK // offsets.itemsize
    for begin in range(start, stop, step):
        total += int(np.count_nonzero(np.diff(offsets[begin:min(begin + step, stop) + 1]) > LONG))
    return total


def combine(parts: Sequence[Result]) -> Result:
    """Adds the tasks' partial results."""
    if parts and isinstance(parts[0], tuple):
        return tuple(sum(values) for values in zip(*parts))  # type: ignore[return-value]
    return float(sum(parts))


def task_ranges(rows: int, tasks: int) -> List[Tuple[int, int]]:
    """``tasks`` contiguous row ranges covering ``[0, rows)``."""
    bounds = [rows * index // tasks for index in range(tasks + 1)]
    return list(zip(bounds, bounds[1:]))


def expected_result(source: Source, kind: str) -> Result:
    """What the job must return."""
    if kind == FLOAT:
        return float(np.sum(source))
    return (int(source.offsets[-1]) - int(source.offsets[0]), count_long(source.offsets, 0, len(source)),
            count_letter(source.data, 0, len(source.data)))


# ----------------------------------------------------------------------------- worker side

_WORKER: Dict[str, Any] = {}
_FORKED: Dict[str, Any] = {}  # fork-numpy / fork-list: set by the parent before the Pool forks
_ATTACHED: Dict[str, Any] = {}  # shm segments and colfile columns this worker attached, by name or path


def trim_heap() -> None:
    """Frees this process's garbage and returns free heap to the system (glibc ``malloc_trim``).

    The parent calls it before a Pool forks, so that workers do not inherit (and get charged a
    share of) pages it no longer uses; every worker calls it just before reading its Pss, so that
    what is measured is live memory, not what the allocator keeps for later."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def read_rollup(pid: Union[int, str] = "self") -> Dict[str, int]:
    """The fields of ``/proc/PID/smaps_rollup`` that matter here, in bytes."""
    wanted = {"Rss", "Pss", "Pss_Anon", "Pss_File", "Pss_Shmem"}
    result = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if name in wanted:
                result[name] = int(rest.split()[0]) * 1024
    return result


def _init(barrier: Any, kind: str, inherited: Dict[str, Any], tasks: int) -> None:
    """Pool initializer: keeps the settings and the objects handed over at Pool creation
    (``inherited``: mp-array's RawArrays, manager's proxy, by method)."""
    _WORKER.update(barrier=barrier, kind=kind, tasks=tasks, data={})
    for method, value in inherited.items():
        if method == "mp-array" and kind == FLOAT:
            value = np.frombuffer(value, dtype=np.float64)
        elif method == "mp-array":
            offsets, data = value
            value = StringBuffers(np.frombuffer(offsets, dtype=_ctype_dtype(offsets)), np.frombuffer(data, dtype=np.uint8))
        _WORKER["data"][method] = value


def _ctype_dtype(array: Any) -> np.dtype:
    """The NumPy dtype of a ctypes array of int32 or int64."""
    return np.dtype(np.int32) if ctypes.sizeof(array._type_) == 4 else np.dtype(np.int64)


def _attach_segment(spec: Tuple[str, str, int, str, int, int]) -> Source:
    """shm: attaches the named segment once per worker and wraps it (no copy)."""
    name, kind, rows, offset_type, data_offset, data_length = spec
    cached = _ATTACHED.get(name)
    if cached is None:
        segment = shared_memory.SharedMemory(name=name)
        if kind == FLOAT:
            view: Source = np.ndarray((rows,), dtype=np.float64, buffer=segment.buf)
        else:
            view = StringBuffers(np.ndarray((rows + 1,), dtype=offset_type, buffer=segment.buf),
                                 np.ndarray((data_length,), dtype=np.uint8, buffer=segment.buf, offset=data_offset))
        cached = _ATTACHED[name] = (segment, view)
    return cached[1]


def _open_colfile(path: str) -> Source:
    """colfile: opens the file once per worker and keeps the zero-copy view of its column."""
    view = _ATTACHED.get(path)
    if view is None:
        column = colfile.open(path)[COLUMN]  # the view keeps the mapping alive, not the reader
        view = column if isinstance(column, np.ndarray) else StringBuffers(column.offsets, column.data)
        _ATTACHED[path] = view
    return view


def _data(method: str, payload: Any) -> Any:
    """The data as this worker sees it through ``method``."""
    if method == "pickle":
        return payload
    if method in FORK_ONLY:
        return _FORKED.get(method)  # None in a spawned worker: it re-imported this module
    if method in ("mp-array", "manager"):
        return _WORKER["data"][method]
    if method == "shm":
        return _attach_segment(payload)
    if method == "colfile":
        return _open_colfile(payload)
    raise ValueError(f"unknown method {method}")


def _element(data: Any, row: int) -> float:
    """The tiny task's work: one element (a float, or one string's length)."""
    if isinstance(data, np.ndarray):
        return float(data[row])
    if isinstance(data, StringBuffers):
        start, stop = int(data.offsets[row]), int(data.offsets[row + 1])
        return float(len(data.data[start:stop].tobytes().decode("ascii")))
    value = data[row]
    return float(value) if isinstance(value, float) else float(len(value))


def _part(data: Any, start: int, stop: int) -> Result:
    """The job's work on rows [start, stop): the sum, or (Σ lengths, strings longer than LONG, count of LETTER)."""
    if isinstance(data, np.ndarray):
        return float(np.sum(data[start:stop]))
    if isinstance(data, StringBuffers):
        low, high = int(data.offsets[start]), int(data.offsets[stop])
        return (high - low, count_long(data.offsets, start, stop), count_letter(data.data, low, high))
    values = data[start:stop]  # a list slice, or a copy fetched from the manager's server
    if _WORKER["kind"] == FLOAT:
        return float(sum(values))
    lengths = list(map(len, values))
    return (sum(lengths), sum(1 for length in lengths if length > LONG), sum(value.count("e") for value in values))


def _whole(data: Any) -> Result:
    """The whole job, in one worker (the memory probe)."""
    return combine([_part(data, start, stop) for start, stop in task_ranges(len(data), _WORKER["tasks"])])


def _tiny(method: str, payload: Any, row: int) -> float:
    """Task: read one element."""
    return _element(_data(method, payload), row)


def _job(task: Tuple[str, Any, int, int]) -> Result:
    """Task: one of the job's parts."""
    method, payload, start, stop = task
    return _part(_data(method, payload), start, stop)


def _probe(task: Tuple[str, Any]) -> Tuple[int, Result, Dict[str, int]]:
    """Task: read the whole data, then measure Pss while every worker (and the parent) waits."""
    barrier = _WORKER["barrier"]
    try:
        data = _data(*task)
        result = _whole(data)
    except BaseException:
        barrier.abort()  # the parent stops waiting and gets this task's exception
        raise
    barrier.wait(BARRIER_SECONDS)  # all workers hold the data
    trim_heap()  # count what is live, not what the allocator keeps for later
    memory = read_rollup()
    barrier.wait(BARRIER_SECONDS)  # nobody lets go before every one has measured
    return os.getpid(), result, memory


# ----------------------------------------------------------------------------- parent side: methods

@dataclass
class Shared:
    """What a method hands to the workers, and how to release it."""

    method: str
    payload: Any = None  # the tiny task's and the probe's argument
    job_tasks: List[Tuple[str, Any, int, int]] = field(default_factory=list)
    inherited: Any = None  # given to every worker at Pool creation (initargs)
    forked: Any = None  # the module global of the fork methods
    server_pid: Optional[int] = None  # manager: the process that holds the data
    release: Callable[[], None] = lambda: None


_segments = itertools.count()


def setup_method(method: str, source: Source, kind: str, context: Any, folder: str, tasks: int) -> Shared:
    """Builds the shared object of ``method`` from ``source`` (the timed setup)."""
    rows = len(source)
    ranges = task_ranges(rows, tasks)
    if method == "pickle":
        data = source if kind == FLOAT else string_list(source)
        return Shared(method, payload=data, job_tasks=[(method, data[start:stop], 0, stop - start) for start, stop in ranges])
    if method == "fork-numpy":
        return Shared(method, forked=source, job_tasks=[(method, None, start, stop) for start, stop in ranges])
    if method == "fork-list":
        values = source.tolist() if kind == FLOAT else string_list(source)
        return Shared(method, forked=values, job_tasks=[(method, None, start, stop) for start, stop in ranges])
    if method == "mp-array":
        if kind == FLOAT:
            raw = context.Array("d", rows, lock=False)
            np.frombuffer(raw, dtype=np.float64)[:] = source
            inherited: Any = raw
        else:
            typecode = "i" if source.offsets.dtype == np.int32 else "q"
            offsets = context.Array(typecode, rows + 1, lock=False)
            np.frombuffer(offsets, dtype=source.offsets.dtype)[:] = source.offsets
            data = context.Array("B", max(1, len(source.data)), lock=False)
            np.frombuffer(data, dtype=np.uint8)[:len(source.data)] = source.data
            inherited = (offsets, data)
        return Shared(method, inherited=inherited, job_tasks=[(method, None, start, stop) for start, stop in ranges])
    if method == "shm":
        return _setup_segment(method, source, kind, ranges)
    if method == "manager":
        manager = context.Manager()
        try:
            proxy = manager.list(source.tolist() if kind == FLOAT else string_list(source))
        except BaseException:
            manager.shutdown()
            raise
        return Shared(method, inherited=proxy, job_tasks=[(method, None, start, stop) for start, stop in ranges],
                      server_pid=manager._process.pid, release=manager.shutdown)
    if method == "colfile":
        path = os.path.join(folder, f"{kind}-{data_bytes(source)}.col")
        if kind == FLOAT:
            colfile.write(path, {COLUMN: source}, sync=False)
        else:
            import pyarrow as pa
            arrow_type = pa.string() if source.offsets.dtype == np.int32 else pa.large_string()
            array = pa.Array.from_buffers(arrow_type, rows, [None, pa.py_buffer(source.offsets),
                                                             pa.py_buffer(source.data)])
            colfile.write(path, {COLUMN: array}, sync=False)
        return Shared(method, payload=path, job_tasks=[(method, path, start, stop) for start, stop in ranges],
                      release=lambda: os.unlink(path))
    raise ValueError(f"unknown method {method}")


def _setup_segment(method: str, source: Source, kind: str, ranges: List[Tuple[int, int]]) -> Shared:
    """shm: one segment holding the array, or the offsets then the bytes."""
    rows = len(source)
    name = f"{SHM_PREFIX}{os.getpid()}-{next(_segments)}"
    if kind == FLOAT:
        size, data_offset, data_length, offset_type = source.nbytes, 0, 0, ""
    else:
        data_offset = (source.offsets.nbytes + 63) // 64 * 64
        data_length = len(source.data)
        size, offset_type = data_offset + data_length, source.offsets.dtype.str
    segment = shared_memory.SharedMemory(name=name, create=True, size=max(1, size))
    try:
        if kind == FLOAT:
            np.ndarray((rows,), dtype=np.float64, buffer=segment.buf)[:] = source
        else:
            np.ndarray((rows + 1,), dtype=source.offsets.dtype, buffer=segment.buf)[:] = source.offsets
            np.ndarray((data_length,), dtype=np.uint8, buffer=segment.buf, offset=data_offset)[:] = source.data
    except BaseException:
        segment.close()
        segment.unlink()
        raise

    def release() -> None:
        segment.close()
        segment.unlink()

    spec = (segment.name.lstrip("/"), kind, rows, offset_type, data_offset, data_length)
    return Shared(method, payload=spec, job_tasks=[(method, spec, start, stop) for start, stop in ranges],
                  release=release)


# ----------------------------------------------------------------------------- parent side: measuring

def mem_available() -> int:
    """MemAvailable of /proc/meminfo, in bytes."""
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no MemAvailable in /proc/meminfo")


class MemoryWatch:
    """Samples MemAvailable every 50 ms in a thread; ``used()`` is the largest drop seen."""

    def __init__(self) -> None:
        self.start = mem_available()
        self.lowest = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.lowest = min(self.lowest, mem_available())

    def used(self) -> int:
        """Stops sampling; returns the largest drop of MemAvailable, in bytes."""
        self._stop.set()
        self._thread.join()
        self.lowest = min(self.lowest, mem_available())
        return self.start - self.lowest


def collect_probe(pool: Any, barrier: Any, task: Tuple[str, Any], workers: int,
                  server_pid: Optional[int]) -> Tuple[List[Tuple[int, Result, Dict[str, int]]], Optional[Dict[str, int]]]:
    """Runs the probe on every worker; the parent is the barrier's last party and reads the server's
    Pss while the workers hold."""
    pending = pool.map_async(_probe, [task] * workers, chunksize=1)
    server = None
    try:
        barrier.wait(BARRIER_SECONDS)
        if server_pid is not None:
            server = read_rollup(server_pid)
        barrier.wait(BARRIER_SECONDS)
    except threading.BrokenBarrierError:
        pending.get(BARRIER_SECONDS)  # raises the worker's exception
        raise
    results = pending.get(BARRIER_SECONDS)
    if len({pid for pid, _, _ in results}) != workers:
        raise RuntimeError("the probe did not run on every worker")
    return results, server


@dataclass
class Options:
    """The run's settings (from the command line)."""

    workers: int
    tasks: int
    repetitions: int
    tiny_rounds: int
    tiny_seconds: float
    start_method: str
    folder: str
    memory_fraction: float
    max_cell_seconds: float


BASELINE_BYTES = 64 << 10  # the data size of the baseline cycle


def run_once(method: str, kind: str, size: int, options: Options) -> Dict[str, Any]:
    """One repetition of one cell: the baseline cycle on BASELINE_BYTES of data, then the measured one.

    The baseline runs the same code in the same fresh parent (setup, a Pool, tiny tasks, the job,
    the probe): its Pss holds everything that does not grow with the data (the interpreter, imports,
    the method's connections and mappings, the parent's heap that the workers inherit), and the
    parent has run every code path once before the measured Pool forks."""
    context = multiprocessing.get_context(options.start_method)
    _WORKER.update(kind=kind, tasks=options.tasks)
    base = _cycle(method, kind, BASELINE_BYTES, context, options, tiny_rounds=5)
    result = _cycle(method, kind, size, context, options, tiny_rounds=options.tiny_rounds)
    grown = result["data_bytes"] - base["data_bytes"]
    sums, base_sums = result["workers_pss_bytes"], base["workers_pss_bytes"]
    result.update(
        pss_ratio=(sums["Pss"] - base_sums["Pss"]) / grown,
        pss_components_ratio={name: (sums[name] - base_sums[name]) / grown
                              for name in ("Pss_Anon", "Pss_File", "Pss_Shmem")},
        baseline_workers_pss_bytes=base_sums,
        server_pss_ratio=None if result["server_pss"] is None else (result["server_pss"] - base["server_pss"]) / grown,
    )
    return result


def _cycle(method: str, kind: str, size: int, context: Any, options: Options, tiny_rounds: int) -> Dict[str, Any]:
    """Setup, a Pool, the first result, tiny tasks, the job and the probe on ``size`` bytes of data."""
    source = make_source(kind, size)
    nbytes, rows = data_bytes(source), len(source)
    expected = expected_result(source, kind)
    expected_first = _element(source, 0)
    trim_heap()
    watch = MemoryWatch()
    started = time.perf_counter()
    shared = setup_method(method, source, kind, context, options.folder, options.tasks)
    setup_seconds = time.perf_counter() - started
    del source  # the parent keeps only what the method needs (pickle and fork-numpy: the array)
    trim_heap()
    pool = None
    try:
        if shared.forked is not None:
            _FORKED[method] = shared.forked
        barrier = context.Barrier(options.workers + 1)
        started = time.perf_counter()
        pool = context.Pool(options.workers, initializer=_init,
                            initargs=(barrier, kind, {method: shared.inherited}, options.tasks))
        first = pool.apply(_tiny, (method, shared.payload, 0))
        first_seconds = time.perf_counter() - started
        if first != expected_first:
            raise RuntimeError(f"first result {first}, expected {expected_first}")

        tiny: List[float] = []
        loop_start = time.perf_counter()
        for round_index in range(tiny_rounds):
            row = (round_index * 2654435761) % rows
            begin = time.perf_counter()
            pool.apply(_tiny, (method, shared.payload, row))
            tiny.append(time.perf_counter() - begin)
            if round_index >= 4 and time.perf_counter() - loop_start > options.tiny_seconds:
                break

        begin = time.perf_counter()
        parts = pool.map(_job, shared.job_tasks, chunksize=1)
        job_seconds = time.perf_counter() - begin
        if combine(parts) != expected:
            raise RuntimeError(f"job result {combine(parts)}, expected {expected}")

        probes, server = collect_probe(pool, barrier, (method, shared.payload), options.workers, shared.server_pid)
        if any(result != expected for _, result, _ in probes):
            raise RuntimeError("a probe read a wrong total")
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _FORKED.clear()
        shared.release()
        del shared
        trim_heap()
    return {
        "data_bytes": nbytes,
        "setup_s": setup_seconds,
        "first_result_s": first_seconds,
        "tiny_task_s": statistics.median(tiny),
        "tiny_task_rounds": len(tiny),
        "job_s": job_seconds,
        "workers_pss_bytes": {name: sum(memory[name] for _, _, memory in probes)
                              for name in ("Pss", "Pss_Anon", "Pss_File", "Pss_Shmem")},
        "server_pss": None if server is None else server["Pss"],
        "peak_memory_ratio": watch.used() / nbytes,
    }


MEDIAN_FIELDS = ("setup_s", "first_result_s", "tiny_task_s", "job_s", "pss_ratio", "server_pss_ratio",
                 "peak_memory_ratio")


def summarize(samples: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The medians of a cell's repetitions, with every sample kept."""
    summary: Dict[str, Any] = {"data_bytes": samples[0]["data_bytes"]}
    for name in MEDIAN_FIELDS:
        values = [sample[name] for sample in samples if sample[name] is not None]
        summary[name] = statistics.median(values) if values else None
    summary["pss_components_ratio"] = {
        name: statistics.median(sample["pss_components_ratio"][name] for sample in samples)
        for name in ("Pss_Anon", "Pss_File", "Pss_Shmem")}
    summary["samples"] = samples
    return summary


def check_spawn(methods: Sequence[str], kind: str, size: int, options: Options) -> Dict[str, Dict[str, Any]]:
    """Runs every method under the ``spawn`` start method, in one Pool: for each, a tiny task and the
    job must return the right result. Returns {method: {"works": bool, "error": str or None}}."""
    context = multiprocessing.get_context("spawn")
    source = make_source(kind, size)
    expected = expected_result(source, kind)
    expected_first = _element(source, 0)
    outcome: Dict[str, Dict[str, Any]] = {}
    shared: Dict[str, Shared] = {}
    pool = None
    try:
        for method in methods:
            try:
                shared[method] = setup_method(method, source, kind, context, options.folder, options.tasks)
            except Exception as error:
                outcome[method] = {"works": False, "error": f"setup: {describe(error)}"}
        del source
        for method, value in shared.items():
            if value.forked is not None:
                _FORKED[method] = value.forked
        barrier = context.Barrier(options.workers + 1)
        inherited = {method: value.inherited for method, value in shared.items() if value.inherited is not None}
        pool = context.Pool(options.workers, initializer=_init,
                            initargs=(barrier, kind, inherited, options.tasks))
        for method, value in shared.items():
            try:
                first = pool.apply_async(_tiny, (method, value.payload, 0)).get(120)
                result = combine(pool.map_async(_job, value.job_tasks, chunksize=1).get(300))
                if first != expected_first or result != expected:
                    outcome[method] = {"works": False, "error": f"wrong result: {first!r}, {result!r}"}
                else:
                    outcome[method] = {"works": True, "error": None}
            except multiprocessing.TimeoutError:
                outcome[method] = {"works": False, "error": "timed out"}
            except Exception as error:  # the point: record what a user would see
                outcome[method] = {"works": False, "error": describe(error)}
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _FORKED.clear()
        for value in shared.values():
            value.release()
    return outcome


def describe(error: BaseException) -> str:
    """``Type: first line of the message``."""
    lines = str(error).splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def plan_cell(method: str, kind: str, size: int, history: List[Tuple[int, float]],
              options: Options) -> Tuple[int, Optional[str]]:
    """How many repetitions to run (0: skip) and why not all.

    Memory: ``MEMORY_FACTORS`` × size against --memory-fraction of MemAvailable now. Time: the
    seconds per repetition at the previous size (``history``: (size, seconds) of this method and
    kind), scaled by the size, against --max-cell-seconds."""
    factor = MEMORY_FACTORS[method][kind]
    needed = factor * size
    allowed = options.memory_fraction * mem_available()
    if needed > allowed:
        return 0, (f"memory: needs about {needed / 1e9:.1f} GB ({factor:g} × data, estimated), "
                   f"{allowed / 1e9:.1f} GB allowed ({options.memory_fraction:.0%} of MemAvailable)")
    if history:
        previous_size, seconds = history[-1]
        projected = seconds * size / previous_size
        repetitions = min(options.repetitions, int(options.max_cell_seconds // max(projected, 1e-9)))
        if repetitions == 0:
            return 0, (f"time: about {projected:.0f} s per repetition projected from {fmt_size(previous_size)}, "
                       f"over the {options.max_cell_seconds:.0f} s limit")
        if repetitions < options.repetitions:
            return repetitions, (f"{repetitions} of {options.repetitions} repetitions: about {projected:.0f} s each "
                                 f"projected from {fmt_size(previous_size)}")
    return options.repetitions, None


def run_isolated(action: str, method: Union[str, Sequence[str]], kind: str, size: int, options: Options) -> Dict[str, Any]:
    """Runs one repetition (``action`` "measure", one method) or the spawn check ("spawn", a list of
    methods) in a new process, forked from this one (which holds no data) and waited for.

    Each cell's parent starts fresh: under fork its heap is what the workers inherit, so a parent
    that ran earlier cells would shift their Pss. The cell process leads its own session: on a
    timeout (or Ctrl-C) its whole process group (its Pool workers, its manager) is killed, and the
    shared memory segments it leaves are removed here."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_cell, args=(sender, action, method, kind, size, options), daemon=False)
    process.start()
    sender.close()
    try:
        if not receiver.poll(options.max_cell_seconds * 2 + 300):
            raise RuntimeError("timed out")
        outcome = receiver.recv()
        process.join()
    except BaseException as error:  # timed out, died, or interrupted: stop the cell, its workers, its manager
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.join()
        if isinstance(error, EOFError):
            raise RuntimeError(f"the cell process died (exit status {process.exitcode})") from None
        raise
    finally:
        receiver.close()
        remove_segments(process.pid)
    if "error" in outcome:
        raise RuntimeError(outcome["error"])
    return outcome["result"]


def _cell(sender: Any, action: str, method: Any, kind: str, size: int, options: Options) -> None:
    """The cell process: one repetition or one spawn check, its result (or error) sent back."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the driver's handler is not for the cell and its workers
    os.setsid()
    try:
        if action == "measure":
            outcome = {"result": run_once(method, kind, size, options)}
        else:
            outcome = {"result": check_spawn(method, kind, size, options)}
    except Exception as error:
        outcome = {"error": describe(error)}
    sender.send(outcome)
    sender.close()


def remove_segments(pid: int) -> List[str]:
    """Removes the shared memory segments that process ``pid`` of this script left in /dev/shm."""
    removed = []
    prefix = f"{SHM_PREFIX}{pid}-"
    for name in os.listdir("/dev/shm") if os.path.isdir("/dev/shm") else []:
        if name.startswith(prefix):
            try:
                os.unlink(os.path.join("/dev/shm", name))
                removed.append(name)
            except FileNotFoundError:
                pass
    return removed


# ----------------------------------------------------------------------------- output

def fmt_size(size: float) -> str:
    """10 MB, 1 GB (decimal)."""
    if size >= 1e9:
        return f"{size / 1e9:g} GB"
    if size >= 1e6:
        return f"{size / 1e6:g} MB"
    return f"{size / 1e3:g} kB"


def fmt_seconds(seconds: Optional[float]) -> str:
    """µs, ms or s with 3 significant digits."""
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3g} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def fmt_ratio(ratio: Optional[float]) -> str:
    """Two decimals."""
    return "—" if ratio is None else f"{ratio:.2f}"


def parse_size(text: str) -> int:
    """'10MB', '1.5GB', '512kB' (decimal units) or bytes."""
    text = text.strip()
    for suffix, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3), ("KB", 10**3), ("B", 1)):
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * scale)
    return int(text)


def markdown(report: Dict[str, Any]) -> str:
    """The tables, the spawn column, the skips and the definitions, as Markdown."""
    meta = report["meta"]
    lines = [
        f"Sharing one array with {meta['workers']} `multiprocessing.Pool` workers ({meta['start_method']} start "
        f"method), {meta['tasks']} tasks per job, medians of {meta['repetitions']} repetitions (each in a fresh "
        f"parent process with its own Pool). {meta['machine']}; Python {meta['python']}, NumPy {meta['numpy']}, "
        f"colfile {meta['colfile']}"
        + (f"; {meta['blas_variables_unset']} unset" if meta.get("blas_variables_unset") else "")
        + f". Run {meta['started']} – {meta['finished']}; load average (1, 5, 15 min) {meta['load_before']} "
        f"before, {meta['load_after']} after (each cell's in the JSON). Command: `{meta['command']}`",
        "",
    ]
    spawn = {(entry["method"], entry["kind"]): entry for entry in report["spawn"]}
    for kind in meta["kinds"]:
        lines += [f"**{kind}**" + (" (string column: offsets + bytes, Arrow's layout)" if kind == STRING else ""), "",
                  "| method | size | setup | first result | tiny task | job (64 tasks) | Σ Pss workers ÷ data "
                  "| server Pss ÷ data | spawn |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for method in meta["methods"]:
            entry = spawn.get((method, kind))
            works = "—" if entry is None else ("yes" if entry["works"] else "no")
            for cell in report["results"]:
                if cell["method"] != method or cell["kind"] != kind:
                    continue
                size = fmt_size(cell["size"])
                if cell["status"] != "ok":
                    lines.append(f"| {method} | {size} | {cell['status']} | | | | | | {works} |")
                    continue
                lines.append(
                    f"| {method} | {size} | {fmt_seconds(cell['setup_s'])} | {fmt_seconds(cell['first_result_s'])} | "
                    f"{fmt_seconds(cell['tiny_task_s'])} | {fmt_seconds(cell['job_s'])} | "
                    f"{fmt_ratio(cell['pss_ratio'])} | {fmt_ratio(cell['server_pss_ratio'])} | {works} |")
        lines.append("")
    reduced = [cell for cell in report["results"] if cell.get("reason")]
    if reduced:
        lines += ["Skipped or reduced:", ""]
        lines += [f"- {cell['method']}, {cell['kind']}, {fmt_size(cell['size'])}: {cell['status']}: {cell['reason']}"
                  for cell in reduced]
        lines.append("")
    failures = [entry for entry in report["spawn"] if not entry["works"]]
    if failures:
        lines += ["With `spawn`:", ""]
        lines += [f"- {entry['method']}, {entry['kind']}: `{entry['error']}`" for entry in failures]
        lines.append("")
    notes, definitions = meta.get("method_notes", METHOD_NOTES), meta.get("definitions", DEFINITIONS)
    lines += ["Methods:", ""] + [f"- **{name}**: {notes[name]}" for name in meta["methods"]] + [""]
    lines += ["Definitions:", ""] + [f"- **{name}**: {text}" for name, text in definitions.items()] + [""]
    if meta.get("plot"):
        lines += [f"Plot: `{meta['plot']}`", ""]
    return "\n".join(lines)


def plot(report: Dict[str, Any], path: str) -> Optional[str]:
    """Log-log plot of the tiny-task round trip, the job time and Σ Pss ÷ data against size, per method.

    Returns None, or why no plot was drawn (matplotlib missing)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        return f"no plot: {error}"
    meta = report["meta"]
    panels = (("tiny_task_s", "tiny task round trip (s)"), ("job_s", "job: 64 tasks, wall time (s)"),
              ("pss_ratio", "Σ Pss of the 4 workers ÷ data size"))
    kinds = meta["kinds"]
    figure, axes = plt.subplots(len(kinds), len(panels), figsize=(13, 4.2 * len(kinds)), squeeze=False)
    colors = dict(zip(METHOD_NAMES, plt.get_cmap("tab10").colors))
    markers = dict(zip(METHOD_NAMES, "osD^vXP"))
    for row, kind in enumerate(kinds):
        for column, (key, title) in enumerate(panels):
            axis = axes[row][column]
            for method in meta["methods"]:
                points = [(cell["size"], cell[key]) for cell in report["results"]
                          if cell["method"] == method and cell["kind"] == kind and cell["status"] == "ok"
                          and cell.get(key) is not None]
                if key == "pss_ratio":
                    points = [(size, max(value, 0.01)) for size, value in points]  # ≤ 0.01 drawn at 0.01
                if points:
                    axis.plot([p[0] / 1e6 for p in points], [p[1] for p in points], label=method,
                              color=colors[method], marker=markers[method], linewidth=1.5)
                if key == "pss_ratio" and method == "manager":  # where the manager's data lives
                    server = [(cell["size"], cell["server_pss_ratio"]) for cell in report["results"]
                              if cell["method"] == method and cell["kind"] == kind and cell["status"] == "ok"]
                    if server:
                        axis.plot([p[0] / 1e6 for p in server], [p[1] for p in server], label="manager: server",
                                  color=colors[method], marker=markers[method], linewidth=1.2, linestyle="--")
            axis.set_xscale("log")
            axis.set_yscale("log")
            axis.set_xlabel("data size (MB)")
            axis.set_title(f"{kind}: {title}", fontsize=10)
            axis.grid(True, which="both", alpha=0.3)
            if key == "pss_ratio":
                axis.axhline(1.0, color="grey", linewidth=0.8, linestyle="--")
    handles, labels = axes[0][len(panels) - 1].get_legend_handles_labels()  # the panel with every line
    figure.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=9, frameon=False)
    figure.suptitle(f"{meta['workers']} Pool workers ({meta['start_method']}), medians of {meta['repetitions']}; "
                    f"Σ Pss ≤ 0.01 drawn at 0.01; missing points: skipped", fontsize=10)
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    figure.savefig(path, dpi=72)
    plt.close(figure)
    return None


# ----------------------------------------------------------------------------- main

def machine() -> str:
    """CPU model, cores, memory, kernel."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with open("/proc/meminfo") as meminfo:
        total = int(meminfo.readline().split()[1]) * 1024
    return f"{model}, {os.cpu_count()} cores, {total / 2**30:.0f} GiB, Linux {platform.release()}"


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def parse_arguments(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10MB,100MB,1GB,2GB", help="data sizes, decimal units (default %(default)s)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="float64, string or both (default %(default)s)")
    parser.add_argument("--methods", default=",".join(METHOD_NAMES), help="methods to run (default: all)")
    parser.add_argument("--repetitions", type=int, default=3, help="repetitions per cell, medians (default 3)")
    parser.add_argument("--workers", type=int, default=4, help="Pool workers (default 4)")
    parser.add_argument("--tasks", type=int, default=64, help="tasks of the job (default 64)")
    parser.add_argument("--tiny-rounds", type=int, default=200, help="most tiny-task round trips per cell (default 200)")
    parser.add_argument("--tiny-seconds", type=float, default=5.0,
                        help="stop the tiny tasks after this long (at least 5 round trips; default 5)")
    parser.add_argument("--start-method", default="fork", choices=("fork", "spawn", "forkserver"),
                        help="start method of the measured Pools (default fork, Python 3.11's default on Linux)")
    parser.add_argument("--spawn-size", default=None, help="size of the spawn check (default: the smallest size)")
    parser.add_argument("--memory-fraction", type=float, default=0.6,
                        help="skip a cell whose estimated peak exceeds this fraction of MemAvailable (default 0.6)")
    parser.add_argument("--max-cell-seconds", type=float, default=240.0,
                        help="reduce repetitions, then skip, when a cell is projected past this (default 240)")
    parser.add_argument("--dir", default="/var/tmp", help="where the colfile files go, in a new folder removed at "
                        "the end (default /var/tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    parser.add_argument("--json", default="sharing-methods.json", help="JSON output (default %(default)s)")
    parser.add_argument("--markdown", default="sharing-methods.md", help="Markdown output (default %(default)s)")
    parser.add_argument("--plot", default="sharing-methods.png", help="PNG output; '' for none (default %(default)s)")
    parser.add_argument("--render", metavar="JSON", help="measure nothing: write --markdown and --plot again from "
                        "the JSON of an earlier run")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run (about 15 s): size 4MB only, 1 repetition, 5 tiny round trips")
    arguments = parser.parse_args(argv)
    if arguments.quick:
        arguments.sizes, arguments.repetitions, arguments.tiny_rounds = "4MB", 1, 5
        arguments.tiny_seconds = min(arguments.tiny_seconds, 0.2)
    return arguments


def measure_cell(method: str, kind: str, size: int, history: List[Tuple[int, float]],
                 options: Options) -> Dict[str, Any]:
    """Plans, runs and summarizes one cell (method × kind × size); appends its time to ``history``."""
    cell: Dict[str, Any] = {"method": method, "kind": kind, "size": size, "load1": round(os.getloadavg()[0], 2)}
    repetitions, reason = plan_cell(method, kind, size, history, options)
    if repetitions == 0:
        cell.update(status="skipped", reason=reason)
        print(f"  {kind:8} {method:10} {fmt_size(size):>7}: skipped ({reason})", file=sys.stderr)
        return cell
    samples = []
    started = time.perf_counter()
    try:
        for _ in range(repetitions):
            samples.append(run_isolated("measure", method, kind, size, options))
    except Exception as error:
        cell.update(status="failed", reason=describe(error))
        print(f"  {kind:8} {method:10} {fmt_size(size):>7}: FAILED {cell['reason']}", file=sys.stderr)
        return cell
    seconds = (time.perf_counter() - started) / repetitions
    history.append((size, seconds))
    cell.update(status="ok", repetitions=repetitions, seconds_per_repetition=round(seconds, 2), **summarize(samples))
    if reason:
        cell["reason"] = reason
    print(f"  {kind:8} {method:10} {fmt_size(size):>7}: setup {fmt_seconds(cell['setup_s'])}, "
          f"first {fmt_seconds(cell['first_result_s'])}, tiny {fmt_seconds(cell['tiny_task_s'])}, "
          f"job {fmt_seconds(cell['job_s'])}, Σ Pss ÷ data {cell['pss_ratio']:.2f} "
          f"({seconds:.1f} s per repetition)", file=sys.stderr)
    return cell


def spawn_entries(methods: Sequence[str], kind: str, size: int, options: Options) -> List[Dict[str, Any]]:
    """The spawn check of every method of ``kind``, one entry per method."""
    try:
        outcomes = run_isolated("spawn", list(methods), kind, size, options)
    except RuntimeError as error:
        outcomes = {method: {"works": False, "error": f"the check itself failed: {error}"} for method in methods}
    entries = []
    for method in methods:
        entry = {"method": method, "kind": kind, "size": size, **outcomes[method]}
        entries.append(entry)
        print(f"  {kind:8} {method:10} spawn: {'yes' if entry['works'] else 'no: ' + entry['error']}", file=sys.stderr)
    return entries


def write_outputs(report: Dict[str, Any], json_path: Optional[str], markdown_path: str, plot_path: str) -> None:
    """Writes the plot (when asked and matplotlib is there), the JSON (unless None) and the Markdown."""
    for path in (json_path, markdown_path, plot_path):
        if path and os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
    report["meta"]["plot"] = plot_path or None
    if plot_path:
        problem = plot(report, plot_path)
        if problem:
            report["meta"]["plot"] = None
            report["meta"]["plot_problem"] = problem
            print(f"sharing_methods: {problem}", file=sys.stderr)
    if json_path:
        with open(json_path, "w") as output:
            json.dump(report, output, indent=1, default=_json_default)
            output.write("\n")
    with open(markdown_path, "w") as output:
        output.write(markdown(report))
    print(f"sharing_methods: wrote {json_path + ', ' if json_path else ''}{markdown_path}"
          + (f", {plot_path}" if report["meta"]["plot"] else ""), file=sys.stderr)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs every cell and the spawn checks, writes the JSON, Markdown and PNG outputs."""
    arguments = parse_arguments(argv)
    if arguments.render:
        with open(arguments.render) as source:
            report = json.load(source)
        write_outputs(report, None, arguments.markdown, arguments.plot)
        return 0
    signal.signal(signal.SIGTERM, _terminated)  # unwind: stop the running cell, remove the data folder
    sizes = sorted(parse_size(text) for text in arguments.sizes.split(","))
    kinds = [kind for kind in arguments.kinds.split(",") if kind]
    methods = [method for method in arguments.methods.split(",") if method]
    unknown = [name for name in kinds if name not in KINDS] + [name for name in methods if name not in METHOD_NAMES]
    if unknown:
        print(f"sharing_methods: unknown kind or method: {', '.join(unknown)}", file=sys.stderr)
        return 2
    os.makedirs(arguments.dir, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="colfile-sharing-", dir=arguments.dir)
    options = Options(workers=arguments.workers, tasks=arguments.tasks, repetitions=arguments.repetitions,
                      tiny_rounds=arguments.tiny_rounds, tiny_seconds=arguments.tiny_seconds,
                      start_method=arguments.start_method, folder=folder,
                      memory_fraction=arguments.memory_fraction, max_cell_seconds=arguments.max_cell_seconds)
    command = sys.argv[1:] if argv is None else list(argv)
    meta: Dict[str, Any] = {
        "command": " ".join(["python3", "Tools/bench/sharing_methods.py"] + command),
        "machine": machine(), "python": platform.python_version(), "numpy": np.__version__,
        "colfile": colfile.__version__, "workers": options.workers, "tasks": options.tasks,
        "repetitions": options.repetitions, "start_method": options.start_method, "kinds": kinds,
        "methods": methods, "sizes": sizes, "load_before": load(),
        "started": datetime.datetime.now().isoformat(timespec="seconds"),
        "blas_variables_unset": os.environ.get("SHARING_UNSET_BLAS", ""),
        "definitions": DEFINITIONS, "method_notes": {name: METHOD_NOTES[name] for name in methods},
    }
    print(f"sharing_methods: {meta['machine']}; load {meta['load_before']}; data in {folder}", file=sys.stderr)
    results: List[Dict[str, Any]] = []
    spawn: List[Dict[str, Any]] = []
    spawn_size = parse_size(arguments.spawn_size) if arguments.spawn_size else sizes[0]
    try:
        for kind in kinds:
            for method in methods:
                history: List[Tuple[int, float]] = []
                results += [measure_cell(method, kind, size, history, options) for size in sizes]
            spawn += spawn_entries(methods, kind, spawn_size, options)
    finally:
        if not arguments.keep:
            shutil.rmtree(folder, ignore_errors=True)
    meta.update(finished=datetime.datetime.now().isoformat(timespec="seconds"), load_after=load())
    write_outputs({"meta": meta, "results": results, "spawn": spawn}, arguments.json, arguments.markdown,
                  arguments.plot)
    return 0


def _terminated(number: int, frame: Any) -> None:
    """SIGTERM handler of the driver."""
    raise SystemExit(128 + number)


def _json_default(value: Any) -> Any:
    """NumPy scalars in JSON."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON: {type(value).__name__}")


if __name__ == "__main__":
    sys.exit(main())
