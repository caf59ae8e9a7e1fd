"""The comparison of Python's sharing methods (Tools/bench/sharing_methods.py) runs end to end.

One run of its quick mode (4 MB, 1 repetition) in a subprocess, then checks of what it wrote:
every method and kind measured, finite figures, the memory each method is known to need (colfile:
one copy shared by the workers; pickling: a copy per worker), the spawn column, the Markdown and the
plot. Behaviour only, never speed. Shared memory segments the run leaves in /dev/shm (it should
leave none) are removed, and counted as a failure, even when the run fails.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "Tools" / "bench" / "sharing_methods.py"
METHODS = ("pickle", "fork-numpy", "fork-list", "mp-array", "shm", "manager", "colfile")
KINDS = ("float64", "string")
SHM = Path("/dev/shm")
SEGMENT_PREFIX = "colfile-sharing-"


def _segments() -> set:
    return {path.name for path in SHM.iterdir() if path.name.startswith(SEGMENT_PREFIX)} if SHM.is_dir() else set()


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sharing-methods")
    data = folder / "data"
    outputs = {"json": folder / "report.json", "markdown": folder / "report.md", "plot": folder / "report.png"}
    before = _segments()
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--quick", "--dir", str(data), "--json", str(outputs["json"]),
         "--markdown", str(outputs["markdown"]), "--plot", str(outputs["plot"])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, stderr = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)  # the script stops its running cell and removes its files
        try:
            _, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
        stderr = "timed out\n" + stderr
    finally:
        leaked = _segments() - before
        for name in leaked:
            (SHM / name).unlink(missing_ok=True)
    try:
        assert process.returncode == 0, stderr
        yield json.loads(outputs["json"].read_text()), outputs, data, leaked
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _cells(report):
    return {(cell["method"], cell["kind"]): cell for cell in report["results"]}


def test_every_method_and_kind_is_measured(quick_run):
    report, _, _, _ = quick_run
    cells = _cells(report)
    assert set(cells) == {(method, kind) for method in METHODS for kind in KINDS}
    for (method, kind), cell in cells.items():
        assert cell["status"] == "ok", (method, kind, cell.get("reason"))
        assert cell["size"] == 4_000_000 and cell["repetitions"] == 1
        for name in ("setup_s", "first_result_s", "tiny_task_s", "job_s", "pss_ratio"):
            assert math.isfinite(cell[name]), (method, kind, name, cell[name])
        for name in ("first_result_s", "tiny_task_s", "job_s"):
            assert cell[name] > 0, (method, kind, name)
    assert report["meta"]["load_before"] and report["meta"]["definitions"]["pss ratio"]


def test_memory_colfile_one_shared_copy_pickle_one_copy_per_worker(quick_run):
    report, _, _, _ = quick_run
    cells = _cells(report)
    for kind in KINDS:
        assert 0.5 <= cells[("colfile", kind)]["pss_ratio"] <= 1.1, cells[("colfile", kind)]
        assert cells[("pickle", kind)]["pss_ratio"] >= 3, cells[("pickle", kind)]
        assert cells[("fork-list", kind)]["pss_ratio"] >= 3, cells[("fork-list", kind)]  # refcounts unshare
        server = cells[("manager", kind)]["server_pss_ratio"]
        assert server is not None and server >= 1, cells[("manager", kind)]  # the data lives in the server
        assert cells[("shm", kind)]["server_pss_ratio"] is None


def test_spawn_column_records_what_works(quick_run):
    report, _, _, _ = quick_run
    spawn = {(entry["method"], entry["kind"]): entry for entry in report["spawn"]}
    assert set(spawn) == {(method, kind) for method in METHODS for kind in KINDS}
    for (method, kind), entry in spawn.items():
        if method in ("fork-numpy", "fork-list"):  # a spawned worker does not inherit the parent's global
            assert entry["works"] is False and entry["error"], entry
        else:
            assert entry["works"] is True and entry["error"] is None, entry


def test_outputs_written_and_nothing_left_behind(quick_run):
    report, outputs, data, leaked = quick_run
    text = outputs["markdown"].read_text()
    for kind in KINDS:
        assert f"**{kind}**" in text
    for method in METHODS:
        assert f"| {method} | 4 MB |" in text
    if report["meta"]["plot"]:
        assert outputs["plot"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert "matplotlib" in report["meta"]["plot_problem"]
    assert not leaked, f"shared memory segments left in /dev/shm: {sorted(leaked)}"
    assert not data.exists() or not os.listdir(data), "the data folder was not removed"
