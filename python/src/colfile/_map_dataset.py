"""A map-style dataset over a colfile file, for worker pools and data loaders."""

from __future__ import annotations

import os
from typing import Any, Dict, Iterator, List, Optional, Sequence, Union

import numpy as np

from ._reader import Reader, VarColumn


class Dataset:
    """Rows (or batches of rows) of a colfile file, shaped like a PyTorch map-style ``Dataset``.

    Only the path and the options are pickled: each worker process (``multiprocessing.Pool``,
    ``torch.utils.data.DataLoader`` workers, any start method) opens the file itself on first use and
    maps it ``MAP_SHARED``, so all workers share one copy of its pages in the page cache.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    columns : sequence of str, optional
        The columns to return; all by default.
    batch_size : int, optional
        With a batch size, item ``i`` is the batch of rows ``[i × batch_size, (i + 1) × batch_size)``
        and ``len()`` counts batches; without, item ``i`` is row ``i``.
    **open_options
        Passed to :func:`colfile.open` (``cold_columns``, ``cache_dir``, …).

    Notes
    -----
    A row is a dict of column → value: a NumPy scalar or a read-only row view for fixed-width and
    tensor columns, ``bool``, ``str``, ``bytes``, or None for a null row. A batch is a dict of column →
    a zero-copy read-only slice of the column's view (a ``numpy.ma`` masked array over it when the
    column has a validity bitmap; Bool columns unpacked), or a list for String and Binary columns.
    torch is not needed (and not a dependency); ``torch.from_numpy`` accepts the arrays as they are
    (after ``np.array(…, copy=True)`` if the tensor must be writable).
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"], columns: Optional[Sequence[str]] = None, *,
                 batch_size: Optional[int] = None, **open_options: Any) -> None:
        self.path = os.fspath(path)
        self.columns = None if columns is None else list(columns)
        if batch_size is not None and batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self.open_options = dict(open_options)
        self._reader: Optional[Reader] = None
        self._views: Dict[str, Any] = {}

    @property
    def reader(self) -> Reader:
        """This process's reader of the file (opened on first use)."""
        if self._reader is None:
            self._reader = Reader(self.path, **self.open_options)
            names = self.columns if self.columns is not None else self._reader.names
            self._views = {name: self._reader[name] for name in names}
            self._valid = {name: self._reader.validity(name) for name in names}
        return self._reader

    def __getstate__(self) -> Dict[str, Any]:
        return {"path": self.path, "columns": self.columns, "batch_size": self.batch_size,
                "open_options": self.open_options}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__init__(state["path"], state["columns"], batch_size=state["batch_size"], **state["open_options"])

    @property
    def rows(self) -> int:
        """Rows in the file."""
        return self.reader.row_count

    def __len__(self) -> int:
        rows = self.rows
        return rows if self.batch_size is None else -(-rows // self.batch_size)

    def __getitem__(self, index: int) -> Dict[str, Any]:
        count = len(self)
        index = int(index)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError(f"index {index} out of range for {count} items")
        if self.batch_size is None:
            return self.row(index)
        start = index * self.batch_size
        return self.batch(start, min(self.rows, start + self.batch_size))

    def row(self, row: int) -> Dict[str, Any]:
        """Row ``row`` as a dict of column → value (None for a null row)."""
        self.reader
        result = {}
        for name, view in self._views.items():
            valid = self._valid[name]
            result[name] = None if valid is not None and not valid[row] else view[row]
        return result

    def batch(self, start: int, stop: int) -> Dict[str, Any]:
        """Rows ``[start, stop)`` as a dict of column → zero-copy slice (lists for strings and binary)."""
        self.reader
        result: Dict[str, Any] = {}
        for name, view in self._views.items():
            if isinstance(view, VarColumn):
                result[name] = view[start:stop]
                continue
            part = view[start:stop]
            valid = self._valid[name]
            if valid is not None:
                mask = ~valid[start:stop]
                part = np.ma.MaskedArray(part, mask=np.broadcast_to(
                    mask.reshape((-1,) + (1,) * (part.ndim - 1)), part.shape), copy=False)
            result[name] = part
        return result

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        for index in range(len(self)):
            yield self[index]

    def __repr__(self) -> str:
        batches = f" batch_size={self.batch_size}" if self.batch_size else ""
        return f"<colfile.Dataset {self.path!r} columns={self.columns or 'all'}{batches}>"


__all__: List[str] = ["Dataset"]
