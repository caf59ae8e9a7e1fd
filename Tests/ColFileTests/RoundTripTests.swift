import ColFile
import ColFileTestSupport
import Testing

/// Every kind of column, with and without nulls, 0 to 100 rows, written whole and streamed, reads
/// back exactly as written.
@Suite struct RoundTripTests {
    @Test(arguments: ColumnKind.allCases, NullPattern.allCases)
    func everyKindRoundTrips(kind: ColumnKind, nulls: NullPattern) throws {
        let seed = TestSeed.value
        var rng = SplitMix64(seed: seed)
        let folder = try TemporaryFolder("roundtrip")
        for rows in [0, 1, 8, 9, 100] {
            let columns = [RandomColumns.make(kind, name: "v", rows: rows, nulls: nulls, using: &rng)]
            for mode in WriteMode.allCases {
                let path = folder.file("\(rows)-\(mode).col")
                try mode.write(columns, to: path)
                let reader = try ColFileReader.open(path)
                let read = try ExpectedFile(reading: reader)
                #expect(read.rowCount == rows, "seed \(seed) \(kind) \(nulls) rows \(rows) \(mode)")
                #expect(read.columns == columns.map(\.expected), "seed \(seed) \(kind) \(nulls) rows \(rows) \(mode)")
                #expect(try reader.columns.first?.isNullable == (columns[0].expected.nullCount > 0),
                        "seed \(seed) \(kind) \(nulls) rows \(rows) \(mode)")
                try reader.verify()
            }
        }
    }

    /// The streamed and the whole-column writer produce the same bytes for the same table.
    @Test(arguments: ColumnKind.allCases)
    func streamingAndWholeColumnsWriteTheSameBytes(kind: ColumnKind) throws {
        let seed = TestSeed.value
        var rng = SplitMix64(seed: seed)
        let folder = try TemporaryFolder("samebytes")
        let columns = NullPattern.allCases.map {
            RandomColumns.make(kind, name: "v-\($0)", rows: 37, nulls: $0, using: &rng)
        }
        let options = ColFileWriter.Options(fileID: GoldenFixture.fileID)
        try WriteMode.whole.write(columns, metadata: ["k": "v"], to: folder.file("whole.col"), options: options)
        try WriteMode.streamed.write(columns, metadata: ["k": "v"], to: folder.file("streamed.col"), options: options)
        #expect(try Files.read(folder.file("whole.col")) == (try Files.read(folder.file("streamed.col"))),
                "seed \(seed) \(kind)")
    }

    /// A file with metadata on the file and columns keeps it, keys with empty values included.
    @Test func metadataRoundTrips() throws {
        let folder = try TemporaryFolder("metadata")
        let path = folder.file("m.col")
        let metadata = ["b": "", "ключ": "значение", String(repeating: "k", count: 1024): "long key"]
        try WriteMode.whole.write([.fixed("x", [1] as [Int8?], metadata: metadata)], metadata: metadata, to: path)
        let reader = try ColFileReader.open(path)
        #expect(reader.metadata == metadata)
        #expect(try reader.info("x").metadata == metadata)
    }
}
