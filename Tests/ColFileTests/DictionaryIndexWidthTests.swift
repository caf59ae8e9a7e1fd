import ColFile
import ColFileTestSupport
import Testing

/// A streamed dictionary column spills its rows' indices in the narrowest index type of the
/// entries so far, and rewrites those spilled when the entries pass it (Int8 to Int16 past 128
/// entries, Int16 to Int32 past 32,768): the values read back are the ones written, whether the
/// dictionary is kept or given up at the column's end (its rows then written plain from the
/// spilled indices).
@Suite struct DictionaryIndexWidthTests {
    /// Row `row`'s value: 3,000 rows of ten values (indices spilled as Int8), then `distinct`
    /// new values one after another among repeats, then repeats again; every 9th row null.
    private static func value(_ row: Int, distinct: Int) -> String? {
        if row % 9 == 4 { return nil }
        if row >= 3_000, row < 3_000 + 2 * distinct, row % 2 == 0 { return "new-\(row)" }
        return "old-\(row % 10)"
    }

    @Test(arguments: [(200, PhysicalType.int16), (40_000, .int32)])
    func indicesWidenWhenTheEntriesPassTheirType(distinct: Int, indexType: PhysicalType) throws {
        let folder = try TemporaryFolder("index-width")
        let path = folder.file("indices.col")
        let rows = 3_000 + 2 * distinct + 2_000
        let writer = try ColFileWriter(path: path)
        let kept = try writer.streamStringColumn("kept", dictionary: .always)
        // Long values: at the end the dictionary does not pay and is given up.
        let givenUp = try writer.streamStringColumn("givenUp", dictionary: .automatic)
        for row in 0..<rows {
            let value = Self.value(row, distinct: distinct)
            try kept.append(value)
            try givenUp.append(value.map { $0 + String(repeating: "·", count: 40) })
        }
        try writer.finish()
        let reader = try ColFileReader.open(path)
        try reader.verify()
        #expect(try reader.info("kept").physicalType == .dictionary)
        #expect(try reader.info("kept").dictionary?.indexType == indexType)
        let read = try ExpectedFile(reading: reader).columns
        let keptValues = try #require(read.first { $0.name == "kept" }).values
        let givenUpValues = try #require(read.first { $0.name == "givenUp" }).values
        #expect(keptValues == (0..<rows).map { Self.value($0, distinct: distinct).map(ExpectedValue.text) ?? .null })
        #expect(givenUpValues == (0..<rows).map {
            Self.value($0, distinct: distinct).map { .text($0 + String(repeating: "·", count: 40)) } ?? .null
        })
    }
}
