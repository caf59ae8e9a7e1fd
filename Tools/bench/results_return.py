#!/usr/bin/env python3
"""Returning results from the workers of a multiprocessing.Pool, side by side (issue 15).

    python3 Tools/bench/results_return.py --rows 16777216 --markdown results-return.md
    python3 Tools/bench/results_return.py --quick          # a smoke run: 1 Mi rows (~10 s)

The same job, run by N = 4 workers in 64 tasks of equal rows, computes one float64 result per row
(``row * 0.25 + 1``, the harness's FillJob) and the result must end as a file on disk:

  pool-map   each task returns its NumPy slice; ``Pool.map`` pickles it through the pool's pipe, the
             parent concatenates the slices and writes a ``.npy`` (``np.save``);
  manager    each task stores its slice in a ``Manager().list`` (pickled to the server process); the
             parent reads them back (pickled again), concatenates and writes a ``.npy``;
  shm        the parent creates a ``shared_memory.SharedMemory`` segment; each task attaches by name
             and writes its rows in place; the parent writes the segment to a ``.npy`` and unlinks it;
  colfile    the parent creates a colfile draft (``colfile draft create``); each worker opens it once
             and claims ranges (the draft's work queue, a range = a task's rows), writes them in
             place through the writable NumPy view and marks them valid; the parent seals it
             (``colfile draft seal``): the sealed file is the draft's own pages, nothing is copied.

Measured per method (one run each, in a fresh process forked from the driver, so no earlier
method's memory is inherited):

  wall       from the start of the method (segment/draft creation included) to the result file
             written (np.save's file or the sealed file published), none of them fsynced;
  peak Σ Pss growth ÷ result
             the largest Σ Pss (``/proc/PID/smaps_rollup``) of the method's process and all its
             descendants (workers, manager server), sampled every 5 ms, minus the same sum taken
             after the Pool started and before the job, ÷ the result's size. Pss charges a shared
             page 1/k to each of its k mappers, so one shared copy reads 1.0; page cache that no
             process maps (a file written with write(2)) is not counted;
  syscall bytes ÷ result
             bytes that went through read(2)/write(2)-family calls (``rchar`` + ``wchar`` of
             ``/proc/PID/io``; a reaped child's figures are added to its parent's, so the method
             process's own delta covers its workers, the manager server and the seal tool) ÷ the
             result's size: pipes, sockets and file writes, the copies the kernel makes. Copies
             inside a process (pickling, concatenation) are not syscalls: the table's *copies*
             column counts those of the result by construction, from the code above.

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed from this process's environment (set on the
project's machines, they slow NumPy).
"""

from __future__ import annotations

import os
import sys

BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if __name__ == "__main__" and any(name in os.environ for name in BLAS_VARIABLES):
    os.execve(sys.executable, [sys.executable] + sys.argv,
              {k: v for k, v in os.environ.items() if k not in BLAS_VARIABLES})

import argparse  # noqa: E402
import json  # noqa: E402
import multiprocessing as mp  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from multiprocessing import resource_tracker, shared_memory  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import colfile  # noqa: E402

WORKERS, TASKS = 4, 64
METHODS = ("pool-map", "manager", "shm", "colfile")
#: User-space copies of the result, by construction (see the module's docstring).
COPIES = {"pool-map": "pickle, unpickle, concatenate, save: 4", "manager": "pickle ×2, unpickle ×2, concatenate, save: 6",
          "shm": "save: 1", "colfile": "0"}


def compute(start: int, stop: int) -> np.ndarray:
    return np.arange(start, stop, dtype=np.float64) * 0.25 + 1


# -- the methods' tasks (module level, so that the pool can find them) ---------------------------

def task_return(bounds):
    return compute(*bounds)


def task_manager(arguments):
    index, bounds, results = arguments
    results[index] = compute(*bounds)


_attached = {}


def task_shm(arguments):
    name, rows, (start, stop) = arguments
    if name not in _attached:
        segment = shared_memory.SharedMemory(name=name)
        # Python < 3.13 registers an attached segment for removal at this worker's exit: the parent owns it.
        resource_tracker.unregister(segment._name, "shared_memory")
        _attached[name] = (segment, np.ndarray((rows,), dtype=np.float64, buffer=segment.buf))
    _attached[name][1][start:stop] = compute(start, stop)


def task_colfile(path):
    draft = colfile.open_draft(path)
    values, queue = draft.values("value"), draft.work_queue()
    ranges = 0
    while (claim := queue.claim()) is not None:
        values[claim.rows.start:claim.rows.stop] = compute(claim.rows.start, claim.rows.stop)
        draft.set_valid("value", claim.rows)
        claim.finish()
        ranges += 1
    return ranges


# -- measuring ------------------------------------------------------------------------------------

def descendants(pid: int):
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    stack.extend(int(child) for child in f.read().split())
        except OSError:
            pass
    return found


def pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def io_bytes() -> int:
    with open("/proc/self/io") as f:
        fields = dict(line.split(": ") for line in f.read().splitlines())
    return int(fields["rchar"]) + int(fields["wchar"])


class PssSampler(threading.Thread):
    """Samples Σ Pss of this process and its descendants until stopped; keeps the peak."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self._halt = 0, threading.Event()

    def total(self) -> int:
        return sum(pss_kib(pid) for pid in descendants(os.getpid()))

    def run(self):
        while not self._halt.is_set():
            self.peak = max(self.peak, self.total())
            self._halt.wait(0.005)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return max(self.peak, self.total())


def run_method(method: str, rows: int, folder: Path, tool: str, queue) -> None:
    """One method, measured; runs in a fresh process and puts its figures on ``queue``."""
    step = -(-rows // TASKS // 64) * 64
    bounds = [(start, min(start + step, rows)) for start in range(0, rows, step)]
    out = folder / f"{method}.npy"
    io_before = io_bytes()
    started = time.perf_counter()
    with mp.get_context("fork").Pool(WORKERS) as pool:
        pool.map(abs, range(WORKERS * 4))  # every worker up before the baseline
        sampler = PssSampler()
        baseline = sampler.total()
        sampler.start()
        if method == "pool-map":
            result = np.concatenate(pool.map(task_return, bounds))
            np.save(out, result)
        elif method == "manager":
            with mp.get_context("fork").Manager() as manager:
                results = manager.list([None] * len(bounds))
                pool.map(task_manager, [(i, b, results) for i, b in enumerate(bounds)])
                result = np.concatenate(list(results))
                np.save(out, result)
        elif method == "shm":
            segment = shared_memory.SharedMemory(create=True, size=rows * 8)
            try:
                pool.map(task_shm, [(segment.name, rows, b) for b in bounds])
                result = np.ndarray((rows,), dtype=np.float64, buffer=segment.buf)
                np.save(out, result)
                del result
            finally:
                segment.close()
                segment.unlink()
        else:
            out = folder / "results.col"
            draft = str(out) + ".draft"
            subprocess.run([tool, "draft", "create", draft, "--rows", str(rows), "--rows-per-range", str(step),
                            "--column", "value:float64"], check=True, stdout=subprocess.DEVNULL)
            assert sum(pool.map(task_colfile, [draft] * WORKERS, chunksize=1)) == len(bounds)
            pool.close()
            pool.join()  # the workers' views and locks are gone before the seal
            subprocess.run([tool, "draft", "seal", draft, str(out), "--require-done", "--no-sync"], check=True,
                           stdout=subprocess.DEVNULL)
        peak = sampler.stop()
        pool.close()
        pool.join()
    wall = time.perf_counter() - started
    moved = io_bytes() - io_before
    if method == "colfile":
        check = np.asarray(colfile.open(out)["value"])
    else:
        check = np.load(out, mmap_mode="r")
    assert np.array_equal(check, compute(0, rows)), method
    queue.put({"method": method, "rows": rows, "bytes": rows * 8, "wallSeconds": wall,
               "peakPssGrowthKiB": peak - baseline, "syscallBytes": moved, "file": out.stat().st_size})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1 << 24, help="result rows (float64); default 16 Mi (128 MiB)")
    parser.add_argument("--quick", action="store_true", help="1 Mi rows: a smoke run")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated subset of " + ", ".join(METHODS))
    parser.add_argument("--colfile", help="the colfile tool (default: `swift build -c release --show-bin-path`)")
    parser.add_argument("--dir", default="/var/tmp", help="folder for the result files (a new folder inside)")
    parser.add_argument("--json", help="write the figures as JSON here")
    parser.add_argument("--markdown", help="write the table here")
    args = parser.parse_args()
    rows = 1 << 20 if args.quick else args.rows
    tool = args.colfile or str(Path(subprocess.run(
        ["swift", "build", "-c", "release", "--show-bin-path"], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2]).stdout.strip()) / "colfile")
    folder = Path(tempfile.mkdtemp(prefix="results-return-", dir=args.dir))
    figures = []
    try:
        for method in args.methods.split(","):
            queue = mp.get_context("fork").Queue()
            process = mp.get_context("fork").Process(target=run_method, args=(method, rows, folder, tool, queue))
            process.start()
            process.join()
            if process.exitcode != 0 or queue.empty():
                raise SystemExit(f"{method} failed (exit status {process.exitcode})")
            figures.append(queue.get())
            for leftover in folder.iterdir():
                leftover.unlink()
            print(json.dumps(figures[-1]), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()
    lines = [f"{rows:,} float64 rows ({rows * 8 / 2**20:,.0f} MiB), {WORKERS} workers, {TASKS} tasks; "
             f"load average at the end {load[0]:.1f}",
             "", "| method | wall | peak Σ Pss growth ÷ result | syscall bytes ÷ result | user-space copies of the result |",
             "|---|---|---|---|---|"]
    for f in figures:
        lines.append(f"| {f['method']} | {f['wallSeconds']:.2f} s | {f['peakPssGrowthKiB'] * 1024 / f['bytes']:.2f} | "
                     f"{f['syscallBytes'] / f['bytes']:.2f} | {COPIES[f['method']]} |")
    table = "\n".join(lines)
    print(table)
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "load": load, "figures": figures}, indent=1))
    if args.markdown:
        Path(args.markdown).write_text(table + "\n")


if __name__ == "__main__":
    main()
