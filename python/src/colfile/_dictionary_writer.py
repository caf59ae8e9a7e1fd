"""Dictionary-encoded columns for the writer (Specification.md §6.4).

Three inputs become a dictionary-encoded column: :class:`DictionaryEncoded` (indices and a
dictionary given explicitly, the Swift writer's ``addDictionaryColumn``), a pyarrow
``DictionaryArray`` and a pandas ``Categorical`` (through pyarrow). Each batch is converted to a
:class:`DictionaryPiece`; :class:`DictionarySink` joins the batches of a column: the first batch's
dictionary is kept as given (duplicates included, in its order), later batches' entries are mapped
onto it and new ones appended, and each row's index (-1 for a null row) is kept as int32 until the
column ends and its index type is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from ._types import ColumnSpec, Piece, arrow_pieces, fail, numpy_piece, python_piece

#: §6.4: index type name → (code of byte 14, NumPy dtype, the most entries it addresses).
INDEX_TYPES = {"Int8": (1, "<i1", 128), "Int16": (2, "<i2", 32_768), "Int32": (3, "<i4", (1 << 31) - 1)}
_ARROW_INDEX_TYPES = {"int8": "Int8", "int16": "Int16", "int32": "Int32"}


def narrowest_index_type(entries: int) -> Optional[str]:
    """The narrowest index type addressing ``entries`` entries (the reference writers' choice), or
    None beyond 2^31 - 1."""
    for name, (_, _, most) in INDEX_TYPES.items():
        if entries <= most:
            return name
    return None


class DictionaryEncoded:
    """A column to write dictionary-encoded (Specification.md §6.4): each row an index into a
    dictionary stored once, as Arrow's ``DictionaryArray`` and pandas' ``Categorical`` hold it.

    Pass it as a column's value to :func:`colfile.write` or :meth:`colfile.Writer.write_batch`. A
    pyarrow ``DictionaryArray`` or a pandas ``Categorical`` is written the same way without it.

    Parameters
    ----------
    indices : sequence of int or None, or integer NumPy array (masked: masked rows are null)
        One index per row into ``dictionary``; None (or a masked entry) for a null row.
    dictionary : list of str, list of bytes, NumPy array, or pyarrow Array
        The entries in index order, without nulls: strings, byte strings or fixed-width values
        (integers, floats; ``datetime64`` for timestamps and dates). Entries should be distinct.
    index_type : {"Int8", "Int16", "Int32"}, optional
        The stored index type; default the narrowest that addresses every entry.

    Raises
    ------
    ColFileError
        ``invalidArgument`` (when written) for an index outside the dictionary, a dictionary with
        nulls or of a type a dictionary cannot hold (Bool, tensors), or too many entries for the
        index type.

    Examples
    --------
    >>> colfile.write("t.col", {"carrier": colfile.DictionaryEncoded([0, 1, None, 0], ["UA", "AA"])})  # doctest: +SKIP
    """

    def __init__(self, indices: Any, dictionary: Any, index_type: Optional[str] = None) -> None:
        self.indices = indices
        self.dictionary = dictionary
        self.index_type = index_type

    @classmethod
    def encode(cls, values: Sequence[Optional[str]], index_type: Optional[str] = None) -> "DictionaryEncoded":
        """Strings (None for null rows) with their distinct values as the dictionary, in the order
        they first appear (pyarrow's ``dictionary_encode`` and pandas' ``factorize`` order; the
        Swift writer's ``addDictionaryColumn(_:encoding:)``). Strings are compared as code points,
        so canonically equivalent spellings stay distinct entries."""
        entries: Dict[Any, int] = {}
        indices = [None if value is None else entries.setdefault(value, len(entries)) for value in values]
        return cls(indices, list(entries), index_type)

    def __len__(self) -> int:
        return len(self.indices)

    def __repr__(self) -> str:
        return f"<colfile.DictionaryEncoded rows={len(self)} entries={len(self.dictionary)}>"


@dataclass
class DictionaryPiece:
    """Some rows of a dictionary-encoded column: ``indices`` (int64, -1 for null rows), the
    dictionary's ``entries`` in colfile's layout, and the index type asked for (None: narrowest)."""

    rows: int
    indices: np.ndarray
    entries: Piece
    index_type: Optional[str]


def _entries(name: str, dictionary: Any, path: str):
    """(spec, Piece) of a dictionary's entries; refuses nulls, Bool and tensors."""
    module = type(dictionary).__module__
    if module.startswith("pyarrow"):
        import pyarrow as pa
        if isinstance(dictionary, pa.ChunkedArray):
            dictionary = dictionary.combine_chunks()
        spec, pieces = arrow_pieces(name, dictionary, path)
        piece = pieces[0]
    elif isinstance(dictionary, np.ndarray):
        spec, piece = numpy_piece(name, dictionary, path)
    else:
        items = list(dictionary)
        if not items:
            # An empty dictionary (every row null): strings, as the Swift writer's .strings([]).
            return ColumnSpec(name, "String"), Piece(0, offsets=np.zeros(1, np.int64), data=np.empty(0, np.uint8))
        spec, piece = python_piece(name, items, path)
    if piece.validity is not None and not piece.validity.all():
        raise fail(path, name, "a dictionary cannot hold nulls: a null is a null row (Specification.md §6.4)")
    if spec.physical == "Bool" or spec.shape:
        raise fail(path, name, f"a dictionary cannot hold {spec.describe()} values")
    return spec, piece


def _checked(name: str, indices: np.ndarray, valid: np.ndarray, entries: int, path: str) -> np.ndarray:
    """``indices`` (int64) with -1 at null rows, after checking each valid row's index is in [0, N)."""
    outside = valid & ((indices < 0) | (indices >= entries))
    if outside.any():
        row = int(np.argmax(outside))
        raise fail(path, name, f"the index of row {row} is outside the dictionary",
                   expected="none: the dictionary is empty" if entries == 0 else f"0 to {entries - 1}",
                   found=int(indices[row]))
    return np.where(valid, indices, -1)


def explicit_piece(name: str, value: DictionaryEncoded, path: str):
    """(values spec, DictionaryPiece) of a :class:`DictionaryEncoded`."""
    spec, entries = _entries(name, value.dictionary, path)
    if value.index_type is not None and value.index_type not in INDEX_TYPES:
        raise fail(path, name, f"dictionary indices are Int8, Int16 or Int32, not {value.index_type}")
    raw = value.indices
    if isinstance(raw, np.ndarray):
        if raw.dtype.kind not in "iu":
            raise fail(path, name, f"dictionary indices must be integers, not {raw.dtype}")
        valid = ~np.ma.getmaskarray(raw)
        indices = np.asarray(np.ma.getdata(raw), np.int64)
    else:
        items = list(raw)
        valid = np.array([item is not None for item in items], bool)
        try:
            indices = np.array([0 if item is None else int(item) for item in items], np.int64)
        except (TypeError, ValueError, OverflowError):
            raise fail(path, name, "dictionary indices must be integers or None") from None
    indices = _checked(name, indices, valid, entries.rows, path)
    return spec, DictionaryPiece(len(indices), indices, entries, value.index_type)


def arrow_dictionary_pieces(name: str, array: Any, path: str) -> List[DictionaryPiece]:
    """The pieces of a pyarrow ``DictionaryArray`` or a ``ChunkedArray`` of them; signed int8/16/32
    indices keep their type, others (unsigned, int64) get the narrowest."""
    import pyarrow as pa
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    index_type = _ARROW_INDEX_TYPES.get(str(array.type.index_type))
    pieces = []
    for chunk in chunks:
        _, entries = _entries(name, chunk.dictionary, path)
        indices_array = chunk.indices
        rows = len(chunk)
        dtype = indices_array.type.to_pandas_dtype()
        indices = np.frombuffer(indices_array.buffers()[1], dtype)[indices_array.offset:indices_array.offset + rows]
        valid = (np.ones(rows, bool) if chunk.null_count == 0
                 else np.asarray(indices_array.is_valid().to_numpy(zero_copy_only=False), bool))
        pieces.append(DictionaryPiece(rows, _checked(name, indices.astype(np.int64), valid, entries.rows, path),
                                      entries, index_type))
    return pieces


def _keys(entries: Piece) -> List[bytes]:
    """Each entry's bytes as stored: what makes two entries the same value."""
    if entries.offsets is not None:
        data = entries.data.tobytes()
        offsets = entries.offsets.tolist()
        return [data[offsets[i]:offsets[i + 1]] for i in range(entries.rows)]
    values = np.ascontiguousarray(entries.values)
    size = values.itemsize
    raw = values.tobytes()
    return [raw[i * size:(i + 1) * size] for i in range(entries.rows)]


class DictionarySink:
    """One dictionary-encoded column being written: its dictionary so far and each row's index. Its
    index type is the declaration's (a writer schema's Arrow index type), else the first batch's,
    else the narrowest for the entries at the end.

    ``index_store`` receives the int32 indices (-1 for nulls) and ``validity`` (a bit writer over a
    store, created on the first null) the validity bits; the writer narrows the indices at the end.
    """

    def __init__(self, spec: ColumnSpec, index_store: Any, make_bits, path: str) -> None:
        self.spec = spec
        self.path = path
        self.index_store = index_store
        self.make_bits = make_bits
        self.validity = None
        self.rows = 0
        self.nulls = 0
        self.index_type: Optional[str] = spec.index_type  # a schema's, else the first batch's
        self.first = True
        self.keys: List[bytes] = []
        self.positions: Dict[bytes, int] = {}

    def append(self, piece: DictionaryPiece) -> None:
        path = self.path
        keys = _keys(piece.entries)
        if self.first:
            self.first = False
            self.index_type = self.index_type or piece.index_type
            self.keys = list(keys)
            for position, key in enumerate(keys):
                self.positions.setdefault(key, position)
            indices = piece.indices
        elif keys == self.keys[:len(keys)]:
            indices = piece.indices
        else:
            mapping = np.empty(len(keys) + 1, np.int64)
            for position, key in enumerate(keys):
                known = self.positions.get(key)
                if known is None:
                    known = len(self.keys)
                    self.keys.append(key)
                    self.positions[key] = known
                mapping[position] = known
            mapping[-1] = -1
            indices = mapping[piece.indices]  # index -1 picks the last slot: -1
        if len(self.keys) > (1 << 31) - 1:
            raise fail(path, self.spec.name, "dictionaries hold at most 2147483647 entries")
        valid = indices >= 0
        nulls = int(piece.rows - np.count_nonzero(valid))
        if nulls:
            if self.validity is None:
                self.validity = self.make_bits()
                self.validity.append_run(True, self.rows)
            self.validity.append(valid)
        elif self.validity is not None:
            self.validity.append_run(True, piece.rows)
        self.index_store.append(np.ascontiguousarray(indices, "<i4"))
        self.rows += piece.rows
        self.nulls += nulls

    def stored_index_type(self) -> str:
        """The index type: the one asked for, else the narrowest for the entries."""
        path = self.path
        count = len(self.keys)
        index_type = self.index_type or narrowest_index_type(count)
        most = INDEX_TYPES[index_type][2]
        if count > most:
            raise fail(path, self.spec.name, f"{index_type} indices address at most {most} entries",
                       expected=f"at most {most}", found=count)
        return index_type

    def close(self) -> None:
        """Releases the stores."""
        self.index_store.close()
        if self.validity is not None:
            self.validity.store.close()

    def dictionary_bytes(self) -> bytes:
        """The dictionary's values: the entries one after another."""
        return b"".join(self.keys)

    def dictionary_offsets(self) -> np.ndarray:
        """The ``N + 1`` int64 offsets of the entries in :meth:`dictionary_bytes`."""
        offsets = np.zeros(len(self.keys) + 1, np.int64)
        np.cumsum([len(key) for key in self.keys], out=offsets[1:])
        return offsets


class NarrowedIndices:
    """The int32 indices of a store as ``dtype`` indices, converted block by block (a buffer source)."""

    def __init__(self, store: Any, dtype: str) -> None:
        self.store = store
        self.dtype = dtype
        self.width = np.dtype(dtype).itemsize
        self.length = store.length // 4 * self.width

    def read(self, offset: int, length: int) -> memoryview:
        rows = length // self.width
        wide = np.frombuffer(self.store.read(offset // self.width * 4, rows * 4), "<i4")
        return memoryview(wide.astype(self.dtype)).cast("B")

    def write_plain(self, output: Any) -> None:
        block = 8 << 20
        for start in range(0, self.length, block):
            output.append(self.read(start, min(block, self.length - start)))


__all__ = ["DictionaryEncoded", "DictionaryPiece", "DictionarySink", "INDEX_TYPES", "NarrowedIndices",
           "arrow_dictionary_pieces", "explicit_piece", "narrowest_index_type"]
