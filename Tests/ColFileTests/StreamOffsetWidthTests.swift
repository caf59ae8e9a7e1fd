import ColFile
import ColFileTestSupport
import Testing

/// A streamed String or Binary column spills its offsets as 32-bit integers while its values fit
/// in 32-bit offsets and widens them to 64-bit at the first value that passes (then stored as
/// LargeString or LargeBinary, Specification.md §6.1). The bound is `Int32.max` bytes; these
/// tests lower it (``ColFileWriter/Options/maxNarrowValueBytes``) so that every append path
/// crosses it: one value at a time, bulk values, fields of a text, nulls, and a dictionary given
/// up (its rows written as plain values from its entries).
@Suite struct StreamOffsetWidthTests {
    /// Row `row`'s value: nulls, empty values and values of 1–12 bytes, some repeated.
    private static func value(_ row: Int) -> String? {
        switch row % 11 {
        case 3: nil
        case 7: ""
        default: "r\(row % 5 == 0 ? row % 3 : row)é"
        }
    }

    private static let rows = 3_000

    /// Writes the same values through each append path, in runs of up to 37 rows; returns the
    /// file's physical types by column, after checking every value read back.
    private func write(maxNarrowValueBytes: Int?, in folder: TemporaryFolder) throws -> [String: PhysicalType] {
        let path = folder.file("offsets-\(maxNarrowValueBytes ?? 0).col")
        var options = ColFileWriter.Options()
        if let maxNarrowValueBytes { options.maxNarrowValueBytes = maxNarrowValueBytes }
        let writer = try ColFileWriter(path: path, options: options)
        let single = try writer.streamStringColumn("single")
        let bulk = try writer.streamStringColumn("bulk")
        let fields = try writer.streamStringColumn("fields")
        let binary = try writer.streamBinaryColumn("binary")
        // Distinct values pass the automatic dictionary's bounds only late: given up then.
        let givenUp = try writer.streamStringColumn("givenUp", dictionary: .automatic)
        var row = 0
        while row < Self.rows {
            let end = min(Self.rows, row + 1 + row % 37)
            var text: [UInt8] = []
            var ends: [Int] = []
            var ranges: [Range<Int>] = []
            for index in row..<end {
                try single.append(Self.value(index))
                try binary.append(bytes: Self.value(index).map { Array($0.utf8) })
                try givenUp.append(Self.value(index).map { $0 + String(repeating: "x", count: index / 20) })
                guard let value = Self.value(index) else {
                    if !ends.isEmpty {
                        try bulk.append(contentsOf: text.span, ends: ends.span)
                        try fields.append(fieldsOf: text.span, ranges: ranges)
                    }
                    try bulk.appendNulls()
                    try fields.appendNulls()
                    text = []
                    ends = []
                    ranges = []
                    continue
                }
                let start = text.count
                text += Array(value.utf8)
                ends.append(text.count)
                ranges.append(start..<text.count)
            }
            if !ends.isEmpty {
                try bulk.append(contentsOf: text.span, ends: ends.span)
                try fields.append(fieldsOf: text.span, ranges: ranges)
            }
            row = end
        }
        try writer.finish()

        let reader = try ColFileReader.open(path)
        try reader.verify()
        let read = try ExpectedFile(reading: reader).columns
        for name in ["single", "bulk", "fields", "binary", "givenUp"] {
            let column = try #require(read.first { $0.name == name })
            let expected: [ExpectedValue] = (0..<Self.rows).map { row in
                guard let value = Self.value(row) else { return .null }
                switch name {
                case "binary": return .hex(value.utf8)
                case "givenUp": return .text(value + String(repeating: "x", count: row / 20))
                default: return .text(value)
                }
            }
            #expect(column.values == expected, "\(name)")
        }
        var types: [String: PhysicalType] = [:]
        for column in try reader.columns { types[column.name] = column.physicalType }
        return types
    }

    @Test func offsetsWidenWhenTheValuesPassTheBound() throws {
        let folder = try TemporaryFolder("offset-width")
        // About 14 KB of values a column (givenUp about 240 KB): a bound of 5,000 bytes is
        // crossed in the middle of the column, and of a run of bulk values or fields.
        let wide = try write(maxNarrowValueBytes: 5_000, in: folder)
        #expect(wide == ["single": .largeString, "bulk": .largeString, "fields": .largeString,
                         "binary": .largeBinary, "givenUp": .largeString], "\(wide)")
        // The first value already past the bound: widened from the offset 0 alone.
        let first = try write(maxNarrowValueBytes: 1, in: folder)
        #expect(Set(first.values) == [.largeString, .largeBinary], "\(first)")
        let narrow = try write(maxNarrowValueBytes: nil, in: folder)
        #expect(narrow == ["single": .string, "bulk": .string, "fields": .string,
                           "binary": .binary, "givenUp": .string], "\(narrow)")
    }
}
