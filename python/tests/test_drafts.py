"""Drafts from Python: Python and Swift workers fill one draft through the same claim table and
locks, a killed worker's range is resumed by a worker of the other language, the sealed file
reads the same in Swift and Python; each misuse and damaged draft is a typed error."""

import fcntl
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import numpy as np
import pytest

import colfile
from colfile import _locks
from support import describe, run_swift, swift_bin_dir

HERE = Path(__file__).parent
ROWS, PER_RANGE = 16_384, 512


def _create(path, rows=ROWS, per_range=PER_RANGE):
    run_swift("colfile", "draft", "create", path, "--rows", rows, "--rows-per-range", per_range,
              "--column", "value:float64", "--column", "count:int64:zero")


def _python_filler(path, *options):
    return subprocess.Popen([sys.executable, str(HERE / "draft_filler.py"), str(path), *map(str, options)],
                            stdout=subprocess.PIPE, text=True, cwd=HERE)


def _swift_filler(path):
    return subprocess.Popen([str(swift_bin_dir() / "colfile"), "harness-filler", str(path)], stdout=subprocess.PIPE,
                            text=True, stdin=subprocess.DEVNULL)


def _report(process):
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0, out
    return json.loads([line for line in out.splitlines() if line.startswith("report ")][0][len("report "):])


def test_python_and_swift_fillers_share_one_draft_and_resume_a_killed_one(tmp_path):
    draft, target = tmp_path / "out.col.draft", tmp_path / "out.col"
    _create(draft)
    stalled = _python_filler(draft, "--stall-at", 2)
    for line in stalled.stdout:
        if line.startswith("stalled"):
            stalled_range = int(line.split()[1])
            break
    # Swift sees the Python claimer's lock: working while it lives, abandoned once it is killed.
    assert "done 1, working 1, abandoned 0" in run_swift("colfile", "draft", "status", draft).stdout
    os.kill(stalled.pid, signal.SIGKILL)
    stalled.wait()
    assert "done 1, working 0, abandoned 1" in run_swift("colfile", "draft", "status", draft).stdout
    fillers = [_python_filler(draft), _swift_filler(draft), _python_filler(draft)]
    reports = [_report(process) for process in fillers]
    assert sum(report["ranges"] for report in reports) == ROWS // PER_RANGE - 1  # the dead one finished 1
    assert sum(report["resumed"] for report in reports) == 1
    with colfile.open_draft(draft) as opened:
        assert opened.progress() == {"free": 0, "working": 0, "abandoned": 0, "done": 32, "resumed": 1, "total": 32}
        assert opened._claim_entries()[stalled_range, 1] == 2  # attempts: the killed claim, then the resume
    run_swift("colfile", "draft", "seal", draft, target, "--require-done", "--no-sync")
    assert not draft.exists()
    assert run_swift("colfile", "verify", target, check=False).returncode == 0
    reader = colfile.open(target)
    rows = np.arange(ROWS)
    assert np.array_equal(reader["value"], rows * 0.25 + 1)
    assert reader.info("value").null_count == 0
    assert np.array_equal(reader["count"], np.ones(ROWS, dtype=np.int64))
    swift = json.loads(run_swift("colfile-fixture", "dump", target).stdout)
    assert swift == describe(reader)


def test_bools_validity_and_atomics_seal_as_written(tmp_path):
    draft, target = tmp_path / "b.col.draft", tmp_path / "b.col"
    run_swift("colfile", "draft", "create", draft, "--rows", 200, "--rows-per-range", 64, "--column", "flag:bool",
              "--column", "n:uint32:zero", "--column", "v:float32[3]", "--column", "hits:int64")
    with colfile.open_draft(draft) as opened:
        flags = [row % 3 == 0 for row in range(5, 190)]
        opened.set_bools("flag", 5, flags)
        n = opened.atomic("n")
        assert n.load_then_add(7, 0) == 0 and n.load(0) == 7
        assert n.compare_exchange(7, 2**32 - 1, 0) == (True, 7)
        assert n.compare_exchange(7, 1, 0) == (False, 2**32 - 1)
        hits = opened.atomic("hits")  # starts null: an add or a store marks the row valid, as in Swift
        assert hits.load_then_add(-5, 3) == 0 and hits.compare_exchange(1, 2, 4) == (False, 0)
        hits.store(-1, 7)
        v = opened.values("v")
        assert v.shape == (200, 3) and v.flags.writeable
        v[10:20] = np.arange(30, dtype=np.float32).reshape(10, 3)
        opened.set_valid("v", range(10, 20))
        del flags, n, v, hits
    run_swift("colfile", "draft", "seal", draft, target, "--no-sync")
    reader = colfile.open(target)
    flag = describe(reader)["columns"][0]["values"]
    assert flag == [None] * 5 + [row % 3 == 0 for row in range(5, 190)] + [None] * 10
    assert reader["n"][0] == 2**32 - 1
    hits = describe(reader)["columns"][3]["values"]
    assert hits[3] == -5 and hits[7] == -1 and hits.count(None) == 198
    assert reader.info("v").null_count == 190
    assert np.array_equal(np.asarray(reader["v"][10:20]), np.arange(30, dtype=np.float32).reshape(10, 3))


def test_a_dropped_claim_gives_its_range_up(tmp_path):
    draft = tmp_path / "c.col.draft"
    _create(draft, rows=128, per_range=64)
    opened = colfile.open_draft(draft)
    first, second = opened.work_queue(), opened.work_queue()
    held = [first.claim(), first.claim()]
    assert [claim.index for claim in held] == [0, 1] and first.claim() is None  # never its own range again
    assert second.claim() is None
    assert opened.progress() == {"free": 0, "working": 2, "abandoned": 0, "done": 0, "resumed": 0, "total": 2}
    del held[1]
    assert opened.progress()["abandoned"] == 1
    again = second.claim()
    assert (again.index, again.attempt, again.resumed) == (1, 2, True)
    again.finish()
    held[0].finish()
    assert opened.progress() == {"free": 0, "working": 0, "abandoned": 0, "done": 2, "resumed": 1, "total": 2}


def test_misuse_is_a_typed_error(tmp_path):
    draft = tmp_path / "m.col.draft"
    _create(draft, rows=1000, per_range=64)
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.open(draft)
    assert caught.value.code == "unsealedDraft"
    opened = colfile.open_draft(draft)
    for call, code in [(lambda: opened.atomic("value"), "typeMismatch"), (lambda: opened.values("nope"), "noSuchColumn"),
                       (lambda: opened.set_bools("value", 0, [True]), "typeMismatch"),
                       (lambda: opened.set_valid("count", range(3), False), "invalidArgument")]:
        with pytest.raises(colfile.ColFileError) as caught:
            call()
        assert caught.value.code == code
    with pytest.raises(IndexError):
        opened.atomic("count").load(1000)
    with pytest.raises(IndexError):
        opened.set_valid("value", range(990, 1001))
    values = opened.values("value")
    with pytest.raises(colfile.ColFileError) as caught:
        opened.close()
    assert caught.value.code == "invalidArgument"  # a view still exists: the lock must outlive it
    sealed = run_swift("colfile", "draft", "seal", draft, tmp_path / "m.col", check=False)
    assert sealed.returncode != 0 and str(os.getpid()) in sealed.stderr  # a writer holds the draft: draftBusy
    del values
    opened.close()
    # A sealer holding the seal lock exclusively makes open_draft refuse.
    fd = os.open(draft, os.O_RDWR)
    try:
        assert _locks.lock(fd, fcntl.F_WRLCK, _locks.SEAL_LOCK, wait=False)
        with pytest.raises(colfile.ColFileError) as caught:
            colfile.open_draft(draft)
        assert caught.value.code == "draftBusy"
    finally:
        os.close(fd)
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.open_draft(tmp_path / "missing.draft")
    assert caught.value.code == "io"
    # A seal lock released within half a second (a finished seal's copy in a child forked by
    # another thread, until it execs): open_draft waits for it instead of refusing.
    fd = os.open(draft, os.O_RDWR)
    assert _locks.lock(fd, fcntl.F_WRLCK, _locks.SEAL_LOCK, wait=False)
    release = threading.Timer(0.1, os.close, (fd,))
    release.start()
    colfile.open_draft(draft).close()
    release.join()


def _reseal_header(data: bytearray) -> None:
    data[60:64] = struct.pack("<I", zlib.crc32(bytes(data[:60])))


@pytest.mark.parametrize("edit, code", [
    (lambda d: d.__delitem__(slice(len(d) - 1, None)), "truncated"),
    (lambda d: d.__delitem__(slice(40, None)), "truncated"),
    (lambda d: d.__setitem__(3, 0x58), "badMagic"),
    (lambda d: d.__setitem__(slice(0, 8), b"\x89COL\r\n\x1a\n"), "sealedDraft"),
    (lambda d: d.__setitem__(20, d[20] ^ 1), "headerChecksumMismatch"),
    (lambda d: (d.__setitem__(slice(16, 20), struct.pack("<I", 9)), _reseal_header(d)), "badDraftHeader"),
    (lambda d: (d.__setitem__(slice(48, 56), struct.pack("<Q", 65)), _reseal_header(d)), "badDraftHeader"),
    (lambda d: d.__setitem__(slice(72, 80), struct.pack("<Q", 3)), "badDraftLayout"),
    (lambda d: d.__setitem__(len(d) - 100, d[len(d) - 100] ^ 1), "directoryChecksumMismatch"),
])
def test_damaged_drafts_are_refused_with_the_swift_code(tmp_path, edit, code):
    draft = tmp_path / "d.col.draft"
    _create(draft, rows=640, per_range=64)
    data = bytearray(draft.read_bytes())
    edit(data)
    draft.write_bytes(bytes(data))
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.open_draft(draft)
    assert caught.value.code == code
    swift = run_swift("colfile", "draft", "status", draft, check=False)
    assert swift.returncode != 0 and swift.stderr.strip() == f"colfile: {caught.value}", swift.stderr


def test_every_truncation_and_resealed_flip_of_the_draft_seed_is_checked(tmp_path):
    """Hostile drafts: only ColFileError, never another exception (the Swift fuzzer's draft seed)."""
    from colfile._draft_layout import validate
    seed = (Path(__file__).parents[2] / "Fixtures" / "fuzz-corpus" / "draft.col").read_bytes()
    assert validate(seed)[0].row_count == 256
    d_offset, d_length = struct.unpack_from("<Q", seed, 40)[0], struct.unpack_from("<I", seed, 20)[0]
    cases = [seed[:length] for length in range(0, len(seed), 7)]
    for position in list(range(0, 160)) + list(range(d_offset, d_offset + d_length)):
        data = bytearray(seed)
        data[position] ^= 0xFF
        data[56:60] = struct.pack("<I", zlib.crc32(bytes(data[d_offset:d_offset + d_length])))
        _reseal_header(data)
        cases.append(bytes(data))
    outcomes = set()
    for case in cases:
        try:
            validate(case)
            outcomes.add("ok")
        except colfile.ColFileError as error:
            outcomes.add(error.code)
    assert {"truncated", "badDraftHeader", "badDraftLayout", "ok"} <= outcomes
