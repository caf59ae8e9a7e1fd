"""The results-return comparison (Tools/bench/results_return.py) runs end to end in its quick mode
(1 Mi rows) against the built Swift tool: every method returns the exact result, and the bytes that
pass through read/write calls are what each method is known to cost (pickling: about 3 copies,
colfile: next to none). Behaviour only, never speed or memory (both move with the machine's load)."""

import json
import subprocess
import sys
from pathlib import Path

from support import swift_bin_dir

ROOT = Path(__file__).resolve().parents[2]


def test_quick_run(tmp_path):
    report = tmp_path / "report.json"
    subprocess.run([sys.executable, str(ROOT / "Tools" / "bench" / "results_return.py"), "--quick",
                    "--colfile", str(swift_bin_dir() / "colfile"), "--dir", str(tmp_path), "--json", str(report),
                    "--markdown", str(tmp_path / "report.md")], check=True, capture_output=True, timeout=300)
    figures = {f["method"]: f for f in json.loads(report.read_text())["figures"]}
    assert set(figures) == {"pool-map", "manager", "shm", "colfile"}
    ratio = {method: f["syscallBytes"] / f["bytes"] for method, f in figures.items()}
    assert ratio["pool-map"] >= 2.9 and ratio["manager"] >= 4.9 and 0.9 <= ratio["shm"] <= 1.5
    assert ratio["colfile"] < 0.2
    assert not list(tmp_path.glob("results-return-*"))  # its scratch folder is removed
    assert "| colfile |" in (tmp_path / "report.md").read_text()
