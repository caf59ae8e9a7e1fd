"""Test support: the fixtures' JSON form (Fixtures/README.md), random tables, the Swift binaries."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

import colfile

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Fixtures"
GOLDEN = sorted(path.stem for path in FIXTURES.glob("*.col"))
CATALOG = json.loads((FIXTURES / "broken" / "catalog.json").read_text())

FLOAT_BITS = {"Float16": ("<f2", "<u2", 16), "Float32": ("<f4", "<u4", 32), "Float64": ("<f8", "<u8", 64)}
INT_TYPES = {"Int8": "<i1", "Int16": "<i2", "Int32": "<i4", "Int64": "<i8", "UInt8": "<u1", "UInt16": "<u2",
             "UInt32": "<u4", "UInt64": "<u8"}


# -- optional dependencies ---------------------------------------------------------------------------

def import_or_skip(name: str) -> Any:
    """``pytest.importorskip(name)``, except that with ``COLFILE_REQUIRE_DASK=1`` (Tools/test sets it,
    having installed the ``test`` extra) a missing module fails the test module instead: the Dask
    tests must run in CI, never be skipped there."""
    import importlib

    import pytest

    if os.environ.get("COLFILE_REQUIRE_DASK") == "1":
        try:
            return importlib.import_module(name)
        except ImportError as error:
            pytest.fail(f"COLFILE_REQUIRE_DASK=1 but {name} cannot be imported: {error}", pytrace=False)
    return pytest.importorskip(name)


# -- the Swift binaries -------------------------------------------------------------------------------

_bin_dir: Optional[Path] = None


def swift_bin_dir() -> Path:
    """The folder of the built Swift binaries: ``$COLFILE_BIN_DIR``, else ``swift build --show-bin-path``.

    Fails (never skips) when ``colfile`` or ``colfile-fixture`` is missing there: the cross-language
    tests are part of the suite."""
    global _bin_dir
    if _bin_dir is not None:
        return _bin_dir
    folder = os.environ.get("COLFILE_BIN_DIR")
    if not folder:
        try:
            folder = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True,
                                    check=True, timeout=120).stdout.strip()
        except (OSError, subprocess.SubprocessError) as error:
            raise AssertionError(f"cannot locate the Swift binaries (set COLFILE_BIN_DIR or build with "
                                 f"`swift build`): {error}") from None
    path = Path(folder)
    for name in ("colfile", "colfile-fixture"):
        if not (path / name).is_file():
            raise AssertionError(f"the Swift binary {path / name} is missing: run `swift build` (or Tools/test) "
                                 f"first, or set COLFILE_BIN_DIR to the folder that holds it")
    _bin_dir = path
    return path


def run_swift(name: str, *arguments: Any, env: Optional[Dict[str, str]] = None, check: bool = True,
              timeout: float = 300) -> subprocess.CompletedProcess:
    environment = dict(os.environ)
    if env:
        environment.update(env)
    result = subprocess.run([str(swift_bin_dir() / name), *map(str, arguments)], capture_output=True, text=True,
                            env=environment, timeout=timeout, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise AssertionError(f"{name} {' '.join(map(str, arguments))} exited {result.returncode}: "
                             f"{result.stderr.strip()}")
    return result


# -- the fixtures' JSON form ------------------------------------------------------------------------------

def _float_text(value: np.floating, bits_type: str) -> str:
    if np.isnan(value):
        bits = int(np.array([value]).view(bits_type)[0])
        return f"nan(0x{bits:x})"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    return str(value)


def _json_values(kind: str, info: Any, data: Any) -> List[Any]:
    """The values of ``data`` (a NumPy view or a VarColumn) of physical type ``kind`` in the JSON form."""
    if kind in FLOAT_BITS or kind in INT_TYPES:
        raw = data.view("<i8") if info.logical_type.startswith("Timestamp") else data
        if kind in FLOAT_BITS:
            return [[_float_text(x, FLOAT_BITS[kind][1]) for x in np.asarray(row).reshape(-1)] if info.shape
                    else _float_text(row, FLOAT_BITS[kind][1]) for row in raw]
        return [np.asarray(row).reshape(-1).tolist() if info.shape else int(row) for row in raw]
    if kind == "Bool":
        return data.tolist()
    if kind in ("String", "LargeString"):
        return data.to_pylist()
    return [None if v is None else v.hex() for v in data.to_pylist()]


def describe(reader: colfile.Reader) -> Dict[str, Any]:
    """What a reader returns, in the fixtures' JSON form (as ``colfile-fixture dump``); a
    dictionary-encoded column's rows are its values read through the dictionary, and its entries are
    under ``dictionary`` (Fixtures/README.md)."""
    columns = []
    for info in reader.columns:
        data = reader[info.name]
        kind = info.physical_type
        column: Dict[str, Any] = {"name": info.name, "physicalType": kind, "logicalType": info.logical_type,
                                  "shape": list(info.shape), "nullCount": info.null_count,
                                  "metadata": dict(info.metadata)}
        if info.dictionary is not None:
            entries = _json_values(info.dictionary.value_type, info, data.categories)
            column["values"] = [None if code < 0 else entries[code] for code in data.codes.tolist()]
            column["dictionary"] = {"indexType": info.dictionary.index_type,
                                    "valueType": info.dictionary.value_type, "entries": entries}
        else:
            values = _json_values(kind, info, data)
            valid = reader.validity(info.name)
            if valid is not None:
                values = [value if ok else None for value, ok in zip(values, valid.tolist())]
            column["values"] = values
        columns.append(column)
    return {"rowCount": reader.row_count, "metadata": reader.metadata, "columns": columns}


def _value_key(kind: str, value: Any) -> Any:
    """A value of the JSON form made comparable: floats as their bits at the column's width."""
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(_value_key(kind, item) for item in value)
    if kind in FLOAT_BITS:
        float_type, bits_type, width = FLOAT_BITS[kind]
        text = str(value)
        if text.startswith("nan(0x"):
            return ("bits", int(text[6:-1], 16))
        number = {"inf": np.inf, "-inf": -np.inf}.get(text)
        if number is None:
            number = float(text)
        return ("bits", int(np.array([number], float_type).view(bits_type)[0]))
    if kind in INT_TYPES:
        return int(value)
    return value


def canonical(description: Dict[str, Any]) -> Dict[str, Any]:
    """A JSON description with every value comparable exactly (floats compared as bits, Fixtures/README.md)."""
    columns = []
    for column in description["columns"]:
        kind = column["physicalType"]
        kind_key = {"LargeString": "String", "LargeBinary": "Binary"}.get(kind, kind)
        dictionary = column.get("dictionary")
        if dictionary is not None:
            kind = dictionary["valueType"]
            dictionary = {**dictionary, "entries": [_value_key(kind, value) for value in dictionary["entries"]]}
        columns.append({**column, "physicalType": kind_key, "dictionary": dictionary,
                        "values": [_value_key(kind, value) for value in column["values"]]})
    return {"rowCount": description["rowCount"], "metadata": description["metadata"], "columns": columns}


def assert_same(actual: Dict[str, Any], expected: Dict[str, Any]) -> None:
    a, e = canonical(actual), canonical(expected)
    assert a["rowCount"] == e["rowCount"]
    assert a["metadata"] == e["metadata"]
    assert [c["name"] for c in a["columns"]] == [c["name"] for c in e["columns"]]
    for ca, ce in zip(a["columns"], e["columns"]):
        for key in ("physicalType", "logicalType", "shape", "nullCount", "metadata", "dictionary"):
            assert ca[key] == ce[key], (ca["name"], key, ca[key], ce[key])
        for row, (va, ve) in enumerate(zip(ca["values"], ce["values"])):
            assert va == ve, (ca["name"], row, va, ve)
        assert len(ca["values"]) == len(ce["values"])


def data_from_description(description: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Dict[str, str]]]:
    """Writer input (a dict of columns) and column metadata for a JSON description."""
    import pyarrow as pa
    data: Dict[str, Any] = {}
    column_metadata: Dict[str, Dict[str, str]] = {}
    for column in description["columns"]:
        kind, logical, shape = column["physicalType"], column["logicalType"], tuple(column["shape"])
        values = column["values"]
        name = column["name"]
        column_metadata[name] = column["metadata"]
        dictionary = column.get("dictionary")
        if dictionary is not None:
            # The dictionary's entries as a column of the value type; each row's index is that of the
            # first entry equal to the row's value (Fixtures/README.md).
            value_type = dictionary["valueType"]
            entry_column = {**column, "physicalType": value_type, "values": dictionary["entries"], "dictionary": None}
            entries, _ = data_from_description({"columns": [entry_column]})
            keys = [_value_key(value_type, entry) for entry in dictionary["entries"]]
            indices = [None if value is None else keys.index(_value_key(value_type, value)) for value in values]
            data[name] = colfile.DictionaryEncoded(indices, entries[name], index_type=dictionary["indexType"])
            continue
        nulls = np.array([value is None for value in values], bool)
        if kind in INT_TYPES or kind in FLOAT_BITS:
            dtype = INT_TYPES.get(kind) or FLOAT_BITS[kind][0]
            array = np.zeros((len(values),) + shape, dtype)
            for row, value in enumerate(values):
                if value is None:
                    continue
                if kind in FLOAT_BITS:
                    bits_type = FLOAT_BITS[kind][1]
                    items = value if shape else [value]
                    keyed = [_value_key(kind, item)[1] for item in items]
                    array[row] = np.array(keyed, bits_type).view(dtype).reshape(shape) if shape else \
                        np.array(keyed, bits_type).view(dtype)[0]
                else:
                    array[row] = np.array(value, dtype).reshape(shape) if shape else value
            if logical.startswith("Timestamp"):
                inner = logical[len("Timestamp("):-1]
                unit, _, zone = inner.partition(", ")
                data[name] = pa.array(array, pa.timestamp(unit, tz=zone or None), mask=nulls)
            elif logical == "Date":
                data[name] = pa.array(array, pa.date32(), mask=nulls)
            elif nulls.any():
                mask = np.broadcast_to(nulls.reshape((-1,) + (1,) * len(shape)), array.shape)
                data[name] = np.ma.MaskedArray(array, mask=mask)
            else:
                data[name] = array
        elif kind == "Bool":
            array = np.array([bool(value) for value in values], bool)
            data[name] = np.ma.MaskedArray(array, mask=nulls) if nulls.any() else array
        elif kind in ("String", "LargeString"):
            data[name] = pa.array(values, pa.string())
        else:
            data[name] = pa.array([None if value is None else bytes.fromhex(value) for value in values], pa.binary())
    return data, column_metadata


# -- random tables ------------------------------------------------------------------------------------------

def _random_float(rng: random.Random, kind: str) -> str:
    float_type, bits_type, width = FLOAT_BITS[kind]
    choice = rng.random()
    if choice < 0.1:
        return rng.choice(["inf", "-inf", "0.0", "-0.0"])
    if choice < 0.2:  # a NaN with a random payload, sign and quiet bit
        exponent = {16: 0x7C00, 32: 0x7F800000, 64: 0x7FF0000000000000}[width]
        mantissa = rng.randrange(1, 1 << {16: 10, 32: 23, 64: 52}[width])
        sign = (1 << (width - 1)) if rng.random() < 0.5 else 0
        return f"nan(0x{sign | exponent | mantissa:x})"
    bits = rng.getrandbits(width)
    value = np.array([bits], bits_type).view(float_type)[0]
    return _float_text(value, bits_type)


_ALPHABET = ["a", "b", "é", "ß", "日本", "😀", "\u0301", " ", "\n", "\"", "\\", "\x00", "Ω"]


def random_description(seed: int, rows: int) -> Dict[str, Any]:
    """A table in the JSON form with a column of every type (every width, Bool, String, Binary,
    Timestamp units and zones, Date, tensors), nulls, empty strings, unicode, NaN payloads, ±0, ±inf."""
    rng = random.Random(seed)
    columns = []

    def add(name: str, kind: str, make, *, logical: str = "none", shape=(), nullable: bool = True,
            metadata: Optional[Dict[str, str]] = None) -> None:
        values = []
        for _ in range(rows):
            if nullable and rng.random() < 0.2:
                values.append(None)
            else:
                values.append(make())
        columns.append({"name": name, "physicalType": kind, "logicalType": logical, "shape": list(shape),
                        "nullCount": sum(value is None for value in values), "metadata": metadata or {},
                        "values": values})

    for kind, dtype in INT_TYPES.items():
        info = np.iinfo(dtype)
        add(kind.lower(), kind, lambda info=info: rng.choice([int(info.min), int(info.max), 0, -1 if info.min else 1,
                                                              rng.randint(int(info.min), int(info.max))]))
        add(kind.lower() + "_dense", kind, lambda info=info: rng.randint(int(info.min), int(info.max)),
            nullable=False)
    for kind in FLOAT_BITS:
        add(kind.lower(), kind, lambda kind=kind: _random_float(rng, kind))
        add(kind.lower() + "_tensor", kind, lambda kind=kind: [_random_float(rng, kind) for _ in range(6)],
            shape=(2, 3))
    add("int16_tensor", "Int16", lambda: [rng.randint(-32768, 32767) for _ in range(4)], shape=(4,),
        nullable=False)
    add("uint8_tensor_rank3", "UInt8", lambda: [rng.randint(0, 255) for _ in range(8)], shape=(2, 2, 2))
    add("bool", "Bool", lambda: rng.random() < 0.5)
    add("bool_dense", "Bool", lambda: rng.random() < 0.5, nullable=False)
    add("string", "String", lambda: "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 6))),
        metadata={"unit": "text", "ünï": "✓"})
    add("string_dense", "String", lambda: rng.choice(["", "x", "naïve", "😀🎉"]), nullable=False)
    add("binary", "Binary", lambda: bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 5))).hex())
    for unit in ("s", "ms", "us", "ns"):
        add(f"ts_{unit}", "Int64", lambda: rng.randint(-(1 << 62), 1 << 62), logical=f"Timestamp({unit})")
    add("ts_zone", "Int64", lambda: rng.randint(-(1 << 40), 1 << 40), logical="Timestamp(ms, Europe/Paris)")
    add("ts_offset", "Int64", lambda: rng.randint(-(1 << 40), 1 << 40), logical="Timestamp(us, +01:00)")
    add("date", "Int32", lambda: rng.randint(-(1 << 31), (1 << 31) - 1), logical="Date")

    def add_dictionary(name: str, value_type: str, entries: List[Any], index_type: str, logical: str = "none",
                       nullable: bool = True) -> None:
        """A dictionary-encoded column: distinct ``entries``, each row one of them or a null."""
        values = [None if not entries or (nullable and rng.random() < 0.2) else rng.choice(entries)
                  for _ in range(rows)]
        columns.append({"name": name, "physicalType": "Dictionary", "logicalType": logical, "shape": [],
                        "nullCount": sum(value is None for value in values), "metadata": {}, "values": values,
                        "dictionary": {"indexType": index_type, "valueType": value_type, "entries": entries}})

    add_dictionary("dict_string", "String", ["UA", "AA", "é", "e\u0301", "", "日本"], "Int8")
    add_dictionary("dict_binary", "Binary", ["ff00", "", "c328"], "Int16", nullable=False)
    add_dictionary("dict_float64", "Float64", ["1.5", "-0.0", "0.0", "nan(0x7ff8000000000001)", "-inf"], "Int32")
    add_dictionary("dict_date", "Int32", [19675, -1, 0], "Int8", logical="Date")
    add_dictionary("dict_timestamp", "Int64", [1_704_205_800_000, -1, 0], "Int16", logical="Timestamp(ms, UTC)")
    add_dictionary("dict_empty", "String", [], "Int8")
    return {"rowCount": rows, "metadata": {"seed": str(seed), "ünïcødé": "✓ 日本", "empty": ""}, "columns": columns}


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / f"{name}.col").read_bytes()


def u32(data: bytes, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]


def copy_fixture(name: str, folder: Path) -> Path:
    target = folder / f"{name}.col"
    shutil.copyfile(FIXTURES / f"{name}.col", target)
    return target


@contextlib.contextmanager
def tmpfs(folder: Path, size: str = "1m", read_only: bool = False):
    """A tmpfs of ``size`` mounted on ``folder`` (created) for the ``with`` block, to make a real
    ``ENOSPC`` or ``EROFS``; the test is skipped, with the reason, when this process cannot mount one
    (it needs root: CI runs as root). Unmounted afterwards."""
    import pytest

    folder.mkdir(exist_ok=True)
    options = f"size={size},mode=0700" + (",ro" if read_only else "")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
