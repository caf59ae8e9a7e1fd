"""Two Dask workers on two "hosts" of this machine: each in its own network namespace (``ip netns``,
joined by a veth pair) and UTS namespace (its own host name), with the scheduler and the client in
the first. They share nothing but the dataset's folder (the file system stands for a shared one):
each reads the shards it is given by mapping them itself, both write shards of ``to_colfile``, and
the results equal NumPy's — nothing in colfile.dask assumes one host (Specification.md §14.7).

Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and iproute2; skipped without them, unless
``COLFILE_REQUIRE_NETNS=1`` (CI sets it) turns the skip into a failure."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import colfile
from support import import_or_skip

import_or_skip("distributed")
import_or_skip("pyarrow")

SUBNET = "10.231.7"


def _run(*command):
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def _unavailable():
    if os.geteuid() != 0:
        return "needs root for ip netns"
    if shutil.which("ip") is None or shutil.which("unshare") is None:
        return "needs iproute2 (ip) and util-linux (unshare)"
    probe = f"cfprobe{os.getpid()}"
    added = _run("ip", "netns", "add", probe)
    if added.returncode != 0:
        return f"ip netns add failed: {added.stderr.strip()}"
    _run("ip", "netns", "del", probe)
    return None


@pytest.fixture
def hosts():
    reason = _unavailable()
    if reason is not None:
        if os.environ.get("COLFILE_REQUIRE_NETNS") == "1":
            pytest.fail(f"COLFILE_REQUIRE_NETNS=1 but {reason}")
        pytest.skip(reason)
    tag = str(os.getpid())[-7:]
    a, b = f"cfa{tag}", f"cfb{tag}"
    steps = [
        ("ip", "netns", "add", a), ("ip", "netns", "add", b),
        ("ip", "link", "add", f"cfva{tag}", "type", "veth", "peer", "name", f"cfvb{tag}"),
        ("ip", "link", "set", f"cfva{tag}", "netns", a), ("ip", "link", "set", f"cfvb{tag}", "netns", b),
        ("ip", "-n", a, "addr", "add", f"{SUBNET}.1/24", "dev", f"cfva{tag}"),
        ("ip", "-n", b, "addr", "add", f"{SUBNET}.2/24", "dev", f"cfvb{tag}"),
        ("ip", "-n", a, "link", "set", f"cfva{tag}", "up"), ("ip", "-n", b, "link", "set", f"cfvb{tag}", "up"),
        ("ip", "-n", a, "link", "set", "lo", "up"), ("ip", "-n", b, "link", "set", "lo", "up"),
    ]
    try:
        for step in steps:
            done = _run(*step)
            assert done.returncode == 0, f"{' '.join(step)}: {done.stderr}"
        yield a, b
    finally:
        _run("ip", "netns", "del", a)  # takes its end of the veth pair, and so the pair, with it
        _run("ip", "netns", "del", b)
        _run("ip", "link", "del", f"cfva{tag}")


def _in_host(namespace, host_name, command):
    """``command`` in network namespace ``namespace`` and a new UTS namespace named ``host_name``."""
    return ["ip", "netns", "exec", namespace, "unshare", "--uts", "sh", "-c",
            f'hostname {host_name} && exec "$@"', "sh"] + command


_CLIENT = textwrap.dedent("""
    import json, os, socket, sys, time
    import numpy as np, pandas as pd
    import dask.dataframe as dd
    from distributed import Client
    import colfile, colfile.dask as cd

    def where_and_sum(task, schema):
        frame = cd.load_partition(task, schema, {})
        return socket.gethostname(), os.readlink("/proc/self/ns/net"), float(frame["x"].sum())

    if __name__ == "__main__":
        address, path, out = sys.argv[1:4]
        client = Client(address, timeout=60)
        client.wait_for_workers(2, timeout=60)
        workers = sorted(client.scheduler_info()["workers"])
        dataset = colfile.dataset(path)
        tasks = [cd.ShardTask.of(dataset, shard) for shard in dataset.shards]
        futures = [client.submit(where_and_sum, task, tuple(dataset.schema), workers=[workers[i % 2]], pure=False)
                   for i, task in enumerate(tasks)]
        placed = client.gather(futures)
        frame = cd.read_dataset(path)
        source = pd.DataFrame({"a": np.arange(6000, dtype=np.int64), "b": np.arange(6000) / 4})
        published = cd.to_colfile(dd.from_pandas(source, npartitions=6), out)
        writers = client.run(lambda: (socket.gethostname(), os.readlink("/proc/self/ns/net")))
        print(json.dumps({
            "workers": workers, "hosts": sorted(set(writers.values())), "placed": placed,
            "frameSum": float(frame.x.sum().compute()), "arraySum": float(cd.array(path, "x").sum().compute()),
            "written": published.row_count, "writtenShards": len(published.shards),
            "writtenSum": int(cd.read_dataset(out).a.sum().compute()),
        }), flush=True)
        client.shutdown()  # the scheduler and both workers exit now, not on SIGTERM (which takes ~20 s)
""")


def test_two_workers_in_two_network_namespaces_read_one_dataset(hosts, tmp_path):
    a, b = hosts
    rng = np.random.default_rng(11)
    tables = [{"x": rng.random(20_000), "n": np.arange(20_000, dtype=np.int64)} for _ in range(6)]
    colfile.write_dataset(tmp_path / "ds", tables)
    (tmp_path / "client.py").write_text(_CLIENT)
    python = sys.executable
    scheduler_address = f"tcp://{SUBNET}.1:8786"
    processes = []
    # The scheduler's and workers' logs go to a file: an unread pipe could fill and stall them.
    logs = open(tmp_path / "hosts.log", "w")
    try:
        processes.append(subprocess.Popen(
            _in_host(a, "colfile-host-a", [python, "-m", "distributed.cli.dask_scheduler", "--host", f"{SUBNET}.1",
                                           "--port", "8786", "--no-dashboard"]),
            stdout=subprocess.DEVNULL, stderr=logs, text=True))
        for namespace, host, ip in ((a, "colfile-host-a", f"{SUBNET}.1"), (b, "colfile-host-b", f"{SUBNET}.2")):
            processes.append(subprocess.Popen(
                _in_host(namespace, host, [python, "-m", "distributed.cli.dask_worker", scheduler_address, "--host", ip,
                                           "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", host]),
                stdout=subprocess.DEVNULL, stderr=logs, text=True))
        client = subprocess.run(
            _in_host(a, "colfile-host-a", [python, str(tmp_path / "client.py"), scheduler_address, str(tmp_path / "ds"),
                                           str(tmp_path / "out")]),
            capture_output=True, text=True, timeout=180, cwd=tmp_path)
    finally:
        for process in processes:
            process.terminate()
        deadline = time.monotonic() + 20
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        logs.close()
    assert client.returncode == 0, client.stderr[-3000:] + (tmp_path / "hosts.log").read_text()[-3000:]
    result = json.loads(client.stdout.strip().splitlines()[-1])
    assert [worker.split(":")[1] for worker in result["workers"]] == [f"//{SUBNET}.1", f"//{SUBNET}.2"]
    hosts_seen = {host for host, _ in result["hosts"]}
    namespaces = {namespace for _, namespace in result["hosts"]}
    assert hosts_seen == {"colfile-host-a", "colfile-host-b"} and len(namespaces) == 2
    assert {(host, namespace) for host, namespace, _ in result["placed"]} == {tuple(h) for h in result["hosts"]}
    expected = [float(table["x"].sum()) for table in tables]
    assert [partial for _, _, partial in result["placed"]] == pytest.approx(expected)
    assert result["frameSum"] == pytest.approx(sum(expected)) and result["arraySum"] == pytest.approx(sum(expected))
    assert (result["written"], result["writtenShards"], result["writtenSum"]) == (6000, 6, sum(range(6000)))
    assert colfile.dataset(tmp_path / "out").to_arrow().column("a").to_pylist() == list(range(6000))
