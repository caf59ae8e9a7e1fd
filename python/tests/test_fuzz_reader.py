"""The Python reader under the fuzz target (python/fuzz/fuzz_reader.py; RELIABILITY.md, "Fuzzing the
Python reader"), briefly, on every CI run: every committed seed replayed (plain and re-sealed), a fixed
set of seeded random mutations of them, and, when atheris is installed, a few seconds of coverage-guided
fuzzing. Any exception other than ColFileError fails the test; the seed and input are in the message."""

import importlib.util
import random
import subprocess
import sys
import warnings

import pytest

from support import FIXTURES, ROOT

TARGET = ROOT / "python" / "fuzz" / "fuzz_reader.py"
SEED_FOLDERS = [FIXTURES, FIXTURES / "broken", FIXTURES / "fuzz-corpus"]
SEEDS = sorted(path for folder in SEED_FOLDERS for path in folder.glob("*.col"))


def _target():
    spec = importlib.util.spec_from_file_location("fuzz_reader_replay", TARGET)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        choice = rng.random()
        at = rng.randrange(len(data))
        if choice < 0.5:
            data[at] = rng.randrange(256)
        elif choice < 0.7:
            width = rng.choice((4, 8))
            data[at:at + width] = rng.choice((0, 1, 0xFF, 0x7F, 0x80)).to_bytes(1, "little") * width
        elif choice < 0.85:
            del data[at:at + rng.randrange(1, 64)]
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
    return bytes(data)


def test_seeds_and_seeded_mutations():
    target = _target()
    assert len(SEEDS) > 50
    rng = random.Random(17)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy sums of garbage floats
        for path in SEEDS:
            original = path.read_bytes()
            target.test_one_input(original)
            for round in range(6):
                data = _mutate(original, rng)
                try:
                    target.test_one_input(data)
                except Exception as error:  # noqa: BLE001 - a finding, reported with its input
                    raise AssertionError(f"{path.name} mutation {round} (seed 17): {error!r}; "
                                         f"input {data[:64].hex()}…") from error


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
def test_a_few_seconds_of_atheris(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    result = subprocess.run(
        [sys.executable, str(TARGET), "-max_total_time=2", "-timeout=10", "-rss_limit_mb=2048",
         f"-dict={ROOT / 'Fuzz' / 'colfile.dict'}", f"-artifact_prefix={tmp_path}/", str(corpus),
         str(FIXTURES / "fuzz-corpus")],  # the small seeds: every seed is replayed above
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Done" in result.stderr
