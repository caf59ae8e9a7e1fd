"""Sharing across processes, proven with Pss: a Pool of 4 workers under every start method maps one copy
of the file (Σ Pss growth ÷ bytes touched ≤ 1.1) against ≈ 4 copies when the array is pickled to them."""

import multiprocessing
import pickle

import numpy as np
import pytest

import colfile

ROWS = 32 << 20  # 256 MiB of float64: shared-library noise is small beside it
WORKERS = 4
_state = {}


def _pss_bytes() -> int:
    with open("/proc/self/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no Pss line in /proc/self/smaps_rollup")


def _init(barrier, warm_path) -> None:
    _state["barrier"] = barrier
    with colfile.open(warm_path) as reader:  # imports and first-use allocations before the baseline
        float(np.sum(reader["x"][:1000]))
    _state["baseline"] = _pss_bytes()


def _start() -> None:
    # Under fork, the pages inherited from the parent are shared by more processes as more workers
    # start, which lowers each one's Pss: the baseline is taken once all workers exist.
    _state["barrier"].wait(timeout=120)
    _state["baseline"] = _pss_bytes()


def _finish(total: float):
    _state["barrier"].wait(timeout=120)  # every worker holds its pages while each measures
    growth = _pss_bytes() - _state["baseline"]
    _state["barrier"].wait(timeout=120)  # nobody lets go of its pages before all have measured
    return total, growth


def _shared_task(path: str):
    _start()
    reader = colfile.open(path)  # only the path was pickled
    total = float(np.sum(reader["x"]))
    return _finish(total)


def _copy_task(array: np.ndarray):
    # The array arrived (unpickled) before the task started: the baseline is the initializer's.
    return _finish(float(np.sum(array)))


def _dataset_task(dataset: colfile.Dataset):
    _start()
    total = 0.0
    for batch in dataset:
        total += float(np.sum(batch["x"]))
    return _finish(total)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sharing")
    path = folder / "big.col"
    colfile.write(path, {"x": np.arange(ROWS, dtype=np.float64)}, sync=False)
    warm = folder / "warm.col"
    colfile.write(warm, {"x": np.arange(1000, dtype=np.float64)}, sync=False)
    yield str(path), str(warm)
    path.unlink()


def _run(method: str, task, argument, warm: str):
    context = multiprocessing.get_context(method)
    barrier = context.Barrier(WORKERS)
    with context.Pool(WORKERS, initializer=_init, initargs=(barrier, warm)) as pool:
        results = pool.map(task, [argument] * WORKERS, chunksize=1)
    expected = float(ROWS) * (ROWS - 1) / 2
    assert all(total == expected for total, _ in results)
    return sum(growth for _, growth in results) / (ROWS * 8), results


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_pool_workers_share_one_copy_of_the_file(method, big_file):
    path, warm = big_file
    ratio, results = _run(method, _shared_task, path, warm)
    assert 0.9 <= ratio <= 1.1, f"{method}: sharing ratio {ratio:.3f} ({results})"


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_pickled_arrays_cost_a_copy_per_worker(method, big_file):
    path, warm = big_file
    array = np.array(colfile.open(path)["x"])  # a private copy, pickled to each worker
    ratio, results = _run(method, _copy_task, array, warm)
    assert ratio >= 3, f"{method}: ratio {ratio:.3f} ({results})"


def test_dataset_batches_share_one_copy_across_spawned_workers(big_file):
    path, warm = big_file
    dataset = colfile.Dataset(path, ["x"], batch_size=1 << 20)
    assert len(pickle.dumps(dataset)) < 1000  # only the path and options travel
    ratio, results = _run("spawn", _dataset_task, dataset, warm)
    assert 0.9 <= ratio <= 1.1, f"sharing ratio {ratio:.3f} ({results})"


def _dataset_rows(dataset: colfile.Dataset):
    return [dataset[index] for index in (0, 1, len(dataset) - 1)], len(dataset)


def test_dataset_rows_across_processes(tmp_path):
    path = tmp_path / "rows.col"
    colfile.write(path, {"x": np.arange(10, dtype=np.int32), "s": [f"r{i}" if i % 3 else None for i in range(10)],
                         "t": np.arange(20, dtype=np.float32).reshape(10, 2)})
    dataset = colfile.Dataset(path)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        rows, length = pool.apply(_dataset_rows, (dataset,))
    assert length == 10
    assert rows[0]["x"] == 0 and rows[0]["s"] is None and rows[1]["s"] == "r1"
    assert rows[2]["t"].tolist() == [18.0, 19.0]
    batches = colfile.Dataset(path, ["x", "s"], batch_size=4)
    assert len(batches) == 3 and batches[2]["x"].tolist() == [8, 9] and batches[0]["s"] == [None, "r1", "r2", None]
    assert "rows.col" in repr(batches)
