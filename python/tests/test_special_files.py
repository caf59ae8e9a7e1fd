"""Paths that name something other than a regular file: refused at open with ``notARegularFile``
naming what the path is, as the Swift library and tool refuse them (same code, same sentence); a
FIFO is opened without waiting for a writer (``O_NONBLOCK``)."""

import os
import socket
import stat

import pytest

import colfile
from support import run_swift

MESSAGE = "not a regular file but {}; colfile files are regular files, read through a memory mapping"


def _block_device(folder):
    """A block device node made in ``folder`` (root), else the first readable one under /dev, else None."""
    node = os.path.join(folder, "block")
    try:
        os.mknod(node, stat.S_IFBLK | 0o600, os.makedev(7, 0))
        return node
    except OSError:
        pass
    for name in sorted(os.listdir("/dev")):
        path = os.path.join("/dev", name)
        try:
            if stat.S_ISBLK(os.stat(path).st_mode) and os.access(path, os.R_OK):
                return path
        except OSError:
            continue
    return None


def _special(kind, tmp_path):
    if kind == "directory":
        return str(tmp_path), "a directory"
    if kind == "fifo":
        path = str(tmp_path / "pipe.col")
        os.mkfifo(path)
        return path, "a FIFO (named pipe)"
    if kind == "socket":
        path = str(tmp_path / "socket.col")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as bound:
            bound.bind(path)
        return path, "a socket"
    if kind == "character device":
        return "/dev/null", "a character device"
    path = _block_device(str(tmp_path))
    if path is None:
        pytest.skip("no block device can be made (not root) or read under /dev")
    return path, "a block device"


KINDS = ["directory", "fifo", "socket", "character device", "block device"]


@pytest.mark.parametrize("kind", KINDS)
def test_special_files_are_refused(kind, tmp_path):
    path, phrase = _special(kind, tmp_path)
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.open(path)
    assert caught.value.code == "notARegularFile"
    assert str(caught.value) == f"{path}: {MESSAGE.format(phrase)}"


@pytest.mark.parametrize("kind", KINDS)
def test_the_swift_tool_says_the_same(kind, tmp_path):
    path, phrase = _special(kind, tmp_path)
    result = run_swift("colfile", "inspect", path, check=False, timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"colfile: {path}: {MESSAGE.format(phrase)}\n"


def test_a_link_to_a_fifo_is_refused_as_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    os.symlink(tmp_path / "pipe", tmp_path / "link.col")
    with pytest.raises(colfile.ColFileError) as caught:
        colfile.open(tmp_path / "link.col")
    assert str(caught.value) == f"{tmp_path / 'link.col'}: {MESSAGE.format('a FIFO (named pipe)')}"


def test_new_codes_exist_as_in_swift():
    assert {"notARegularFile", "fileChanged"} <= set(colfile.CODES)
