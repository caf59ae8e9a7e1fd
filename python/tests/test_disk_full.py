"""A full disk under every Python writer path (issue 17): ``colfile.write`` (whole columns) and
``colfile.Writer`` (batches spilled to scratch files beside the target) raise ``ColFileError`` ``io``
with ``ENOSPC``, leave the previous file byte for byte and leave no temporary or scratch file. A real
full disk is a 2 MiB tmpfs (mounted when the process may: CI runs as root; skipped with the reason
otherwise); the injected fault makes the same failure anywhere."""

import errno
import os

import numpy as np
import pytest

import colfile
from colfile import _writer
from support import tmpfs

ROWS = 1 << 18  # 2 MiB per Float64 column


def _write_whole(path, named):
    colfile.write(path, {"x": np.arange(ROWS, dtype=np.float64), "s": [f"value {i}" for i in range(ROWS)]},
                  named_temporary=named)


def _write_batches(path, named):
    with colfile.Writer(path, schema=[("x", "Float64"), ("s", "String")], named_temporary=named) as writer:
        for batch in range(8):
            writer.write_batch({"x": np.full(ROWS // 8, batch, np.float64),
                                "s": [f"value {i}" for i in range(ROWS // 8)]})


WRITERS = {"write": _write_whole, "Writer": _write_batches}


def _expect_clean_failure(folder, write, named, code=errno.ENOSPC):
    target = folder / "t.col"
    colfile.write(target, {"v": np.arange(10)})
    before = target.read_bytes()
    with pytest.raises(colfile.ColFileError) as caught:
        write(target, named)
    assert caught.value.code == "io" and caught.value.errno == code, str(caught.value)
    assert target.read_bytes() == before
    assert os.listdir(folder) == ["t.col"]


@pytest.mark.parametrize("named", [False, True])
@pytest.mark.parametrize("writer", WRITERS)
def test_a_full_tmpfs(tmp_path, writer, named):
    with tmpfs(tmp_path / "disk", "2m") as disk:
        _expect_clean_failure(disk, WRITERS[writer], named)


@pytest.mark.parametrize("named", [False, True])
@pytest.mark.parametrize("writer", WRITERS)
def test_an_injected_write_fault(tmp_path, monkeypatch, writer, named):
    real = _writer.write_all
    written = []

    def failing(fd, data, offset=None):
        written.append(len(memoryview(data).cast("B")))
        if sum(written) > (1 << 20):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data, offset)

    folder = tmp_path / "folder"
    folder.mkdir()
    colfile.write(folder / "t.col", {"v": np.arange(10)})
    monkeypatch.setattr(_writer, "write_all", failing)
    _expect_clean_failure(folder, WRITERS[writer], named)
