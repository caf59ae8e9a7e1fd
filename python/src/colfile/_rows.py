"""Row numbers as the column views take them: Python's negative indices allowed, range checked."""

from __future__ import annotations


def row_index(key: int, rows: int) -> int:
    """Row ``key`` of a column of ``rows`` rows as a number in ``0..<rows``.

    A negative ``key`` counts from the end, as for a list. Raises IndexError, naming ``key``, when
    the row is outside the column.
    """
    row = int(key)
    if row < 0:
        row += rows
    if not 0 <= row < rows:
        raise IndexError(f"row {key} out of range for {rows} rows")
    return row
