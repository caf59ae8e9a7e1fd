"""Dictionary-encoded columns (Specification.md §6.4): zero-copy views of their indices and dictionary."""

from __future__ import annotations

from typing import Any, Iterator, List, Optional, Union

import numpy as np

from ._info import ColumnInfo
from ._rows import row_index


class DictColumn:
    """A dictionary-encoded column: each row an index (``codes``) into a dictionary stored once
    (``categories``), as Arrow's ``DictionaryArray`` and pandas' ``Categorical`` hold them.

    Nothing is copied: ``codes`` is a read-only NumPy view of the indices in the mapping (int8,
    int16 or int32; -1 for a null row, the format's rule, which is pandas' code for a missing
    value), and ``categories`` a view of the dictionary: a read-only NumPy array for fixed-width
    values (``datetime64`` for timestamps), a :class:`~colfile.VarColumn` for strings and binary.

    Attributes
    ----------
    info : ColumnInfo
        The column's description; ``info.dictionary`` gives index type, value type and entry count.
    codes : numpy.ndarray
        One index per row, -1 for null rows.
    categories : numpy.ndarray or VarColumn
        The dictionary's entries (no nulls).
    validity_bitmap : numpy.ndarray or None
        The packed validity bits (``uint8`` view), None when the column has no nulls.
    """

    def __init__(self, info: ColumnInfo, codes: np.ndarray, categories: Any,
                 validity_bitmap: Optional[np.ndarray], region: Any) -> None:
        self.info = info
        self.codes = codes
        self.categories = categories
        self.validity_bitmap = validity_bitmap
        self._region = region

    @property
    def dictionary(self) -> Any:
        """The same as :attr:`categories` (Arrow's name)."""
        return self.categories

    def __len__(self) -> int:
        return self.info.row_count

    @property
    def null_count(self) -> int:
        """Null rows, as the directory records them."""
        return self.info.null_count

    def is_null(self, row: int) -> bool:
        """Whether row ``row`` is null."""
        return int(self.codes[row]) < 0

    def _entry(self, code: int) -> Any:
        value = self.categories[code]
        return value.item() if isinstance(value, np.generic) and not isinstance(value, np.datetime64) else value

    def __getitem__(self, key: Union[int, slice]) -> Any:
        """Row ``key``'s value (None for a null row), or a list of them for a slice."""
        if isinstance(key, slice):
            return [self[row] for row in range(*key.indices(len(self)))]
        row = row_index(key, len(self))
        code = int(self.codes[row])
        return None if code < 0 else self._entry(code)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.to_pylist())

    def to_pylist(self) -> List[Any]:
        """Every row's value, None for nulls."""
        entries = [self._entry(code) for code in range(len(self.categories))]
        return [None if code < 0 else entries[code] for code in self.codes.tolist()]

    def to_arrow(self):
        """A ``pyarrow.DictionaryArray`` whose indices and dictionary are views of the mapping."""
        from ._arrow import dictionary_array
        return dictionary_array(self)

    @property
    def categories_fit_pandas(self) -> bool:
        """Whether pandas can take the dictionary as ``Categorical`` categories: distinct and without
        NaN (the format allows both, and -0.0 beside 0.0; pandas refuses them), and not Float16
        (pandas has no Float16 index)."""
        import pandas as pd
        if getattr(self.categories, "dtype", None) == np.float16:
            return False
        index = pd.Index(self.categories.to_numpy() if hasattr(self.categories, "to_numpy") else self.categories)
        return bool(index.is_unique and not index.hasnans)

    def to_pandas(self):
        """A ``pandas.Categorical`` over the codes and the categories. pandas takes the codes as they
        are when their type is the narrowest for the number of entries (the reference writers' choice:
        int8 up to 128 entries), so they stay a view of the mapping; wider codes it narrows (a copy).
        The categories become a pandas Index (a copy of the entries only). A dictionary pandas cannot
        take as categories (see :attr:`categories_fit_pandas`) gives a Categorical of the row values."""
        import pandas as pd
        if not self.categories_fit_pandas:
            return pd.Categorical(self.to_pylist())
        categories = self.categories.to_numpy() if hasattr(self.categories, "to_numpy") else self.categories
        if self.info.logical_type_code == 2:
            categories = categories.astype("datetime64[D]")  # a Date dictionary's days (§6.2)
        index = pd.Index(categories)
        if self.info.time_zone is not None:
            # Instants in UTC shown in the column's zone (§6.2), as pyarrow gives a plain Timestamp column.
            index = pd.DatetimeIndex(index).tz_localize("UTC").tz_convert(self.info.time_zone)
        return pd.Categorical.from_codes(self.codes, categories=index, validate=False)

    def __repr__(self) -> str:
        preview = self[:3] if len(self) else []
        more = ", …" if len(self) > 3 else ""
        dictionary = self.info.dictionary
        return (f"<colfile.DictColumn {self.info.name!r} {dictionary.value_type} by {dictionary.index_type} "
                f"entries={dictionary.entry_count} rows={len(self)} nulls={self.info.null_count} "
                f"[{', '.join(repr(v) for v in preview)}{more}]>")


__all__ = ["DictColumn"]
