"""The cyclic garbage collector is paused during bulk calls and left as the caller had it."""

import gc
import os
import threading

import numpy as np
import pytest

import colfile
from colfile import _arrow
from colfile._collector import collector_paused


@pytest.fixture
def collector_enabled():
    """The collector on for the test, and restored to the state it was in afterwards."""
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


@pytest.fixture
def wide_file(tmp_path):
    path = tmp_path / "wide.col"
    colfile.write(path, {f"c{i}": np.arange(10, dtype=np.int64) + i for i in range(50)}, sync=False)
    return path


def test_pause_disables_and_resumes(collector_enabled):
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pause_resumes_after_an_exception(collector_enabled):
    with pytest.raises(KeyError):
        with collector_paused():
            raise KeyError("x")
    assert gc.isenabled()


def test_pause_leaves_a_collector_the_caller_turned_off(collector_enabled):
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_pauses_in_two_threads_resume_when_the_last_ends(collector_enabled):
    entered = threading.Event()
    release = threading.Event()

    def hold():
        with collector_paused():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert entered.wait(10)
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's pause is still on
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_a_child_forked_during_another_threads_pause_resumes_the_collector(collector_enabled):
    entered = threading.Event()
    release = threading.Event()

    def hold():
        with collector_paused():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert entered.wait(10)
    pid = os.fork()
    if pid == 0:
        with collector_paused():
            paused = not gc.isenabled()
        os._exit(0 if paused and gc.isenabled() else 1)
    _, status = os.waitpid(pid, 0)
    release.set()
    thread.join(10)
    assert os.waitstatus_to_exitcode(status) == 0
    assert gc.isenabled()


def test_bulk_calls_pause_and_resume(collector_enabled, wide_file, tmp_path, monkeypatch):
    seen = []
    table_from_reader = _arrow.table_from_reader

    def spy(*arguments):
        seen.append(gc.isenabled())
        return table_from_reader(*arguments)

    monkeypatch.setattr(_arrow, "table_from_reader", spy)
    reader = colfile.open(wide_file)
    assert len(reader.columns) == 50 and gc.isenabled()
    assert reader.to_arrow().num_columns == 50 and gc.isenabled()
    assert reader.to_pandas().shape == (10, 50) and gc.isenabled()
    assert seen == [False, False]
    colfile.write(tmp_path / "copy.col", reader.to_arrow(), sync=False)
    assert gc.isenabled()
    with pytest.raises(colfile.ColFileError):
        colfile.write(tmp_path / "bad.col", {"a": np.arange(3), "b": np.arange(4)}, sync=False)
    assert gc.isenabled()
