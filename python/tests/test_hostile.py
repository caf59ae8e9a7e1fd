"""Hostile files: every truncation and seeded random bit flips of the golden fixtures. Only ColFileError
may escape; no case may hang (timeout) or allocate without bound (address-space limit of the child)."""

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from support import GOLDEN

HERE = Path(__file__).parent
LIMIT = 3 << 30  # address space of the child: far below any unbounded allocation, above numpy + pyarrow


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _sweep(mode: str, seed: int, count: int, fixtures):
    environment = dict(os.environ, PYTHONPATH=str(HERE) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                       OPENBLAS_NUM_THREADS="1")
    result = subprocess.run([sys.executable, str(HERE / "sweep_child.py"), mode, str(seed), str(count), *fixtures],
                            capture_output=True, text=True, timeout=240, preexec_fn=_limit, env=environment)
    assert result.returncode == 0, f"seed {seed} ({mode}):\n{result.stderr[-4000:]}"
    return json.loads(result.stdout)


def test_every_truncation_of_every_golden_fixture_is_rejected_at_open():
    outcomes = _sweep("truncate", 0, 0, GOLDEN)
    assert set(outcomes) <= {"open:truncated", "open:badMagic", "open:badDirectoryLocation"}, outcomes
    assert sum(outcomes.values()) > 20000


@pytest.mark.parametrize("seed", [1, 2])
def test_random_bit_flips_raise_only_colfile_errors(seed):
    outcomes = _sweep("flip", seed, 300, GOLDEN)
    assert sum(outcomes.values()) == 300 * len(GOLDEN)
    assert any(key.startswith("open:") for key in outcomes)


@pytest.mark.parametrize("seed", [3, 4])
def test_resealed_directory_flips_reach_the_deep_checks(seed):
    outcomes = _sweep("reseal", seed, 300, GOLDEN)
    assert sum(outcomes.values()) == 300 * len(GOLDEN)
    deep = {key for key in outcomes if key not in ("open:headerChecksumMismatch", "open:directoryChecksumMismatch")}
    assert len(deep) >= 8, outcomes
