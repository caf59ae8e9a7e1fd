"""Format 1.2's first part in Python, against the Swift library: unreadable columns, chunk index checks
before a warm cache entry is used, a machine without libzstd, and UTF-8 checked before a String
column's first value (Specification.md §3, §6.1, §9, §13.3, §13.4)."""

import json
import os
import random
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import colfile
from colfile import _reader
from support import CATALOG, FIXTURES, assert_same, describe, run_swift
from sweep_child import reseal

pa = pytest.importorskip("pyarrow")

BROKEN = {entry["name"]: entry for entry in CATALOG}
HERE = Path(__file__).parent


# -- unreadable columns (§9 step 14.2) ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["unknown-physical-type", "unknown-codec"])
def test_only_the_unknown_column_is_refused(name, tmp_path):
    entry = BROKEN[name]
    path = str(FIXTURES / "broken" / f"{name}.col")
    reader = colfile.open(path, cache_dir=str(tmp_path))
    unknown = reader.info("id")
    assert unknown.unreadable is not None and unknown.unreadable.code == entry["code"]
    assert unknown.unreadable.detail == entry["message"]
    assert unknown.dtype is None
    assert reader.info("name").unreadable is None
    assert reader["name"].to_pylist() == ["a", "bc", None]
    assert reader.to_arrow(["name"]).column("name").to_pylist() == ["a", "bc", None]
    for read in (lambda: reader["id"], lambda: reader.column("id"), lambda: reader.validity("id"),
                 lambda: reader.bitmap("id"), lambda: reader.masked("id"), lambda: reader.chunked("id"),
                 lambda: reader.to_arrow(), lambda: reader.to_arrow(["id"]), lambda: reader.verify("id"),
                 lambda: reader.verify(), lambda: colfile.Dataset(path)[0]):
        with pytest.raises(colfile.ColFileError) as caught:
            read()
        assert caught.value == unknown.unreadable
    # The tool's view of the file: type and codec "unknown", and why.
    tool = json.loads(run_swift("colfile", "inspect", "--json", path).stdout)
    mine = reader.inspect()
    for left, right in zip(tool["columns"], mine["columns"]):
        assert left.pop("compressionRatio") == pytest.approx(right.pop("compressionRatio"))
    assert mine == tool
    column = mine["columns"][0]
    assert column["type"] == "unknown" and column["codec"] == "unknown"
    assert column["unreadable"] == entry["message"].split(": ", 1)[1].split(" at offset")[0]
    # Swift refuses the same column with the same words.
    swift = run_swift("colfile-fixture", "dump", path, check=False, env={"COLFILE_CACHE_DIR": str(tmp_path)})
    assert swift.returncode == 1 and swift.stderr.strip() == f"{path}: {entry['message']}"


def _spec_example_with(edit) -> bytes:
    data = bytearray((FIXTURES / "spec-example.col").read_bytes())
    directory = struct.unpack_from("<Q", data, 40)[0]
    edit(data, directory + 64)  # the first column record
    reseal(data)
    return bytes(data)


def test_an_unknown_columns_buffers_must_still_be_placed_right(tmp_path):
    """An unreadable column still gets the checks that do not depend on its type (here: its values
    buffer placed over the next column's validity buffer), with the same words as Swift."""
    def edit(data, record):
        data[record + 8] = 200  # physical type
        second = record + 160
        struct.pack_into("<Q", data, record + 56 + 64, struct.unpack_from("<Q", data, second + 56)[0])

    path = tmp_path / "overlap.col"
    path.write_bytes(_spec_example_with(edit))
    reader = colfile.open(path)  # the columns' checks are made on first use (§9)
    with pytest.raises(colfile.ColFileError) as caught:
        reader.columns
    assert caught.value.code == "overlappingBuffers"
    swift = run_swift("colfile-fixture", "verify", path, check=False)
    assert swift.returncode == 1 and swift.stderr.strip() == str(caught.value)


def test_an_unknown_column_gets_the_checks_of_its_counts_and_metadata(tmp_path):
    def edit(data, record):
        data[record + 12] = 9  # codec
        struct.pack_into("<Q", data, record + 16, 4)  # row count

    path = tmp_path / "rows.col"
    path.write_bytes(_spec_example_with(edit))
    reader = colfile.open(path)
    with pytest.raises(colfile.ColFileError) as caught:
        reader.columns
    assert caught.value.code == "rowCountMismatch"
    swift = run_swift("colfile-fixture", "verify", path, check=False)
    assert swift.stderr.strip() == str(caught.value)


def test_a_reserved_descriptor_word_is_ignored(tmp_path):
    """§2: reserved fields are ignored without exception, the descriptor of an absent buffer included."""
    def edit(data, record):
        struct.pack_into("<I", data, record + 56 + 28, 0xDEADBEEF)  # id's absent validity descriptor
        struct.pack_into("<I", data, record + 56 + 64 + 28, 7)  # id's values descriptor

    path = tmp_path / "reserved.col"
    path.write_bytes(_spec_example_with(edit))
    reader = colfile.open(path)
    assert reader["id"].tolist() == [1, 2, 3] and reader.validity("id") is None
    reader.verify()
    run_swift("colfile-fixture", "verify", path)


# -- chunk index checks with a warm cache (§3, §13.3, §13.4) ------------------------------------------------


def _same_identity_as_cold():
    cold = colfile.open(FIXTURES / "cold.col", cold_columns="refuse").identity
    names = []
    for entry in CATALOG:
        if entry["base"] == "cold.col" and entry["stage"] == "readValues":
            if colfile.open(FIXTURES / "broken" / f"{entry['name']}.col", cold_columns="refuse").identity == cold:
                names.append(entry["name"])
    return names


SAME_IDENTITY = _same_identity_as_cold()


def test_some_broken_fixtures_keep_the_identity_of_cold():
    assert len(SAME_IDENTITY) >= 6


@pytest.mark.parametrize("warmer", ["python", "swift"])
@pytest.mark.parametrize("name", SAME_IDENTITY)
def test_index_faults_are_found_with_a_warm_cache(name, warmer, tmp_path):
    """Every entry of a chunk index is checked before a cache entry is used, as before a decode; damage
    inside a compressed stream keeps the file's identity, so the entry of that identity is served
    (the Swift library's CacheIndependenceTests)."""
    entry = BROKEN[name]
    cache = tmp_path / "cache"
    expected = json.loads((FIXTURES / "cold.json").read_text())
    if warmer == "python":
        assert_same(describe(colfile.open(FIXTURES / "cold.col", cache_dir=str(cache))), expected)
    else:
        run_swift("colfile-fixture", "dump", FIXTURES / "cold.col", env={"COLFILE_CACHE_DIR": str(cache)})
    path = str(FIXTURES / "broken" / f"{name}.col")
    reader = colfile.open(path, cache_dir=str(cache))
    if entry["code"] in ("chunkOutOfRange", "overlappingChunks", "chunkGap"):
        with pytest.raises(colfile.ColFileError) as caught:
            describe(reader)
        assert str(caught.value) == f"{path}: {entry['message']}"
    else:
        assert_same(describe(reader), expected)
        assert {reader.cold_column_source(column) for column in reader.names} == {"mapped"}
    # Swift gives the same answer from the same cache.
    swift = run_swift("colfile-fixture", "dump", path, check=False, env={"COLFILE_CACHE_DIR": str(cache)})
    if entry["code"] in ("chunkOutOfRange", "overlappingChunks", "chunkGap"):
        assert swift.stderr.strip() == f"{path}: {entry['message']}"
    else:
        assert_same(json.loads(swift.stdout), expected)


def test_a_fresh_entry_with_a_wrong_checksum_is_removed(tmp_path):
    """A column whose compressed bytes decode to other bytes than its directory's CRC-32 says: the
    entry just decoded is removed and the file is bad (bufferChecksumMismatch, as verification),
    whatever the cache; in private memory the bytes are served unchecked (only verify() checks)."""
    entry = BROKEN["cold-buffer-checksum-mismatch"]
    path = str(FIXTURES / "broken" / "cold-buffer-checksum-mismatch.col")
    cache = tmp_path / "cache"
    reader = colfile.open(path, cache_dir=str(cache))
    with pytest.raises(colfile.ColFileError) as caught:
        describe(reader)
    assert str(caught.value) == f"{path}: {entry['message']}"
    column = caught.value.column
    index = reader.info(column).index
    assert not [name for name in os.listdir(cache) if name.endswith(f"-{index}.colcache") or name.endswith(".lock")]
    swift = run_swift("colfile-fixture", "dump", path, check=False, env={"COLFILE_CACHE_DIR": str(tmp_path / "swift")})
    assert swift.stderr.strip() == str(caught.value)
    describe(colfile.open(path, cold_columns="private"))


# -- without libzstd (§13.3 codecUnavailable) -----------------------------------------------------------------


_WITHOUT_ZSTD = textwrap.dedent("""
    import json, sys
    import numpy as np
    import colfile
    result = {}
    def attempt(key, action):
        try:
            result[key] = ["ok", action()]
        except colfile.ColFileError as error:
            result[key] = [error.code, str(error)]
    fixtures, cache, out = sys.argv[1], sys.argv[2], sys.argv[3]
    attempt("zstd", lambda: colfile.open(fixtures + "/cold-zstd.col", cache_dir=cache)["id"][:3].tolist())
    attempt("zstd-private",
            lambda: colfile.open(fixtures + "/cold-zstd.col", cold_columns="private")["id"][:3].tolist())
    attempt("zstd-chunked", lambda: int(colfile.open(fixtures + "/cold-zstd.col").chunked("id")[0]))
    attempt("zstd-verify", lambda: colfile.open(fixtures + "/cold-zstd.col", cache_dir=cache).verify())
    attempt("zlib", lambda: colfile.open(fixtures + "/cold.col", cache_dir=cache)["id"][:3].tolist())
    attempt("inspect", lambda: [c["codec"] for c in colfile.open(fixtures + "/cold-zstd.col").inspect()["columns"]])
    data = {"a": np.arange(20_000) % 3, "b": np.zeros(20_000)}
    def auto():
        colfile.write(out, data, compress="auto")
        return [info.codec for info in colfile.open(out).columns]
    attempt("auto", auto)
    attempt("explicit", lambda: colfile.write(out, data, compress="zstd"))
    print(json.dumps(result))
""")


def _without_zstd(tmp_path, cache):
    environment = dict(os.environ, COLFILE_ZSTD_LIBRARY=str(tmp_path / "missing-libzstd.so"))
    arguments = [sys.executable, "-c", _WITHOUT_ZSTD, str(FIXTURES), str(cache), str(tmp_path / "out.col")]
    result = subprocess.run(arguments, capture_output=True, text=True, env=environment, timeout=120, check=True)
    return json.loads(result.stdout), environment


def test_a_machine_without_libzstd_fails_only_on_zstd_columns(tmp_path):
    cache = tmp_path / "cache"
    outcome, environment = _without_zstd(tmp_path, cache)
    reason = f"{tmp_path / 'missing-libzstd.so'}: cannot open shared object file: No such file or directory"
    message = f"{FIXTURES / 'cold-zstd.col'}: column 'id': the zstd codec is not available: {reason}"
    for key in ("zstd", "zstd-private", "zstd-chunked", "zstd-verify"):
        assert outcome[key] == ["codecUnavailable", message], key
    assert outcome["zlib"] == ["ok", [-1000, -997, -994]]
    assert outcome["inspect"] == ["ok", ["zstd"] * 5]
    assert outcome["auto"] == ["ok", ["zlib", "zlib"]]  # auto falls back to zlib
    assert outcome["explicit"] == ["invalidArgument",
                                   f"{tmp_path / 'out.col'}: column 'a': the zstd codec is not available: {reason}"]
    # Nothing was left in the cache by the failed decodes but the zlib column's entry.
    assert [name for name in os.listdir(cache) if not name.endswith("-0.colcache")] == []
    # The Swift library says the same (dlerror's text, which ctypes reports too).
    swift = run_swift("colfile-fixture", "dump", FIXTURES / "cold-zstd.col", check=False,
                      env={"COLFILE_ZSTD_LIBRARY": environment["COLFILE_ZSTD_LIBRARY"],
                           "COLFILE_CACHE_DIR": str(tmp_path / "swift")})
    assert swift.returncode == 1 and swift.stderr.strip() == message


@pytest.mark.parametrize("library", ["long", "libz.so.1"])
def test_the_loaders_reason_is_the_swift_librarys(library, tmp_path):
    """The reason a process cannot load zstd, word for word as the Swift library's loader gives it: a
    path too long for its 256-byte buffer, and a library without zstd's functions (zlib's)."""
    if library == "long":
        library = str(tmp_path / ("x" * 120) / ("y" * 120) / "libzstd.so.1")
    code = textwrap.dedent("""
        import sys, colfile
        try:
            colfile.open(sys.argv[1], cold_columns="private")["id"]
        except colfile.ColFileError as error:
            print(error)
    """)
    environment = dict(os.environ, COLFILE_ZSTD_LIBRARY=library)
    python = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "cold-zstd.col")], capture_output=True,
                            text=True, env=environment, timeout=120, check=True).stdout.strip()
    swift = run_swift("colfile-fixture", "dump", FIXTURES / "cold-zstd.col", check=False,
                      env={"COLFILE_ZSTD_LIBRARY": library, "COLFILE_CACHE_DIR": str(tmp_path / "swift")})
    assert "the zstd codec is not available: " in python
    assert swift.stderr.strip() == python


def test_a_warm_cache_serves_zstd_columns_without_libzstd(tmp_path):
    """A trusted entry needs no decoding: a process without libzstd maps what another decoded (as the
    Swift reader does), and refuses only when it would have to decode."""
    cache = tmp_path / "cache"
    run_swift("colfile-fixture", "dump", FIXTURES / "cold-zstd.col", env={"COLFILE_CACHE_DIR": str(cache)})
    outcome, _ = _without_zstd(tmp_path, cache)
    assert outcome["zstd"] == ["ok", [-1000, -997, -994]]
    assert outcome["zstd-private"][0] == "codecUnavailable"
    assert outcome["zstd-verify"][0] == "codecUnavailable"  # verification always decodes


def test_the_zstd_library_is_reported():
    from colfile import _zstd
    assert _zstd.unavailability() is None
    assert _zstd.version().count(".") == 2


# -- UTF-8 before the first value (§6.1) ------------------------------------------------------------------


def _string_file(folder: Path, rows, compress=None, name="s.col") -> Path:
    """A file whose column ``s`` holds ``rows`` (bytes or None) as a String column: written as Binary,
    then retyped in the directory (and resealed), so any bytes can be put in it."""
    path = folder / name
    colfile.write(path, {"s": pa.array(rows, pa.binary()), "n": np.arange(len(rows))}, compress=compress)
    data = bytearray(path.read_bytes())
    directory = struct.unpack_from("<Q", data, 40)[0]
    assert data[directory + 64 + 8] == 15
    data[directory + 64 + 8] = 13
    reseal(data)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("compress", [None, "zstd", "zlib"])
@pytest.mark.parametrize("rows, message", [
    ([b"ok", b"caf\xc3", b"\xa9"], "row 2 starts inside a UTF-8 sequence at offset {}"),
    ([b"ok", None, b"\xff"], "the strings are not valid UTF-8 at offset {}"),
    ([b"\xe2\x82\xac" * 3, b"\xed\xa0\x80"], "the strings are not valid UTF-8 at offset {}"),
    ([b"ab\xf0\x9f\x98"], "the strings are not valid UTF-8 at offset {}"),
])
def test_utf8_is_checked_before_the_first_value(compress, rows, message, tmp_path):
    path = _string_file(tmp_path, rows, compress)
    reader = colfile.open(path, cache_dir=str(tmp_path / "cache"))
    values = b"".join(row or b"" for row in rows)
    bad = _reference_first_invalid(values)
    if bad is None:  # a row starting on a continuation byte
        bad = len(rows[0]) + len(rows[1])
    # Offsets are in the file for a plain column, in the decoded values for a cold one.
    base = 0 if compress else reader.info("s").buffers[-1].offset
    detail = "column 's': " + message.format(base + bad)
    for read in (lambda: reader["s"], lambda: reader.to_arrow(), lambda: reader.to_arrow(["s"]),
                 lambda: reader.verify("s"), lambda: colfile.Dataset(path)[0]):
        with pytest.raises(colfile.ColFileError) as caught:
            read()
        assert caught.value.code == "invalidUTF8" and caught.value.detail == detail
    assert reader["n"].tolist() == list(range(len(rows)))  # the other column reads
    swift = run_swift("colfile-fixture", "dump", path, check=False, env={"COLFILE_CACHE_DIR": str(tmp_path / "swift")})
    assert swift.returncode == 1 and swift.stderr.strip() == f"{path}: {detail}"


def test_a_chunked_string_row_is_checked_alone(tmp_path):
    path = _string_file(tmp_path, [b"ok", b"\xff", None, "é".encode()], "zstd")
    chunked = colfile.open(path).chunked("s")
    assert chunked[0] == "ok" and chunked[2] is None and chunked[3] == "é"
    assert chunked.value_bytes(1) == b"\xff"
    with pytest.raises(colfile.ColFileError) as caught:
        chunked[1]
    assert caught.value.code == "invalidUTF8"
    assert caught.value.detail == "column 's': row 1 is not valid UTF-8"


def test_valid_strings_are_checked_once_per_column(tmp_path, monkeypatch):
    path = tmp_path / "ok.col"
    colfile.write(path, {"s": ["a", "é", None, "😀" * 3]})
    reader = colfile.open(path)
    calls = []
    original = _reader._first_invalid_utf8
    monkeypatch.setattr(_reader, "_first_invalid_utf8", lambda values: calls.append(1) or original(values))
    assert reader["s"].to_pylist() == ["a", "é", None, "😀" * 3]
    assert reader["s"][3] == "😀" * 3 and reader.to_arrow().column("s").to_pylist()[1] == "é"
    assert len(calls) == 1


def _reference_first_invalid(data: bytes):
    """The Swift library's UTF8Validation.firstInvalidByte, byte by byte."""
    index, count = 0, len(data)
    while index < count:
        lead = data[index]
        if lead < 0x80:
            index += 1
            continue
        low, high = 0x80, 0xBF
        if 0xC2 <= lead <= 0xDF:
            length = 2
        elif lead == 0xE0:
            length, low = 3, 0xA0
        elif 0xE1 <= lead <= 0xEC or 0xEE <= lead <= 0xEF:
            length = 3
        elif lead == 0xED:
            length, high = 3, 0x9F
        elif lead == 0xF0:
            length, low = 4, 0x90
        elif 0xF1 <= lead <= 0xF3:
            length = 4
        elif lead == 0xF4:
            length, high = 4, 0x8F
        else:
            return index
        if index + length > count or not low <= data[index + 1] <= high:
            return index
        if any(data[index + k] & 0xC0 != 0x80 for k in range(2, length)):
            return index
        index += length
    return None


def test_the_utf8_scan_finds_the_first_invalid_byte_as_swift_does(monkeypatch):
    """Random mixtures of ASCII, valid sequences and broken ones, checked in blocks of 7 bytes so
    that sequences are cut at every position: the same index as the Swift algorithm."""
    monkeypatch.setattr(_reader, "_UTF8_BLOCK", 7)
    rng = random.Random(12)
    pieces = [b"a", b"xyz", "é".encode(), "€".encode(), "😀".encode(), b"\x80", b"\xc0\xaf", b"\xe0\x80\x80",
              b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xf0\x9f\x98", b"\xe2\x82", b"\xff", b"\xc3"]
    for _ in range(3000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        found = _reader._first_invalid_utf8(np.frombuffer(data, np.uint8))
        assert found == _reference_first_invalid(data), data
