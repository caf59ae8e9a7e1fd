"""Every test gets its own decode-cache folder, so tests never touch ~/.cache and may run in parallel."""

import pytest


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("colfile-cache")
    monkeypatch.setenv("COLFILE_CACHE_DIR", str(folder))
    return folder
