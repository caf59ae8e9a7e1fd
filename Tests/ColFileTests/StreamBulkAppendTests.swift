import ColFile
import ColFileTestSupport
import Testing

/// The streams' bulk appends (`append(contentsOf:ends:)`, `appendNulls`, `append(contentsOf:)`)
/// store what the same values appended one at a time store, including long runs of valid and
/// null rows that cross the writer's 64 KiB blocks of validity bits.
@Suite struct StreamBulkAppendTests {
    /// Row `row`'s value in the pattern below: nil for the null runs.
    private static func value(_ row: Int) -> String? {
        // Runs of every length class: single rows, runs under a byte, and runs of 600,000 rows
        // (more than the 524,288 bits a block holds), starting at odd bit positions.
        switch row {
        case 3, 5, 6, 7, 100...104, 1_000...600_999: nil
        default: row % 7 == 0 ? "" : "v\(row % 13)é"
        }
    }

    private static let rows = 700_003

    @Test func bulkStringAndBoolAppendsMatchOneByOne() throws {
        let folder = try TemporaryFolder("bulk")
        let path = folder.file("bulk.col")
        let writer = try ColFileWriter(path: path)
        let single = try writer.streamStringColumn("single")
        let bulk = try writer.streamStringColumn("bulk")
        let fields = try writer.streamStringColumn("fields")
        let flags = try writer.streamBoolColumn("flags")
        let flagsSingle = try writer.streamBoolColumn("flagsSingle")
        var row = 0
        while row < Self.rows {
            // A run of rows that are all null or all valid, appended at once.
            var end = row + 1
            while end < Self.rows, (Self.value(end) == nil) == (Self.value(row) == nil) { end += 1 }
            if Self.value(row) == nil {
                try bulk.appendNulls(end - row)
                try fields.appendNulls(end - row)
                try flags.appendNulls(end - row)
            } else {
                var bytes: [UInt8] = []
                var ends: [Int] = []
                for index in row..<end {
                    bytes += Array(Self.value(index)!.utf8)
                    ends.append(bytes.count)
                }
                try bulk.append(contentsOf: bytes.span, ends: ends.span)
                // The same values as fields of a text with a separator after each (as the CSV
                // importer appends them), straight into the spills' staging.
                var text: [UInt8] = []
                var ranges: [Range<Int>] = []
                for index in row..<end {
                    let start = text.count
                    text += Array(Self.value(index)!.utf8)
                    ranges.append(start..<text.count)
                    text.append(UInt8(ascii: ","))
                }
                try fields.append(fieldsOf: text.span, ranges: ranges)
                try flags.append(contentsOf: (row..<end).map { $0 % 3 == 0 })
            }
            for index in row..<end {
                try single.append(Self.value(index))
                try flagsSingle.append(Self.value(index) == nil ? nil : index % 3 == 0)
            }
            row = end
        }
        try writer.finish()

        let reader = try ColFileReader.open(path)
        for (name, other) in [("bulk", "single"), ("fields", "single"), ("flags", "flagsSingle")] {
            let info = try #require(reader.columns.first { $0.name == name })
            let otherInfo = try #require(reader.columns.first { $0.name == other })
            #expect(info.nullCount == otherInfo.nullCount && info.nullCount == 600_009)
        }
        let bulkColumn = try reader.stringColumn("bulk")
        let singleColumn = try reader.stringColumn("single")
        let fieldsColumn = try reader.stringColumn("fields")
        let flagsColumn = try reader.boolColumn("flags")
        let flagsSingleColumn = try reader.boolColumn("flagsSingle")
        var mismatches = 0
        for index in 0..<Self.rows where bulkColumn.value(at: index) != Self.value(index)
            || singleColumn.value(at: index) != Self.value(index)
            || fieldsColumn.value(at: index) != Self.value(index)
            || flagsColumn.value(at: index) != flagsSingleColumn.value(at: index) {
            mismatches += 1
        }
        #expect(mismatches == 0)
        try reader.verify()
    }

    /// Ends that do not describe the bytes, and values that are not UTF-8 on their own, are
    /// refused with nothing appended: the stream takes the next append as if none had come.
    @Test(arguments: [
        ([0x61, 0x62], [2, 1], "the ends of the values appended do not ascend within the bytes"),
        ([0x61, 0x62], [1, 3], "the ends of the values appended do not ascend within the bytes"),
        ([0x61, 0x62], [1], "the ends of the values appended stop before the end of the bytes"),
        // "é" split between two values: the bytes together are UTF-8, the values are not.
        ([0xC3, 0xA9], [1, 2], "the bytes appended to a String column are not UTF-8"),
        ([0x61, 0xFF], [1, 2], "the bytes appended to a String column are not UTF-8"),
    ] as [([UInt8], [Int], String)])
    func badBulkStringAppendIsRefused(bytes: [UInt8], ends: [Int], message: String) throws {
        let folder = try TemporaryFolder("bulk-bad")
        let path = folder.file("bad.col")
        let writer = try ColFileWriter(path: path)
        let stream = try writer.streamStringColumn("s")
        let error = #expect(throws: ColFileError.self) { try stream.append(contentsOf: bytes.span, ends: ends.span) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.column == "s")
        #expect(error?.message == message)
        try stream.append(contentsOf: [0x6F, 0x6B].span, ends: [1, 2].span)
        try writer.finish()
        let column = try ColFileReader.open(path).stringColumn("s")
        #expect(column.count == 2 && column[0] == "o" && column[1] == "k")
    }
}
