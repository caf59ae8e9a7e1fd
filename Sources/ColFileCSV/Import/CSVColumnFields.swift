/// The fields of one column of a ``CSVBlock``, read from its ``CSVBlock/fieldEnds`` a record's
/// width apart: the end of row `r`'s field is entry `column + r × columns`, and the end before it
/// (where the field starts, one byte on) the entry before, except for the block's very first
/// field, which starts at 0. `init` checks once that every entry the rows read lies in the
/// array, so that ``place(_:in:)`` reads them without a check each (a typed column's loop spends
/// a few instructions a value on little else).
///
/// The fields stay where the scanner put them, record by record, also in a wide block: a thread
/// converts up to 32 adjacent columns of a wide block one after another (``BlockStep``), whose
/// ends share a record's one or two cache lines, so only the first column's reads miss the
/// cache, and those are asked for at once (``BlockStep/prefetchText(of:in:records:)``). Placing
/// the ends column by column first (a transpose) cost more than it saved: a second copy of the
/// ends, 8 MB of fresh memory at 50,000 columns of 40 records (BENCHMARKS.md).
///
/// The value holds no reference to the block's arrays: the caller passes the entries' span,
/// borrowed from the block it converts. A copy of the array here would retain it, once for each
/// column of each block, from every converting thread at once (at 50,000 columns, a contended
/// atomic count per column on one shared object).
struct CSVColumnFields {
    /// The number of entries `init` checked the rows' indexes against.
    private let entryCount: Int
    /// The index in the entries of the end of the column's first field.
    private let first: Int
    /// The distance between a column's entries: the number of columns.
    private let stride: Int
    /// The block's records.
    let rows: Int
    /// Whether the column's first field is the block's first, which starts at 0.
    private let startsAtZero: Bool

    /// The fields of `column` of `block`.
    init(_ block: borrowing CSVBlock, column: Int) {
        precondition(column >= 0 && column < block.names.count, "column out of range")
        entryCount = block.fieldEnds.count
        rows = block.rows
        stride = block.names.count
        first = column
        startsAtZero = column == 0
        if rows > 0 {
            // Every entry `place` reads: the ends of rows 0 to `rows - 1`, and the ends before
            // them (the entry before each; the block's first field has none).
            precondition(first + (rows - 1) * stride < entryCount, "a block's field ends cover its records")
        }
    }

    /// The place (``CSVFieldPlace``) of the column's field in record `row`, read from `ends`,
    /// the block's ``CSVBlock/fieldEnds``: field `i` of the block starts one byte after field
    /// `i - 1` ends, the first at 0.
    ///
    /// Audited unsafe scope: `row` is in `0..<rows` and `ends` holds as many entries as `init`
    /// checked (both checked), so the entry read lies in `ends` (checked for the last row in
    /// `init`), and so does the one before it, read only when the field is not the block's
    /// first (index 0); the arithmetic cannot overflow (the indexes are below `ends.count`).
    @inline(__always)
    func place(_ row: Int, in ends: Span<UInt32>) -> UInt64 {
        precondition(UInt(bitPattern: row) < UInt(bitPattern: rows), "row out of range")
        precondition(ends.count == entryCount, "the entries the column's rows were checked against")
        let index = first &+ row &* stride
        let packedEnd = unsafe ends[unchecked: index]
        let start = startsAtZero && row == 0 ? 0 : CSVScanner.end(unsafe ends[unchecked: index &- 1]) &+ 1
        return CSVFieldPlace.pack(start: start, packedEnd: packedEnd)
    }
}
