/// Where a field lies in a block's text and whether it was quoted, packed in one word: the
/// start in the high 32 bits, the end shifted left by one in the low 32, the quote in bit 0.
/// A block's text is shorter than 2 GiB: it ends after the record that passes
/// ``CSVRecordSource/blockBytes(columns:)`` (16 MiB at most), and a record is at most
/// ``CSVScanner/maximumRecordBytes``.
enum CSVFieldPlace {
    /// The packed place of a field from `start` to `end` (exclusive).
    static func pack(start: Int, end: Int, quoted: Bool) -> UInt64 {
        UInt64(truncatingIfNeeded: start) << 32 | UInt64(truncatingIfNeeded: end) << 1 | (quoted ? 1 : 0)
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

    /// Fills ``columnFields`` from ``fieldEnds`` and ``fieldQuoted`` for the block's ``rows``.
    mutating func placeFieldsByColumn() {
        let columns = names.count
        let count = rows * columns
        precondition(text.count < 1 << 31, "a block's text is shorter than 2 GiB")
        // The arrays as locals (no copy), so that reading two while writing the third is allowed.
        var placed: [UInt64] = []
        swap(&placed, &columnFields)
        defer { swap(&placed, &columnFields) }
        if placed.count != count {
            placed.removeAll(keepingCapacity: true)
            placed.append(contentsOf: repeatElement(0, count: count))
        }
        let endsArray = fieldEnds
        let quotedArray = fieldQuoted
        let ends = endsArray.span
        let quoted = quotedArray.span
        var places = placed.mutableSpan
        for tile in stride(from: 0, to: columns, by: Self.tileColumns) {
            let tileEnd = min(tile + Self.tileColumns, columns)
            for row in 0..<rows {
                let first = row * columns
                var start = first + tile == 0 ? 0 : ends[first + tile - 1] + 1
                var place = tile * rows + row
                for field in (first + tile)..<(first + tileEnd) {
                    let end = ends[field]
                    places[place] = CSVFieldPlace.pack(start: start, end: end, quoted: quoted[field])
                    start = end + 1
                    place += rows
                }
            }
        }
    }

    /// Where field `column` of record `row` lies in ``text`` (after ``placeFieldsByColumn()``).
    func range(row: Int, column: Int) -> Range<Int> {
        CSVFieldPlace.range(columnFields[column * rows + row])
    }

    /// Whether field `column` of record `row` was quoted (after ``placeFieldsByColumn()``).
    func isQuoted(row: Int, column: Int) -> Bool {
        CSVFieldPlace.isQuoted(columnFields[column * rows + row])
    }
}
