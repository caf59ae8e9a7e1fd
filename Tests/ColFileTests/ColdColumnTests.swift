import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// Cold (compressed) columns, Specification.md §13: every kind round-trips compressed under each
/// decoding policy, `auto` compresses only what gains, random access and runs decode only the
/// chunks they need, and the caller's limits hold.
@Suite struct ColdColumnTests {
    /// Chunks of 4096 decoded bytes, the smallest allowed, so small tables have several.
    static let smallChunks = Compression.zlib(level: 6, chunkSize: 4096)
    /// The same with zstd (codec 2, format 1.2).
    static let smallZstdChunks = Compression.zstd(level: 3, chunkSize: 4096)

    @Test(arguments: ColumnKind.allCases, NullPattern.allCases)
    func everyKindRoundTripsCompressed(kind: ColumnKind, nulls: NullPattern) throws {
        try roundTrip(kind: kind, nulls: nulls, compression: Self.smallChunks, codec: .zlib, version: "1.1")
        try roundTrip(kind: kind, nulls: nulls, compression: Self.smallZstdChunks, codec: .zstd, version: "1.2")
    }

    private func roundTrip(kind: ColumnKind, nulls: NullPattern, compression: Compression, codec: Codec,
                           version: String) throws {
        let seed = TestSeed.value
        var rng = SplitMix64(seed: seed)
        let folder = try TemporaryFolder("cold-roundtrip")
        for rows in [0, 1, 9, 2000] {
            let columns = [RandomColumns.make(kind, name: "v", rows: rows, nulls: nulls, using: &rng)]
            for mode in WriteMode.allCases {
                let path = folder.file("\(rows)-\(mode).col")
                try mode.write(columns, to: path, compression: compression)
                for policy in [ReaderOptions.ColdColumnPolicy.sharedCache, .privateMemory] {
                    let context = "seed \(seed) \(kind) \(nulls) rows \(rows) \(mode) \(policy) \(codec)"
                    let reader = try ColFileReader.open(
                        path, options: ReaderOptions(coldColumns: policy, cacheFolder: folder.file("cache")))
                    // A dictionary-encoded column makes any file 1.2 (Specification.md §3, §6.4).
                    let expectedVersion = columns[0].expected.dictionary == nil ? version : "1.2"
                    #expect(reader.formatVersion == expectedVersion, "\(context)")
                    #expect(try reader.columns.first?.codec == codec, "\(context)")
                    let read = try ExpectedFile(reading: reader)
                    #expect(read.columns == columns.map(\.expected), "\(context)")
                    try reader.verify()
                    let chunked = try reader.chunkedColumn("v")
                    let values = try (0..<rows).map { try ExpectedValue(row: $0, of: chunked) }
                    #expect(values == columns[0].expected.values, "\(context) random access")
                }
            }
        }
    }

    /// Compressed columns, streamed or whole, give the same bytes (the golden `cold.col` shows it
    /// for one table; this for every kind and null pattern).
    @Test(arguments: ColumnKind.allCases)
    func streamingAndWholeColumnsCompressTheSame(kind: ColumnKind) throws {
        let seed = TestSeed.value
        var rng = SplitMix64(seed: seed)
        let folder = try TemporaryFolder("cold-samebytes")
        let columns = NullPattern.allCases.map { RandomColumns.make(kind, name: "v-\($0)", rows: 1500, nulls: $0, using: &rng) }
        let options = ColFileWriter.Options(fileID: GoldenFixture.fileID)
        for mode in WriteMode.allCases {
            try mode.write(columns, to: folder.file("\(mode).col"), options: options, compression: Self.smallChunks)
        }
        #expect(try Files.read(folder.file("whole.col")) == (try Files.read(folder.file("streamed.col"))),
                "seed \(seed) \(kind)")
    }

    /// `auto` compresses a column that shrinks and leaves random doubles (ratio about 0.96) plain.
    @Test(arguments: WriteMode.allCases)
    func autoCompressesOnlyWhatShrinks(mode: WriteMode) throws {
        var rng = SplitMix64(seed: TestSeed.value)
        let folder = try TemporaryFolder("cold-auto")
        let path = folder.file("auto.col")
        let columns: [FixtureColumn] = [
            .fixed("counter", (0..<20_000).map { Int64($0) } as [Int64?]),
            .fixed("noise", (0..<20_000).map { _ in Double.random(in: 0..<1, using: &rng) } as [Double?]),
            .string("text", (0..<20_000).map { "row \($0 % 10)" }),
        ]
        try mode.write(columns, to: path, compression: .auto())
        let reader = try ColFileReader.open(path, options: ReaderOptions(coldColumns: .privateMemory))
        #expect(try reader.columns.map(\.codec) == [.zstd, .none, .zstd])
        #expect(try reader.info("counter").storedBytes < 20_000 * 8 / 2)
        #expect(try ExpectedFile(reading: reader).columns == columns.map(\.expected))
    }

    // MARK: - Random access and runs

    /// Every row of every column of `cold.col`, read one at a time forwards and backwards (so each
    /// chunk boundary is crossed both ways and the kept chunk is useless), is the catalog's value.
    @Test func randomAccessReadsEveryRowOfTheColdFixture() throws {
        let fixture = GoldenFixtures.named("cold")
        let reader = try ColFileReader.open(fixture.path, options: ReaderOptions(coldColumns: .refuse))
        for expected in fixture.expected.columns {
            let column = try reader.chunkedColumn(expected.name)
            #expect(column.info.buffers.allSatisfy { $0.chunkSize == ColdFixture.chunkSize })
            let rows = Array(0..<ColdFixture.rowCount)
            for order in [rows, rows.reversed()] {
                for row in order {
                    #expect(try ExpectedValue(row: row, of: column) == expected.values[row], "\(expected.name) row \(row)")
                }
            }
        }
    }

    /// Rows around every chunk boundary of a fresh reader's column (nothing kept) and in the last,
    /// shorter chunk.
    @Test(arguments: [0, 1, 511, 512, 513, 1023, 1024, 1025, 1098, 1099])
    func randomAccessAtChunkBoundaries(row: Int) throws {
        let fixture = GoldenFixtures.named("cold")
        let reader = try ColFileReader.open(fixture.path, options: ReaderOptions(coldColumns: .privateMemory))
        for expected in fixture.expected.columns {
            #expect(try ExpectedValue(row: row, of: reader.chunkedColumn(expected.name)) == expected.values[row],
                    "\(expected.name) row \(row)")
        }
    }

    /// Random access decodes only the chunk it needs: in `chunk-length-mismatch.col` the streams of
    /// chunks 0 and 2 of `id` are swapped, so rows of chunk 1 still read, chunk 0 decodes too
    /// short and chunk 2 too long.
    @Test func randomAccessDecodesOnlyTheChunksItNeeds() throws {
        let fixture = BrokenFixtures.named("chunk-length-mismatch")
        let reader = try ColFileReader.open(fixture.path, options: ReaderOptions(coldColumns: .refuse))
        let column = try reader.chunkedColumn("id")
        #expect(try column.value(at: 512, as: Int64.self) == 512 * 3 - 1000)
        #expect(try column.value(at: 1023, as: Int64.self) == 1023 * 3 - 1000)
        let first = #expect(throws: ColFileError.self) { try column.value(at: 0, as: Int64.self) }
        #expect(first?.code == .chunkLengthMismatch && first?.chunk == 0)
        let last = #expect(throws: ColFileError.self) { try column.value(at: 1099, as: Int64.self) }
        #expect(last?.description == "\(fixture.path): column 'id': chunk 2: the chunk decodes to more bytes than its index says at offset 1145 (expected 608, found more)")
    }

    /// `forEachRun` covers every row once, in order, one chunk of values per run, with nulls.
    @Test(arguments: [0, 1, 1023, 1024, 3000])
    func runsCoverEveryRow(rows: Int) throws {
        let folder = try TemporaryFolder("cold-runs")
        let path = folder.file("runs.col")
        let values: [Int32?] = (0..<rows).map { $0 % 5 == 2 ? nil : Int32($0) - 7 }
        try WriteMode.whole.write([.fixed("x", values)], to: path, compression: Self.smallChunks)
        let reader = try ColFileReader.open(path, options: ReaderOptions(coldColumns: .refuse))
        var seen: [Int32?] = []
        var runs: [Range<Int>] = []
        try reader.chunkedColumn("x").forEachRun(as: Int32.self) { rows, run, isNull in
            runs.append(rows)
            seen += run.indices.map { isNull($0) ? nil : run[$0] }
        }
        #expect(seen == values)
        #expect(runs.map(\.count).allSatisfy { $0 <= 1024 })
        #expect(zip(runs, runs.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(runs.first?.lowerBound ?? 0 == 0 && runs.last?.upperBound ?? 0 == rows)
    }

    @Test func randomAccessChecksTheType() throws {
        let reader = try ColFileReader.open(GoldenFixtures.named("cold").path, options: ReaderOptions(coldColumns: .refuse))
        let error = #expect(throws: ColFileError.self) { try reader.chunkedColumn("id").value(at: 0, as: Double.self) }
        #expect(error?.code == .typeMismatch)
        #expect(throws: ColFileError.self) { try reader.chunkedColumn("embedding").value(at: 0, as: Float.self) }
        #expect(throws: ColFileError.self) { try reader.chunkedColumn("label").bool(at: 0) }
    }

    // MARK: - Limits

    /// `refuse` never decodes: values of a cold column throw `wouldDecode`; descriptions still work.
    @Test func refusingReaderThrowsWouldDecode() throws {
        let fixture = GoldenFixtures.named("cold")
        let reader = try ColFileReader.open(fixture.path, options: ReaderOptions(coldColumns: .refuse))
        #expect(try reader.columns.map(\.name) == ["id", "price", "label", "flag", "embedding"])
        let error = #expect(throws: ColFileError.self) { try reader.column("id", as: Int64.self) }
        #expect(error?.description == "\(fixture.path): column 'id': the column is compressed and this reader does not decode")
        #expect(error?.code == .wouldDecode)
        for attempt in [{ _ = try reader.stringColumn("label") }, { _ = try reader.boolColumn("flag") },
                        { _ = try reader.tensorColumn("embedding", as: Float.self) }] {
            #expect((#expect(throws: ColFileError.self) { try attempt() })?.code == .wouldDecode)
        }
    }

    /// A column whose decoded bytes exceed `maxDecodedBytes` is refused before anything is decoded
    /// or written to the cache; smaller columns of the same file still read.
    @Test(arguments: [ReaderOptions.ColdColumnPolicy.sharedCache, .privateMemory])
    func columnsOverTheDecodeLimitAreRefused(policy: ReaderOptions.ColdColumnPolicy) throws {
        let fixture = GoldenFixtures.named("cold")
        let cache = try TemporaryFolder("cold-limit")
        let reader = try ColFileReader.open(fixture.path, options: ReaderOptions(
            coldColumns: policy, cacheFolder: cache.path, maxDecodedBytes: 8799))
        let error = #expect(throws: ColFileError.self) { try reader.column("id", as: Int64.self) }
        #expect(error?.description == "\(fixture.path): column 'id': decoding the column needs more memory than allowed (expected at most 8799 bytes, found 8800 bytes)")
        #expect(error?.code == .decodeLimitExceeded)
        #expect(try cache.contents().isEmpty)
        #expect(Array(try reader.boolColumn("flag")).prefix(4) == [true, false, false, true])
        let exact = try ColFileReader.open(fixture.path, options: ReaderOptions(
            coldColumns: policy, cacheFolder: cache.path, maxDecodedBytes: 8800))
        #expect(try exact.column("id", as: Int64.self).count == ColdFixture.rowCount)
    }

    /// A file declaring 2^40 rows of a cold Int64 column (8 TiB decoded), re-sealed: the chunk
    /// index cannot describe that much, so the column's first use (its record's checks,
    /// Specification.md §9) refuses it without allocating anything.
    @Test func hugeDeclaredRowCountIsRefusedOnFirstUse() throws {
        var file = FileBytes(try Files.read(GoldenFixtures.named("cold").path))
        let rows: UInt64 = 1 << 40
        file.store(rows, at: file.directoryOffset + 8)
        file.store(rows, at: file.recordOffset(0) + 16)
        file.store(rows * 8, at: file.descriptorOffset(column: 0, slot: 2) + 16)
        file.resealDirectory()
        let reader = try ColFileReader.open(bytes: file.bytes, path: "huge.col")
        let error = #expect(throws: ColFileError.self) { try reader.column("id", as: Int64.self) }
        #expect(error?.description == "huge.col: column 'id': chunk count does not match the decoded length at offset 68 (expected 2147483648, found 3)")
    }

    /// A file that really declares 2^40 rows of a cold Int64 column (8 TiB decoded): 2^17 chunks
    /// of 64 MiB, a 3 MiB chunk index. It opens (open checks are O(1) per buffer), and every way
    /// of decoding the whole column refuses it with `decodeLimitExceeded` instead of allocating it.
    @Test func hugeDecodedColumnIsRefusedByTheDecodeLimit() throws {
        let folder = try TemporaryFolder("cold-huge")
        let path = folder.file("small.col")
        try WriteMode.whole.write([.fixed("x", (0..<8).map { Int64($0) } as [Int64?])], to: path,
                                  compression: .zlib(level: 6, chunkSize: 64 << 20))
        let small = FileBytes(try Files.read(path))
        let rows: UInt64 = 1 << 40
        let chunkCount = Int(rows * 8 / UInt64(64 << 20))
        var index = FileBytes([UInt8](repeating: 0, count: 16 + 24 * chunkCount))
        index.bytes.replaceSubrange(0..<4, with: Array("CHNK".utf8))
        index.store(UInt32(chunkCount), at: 4)
        index.store(UInt32(64 << 20), at: 8)
        let directoryOffset = 64 + (index.count + 63) / 64 * 64
        var file = FileBytes(Array(small.bytes[0..<64]) + index.bytes
            + [UInt8](repeating: 0, count: directoryOffset - 64 - index.count)
            + Array(small.bytes[small.directoryOffset..<small.trailerOffset])
            + Array(small.bytes[small.trailerOffset...]))
        file.store(UInt64(directoryOffset), at: 40)
        file.store(UInt64(directoryOffset), at: file.trailerOffset)
        file.store(rows, at: file.directoryOffset + 8)
        file.store(rows, at: file.recordOffset(0) + 16)
        file.store(UInt64(index.count), at: file.descriptorOffset(column: 0, slot: 2) + 8)
        file.store(rows * 8, at: file.descriptorOffset(column: 0, slot: 2) + 16)
        file.resealDirectory()
        for options in [ReaderOptions(coldColumns: .privateMemory), ReaderOptions(cacheFolder: folder.file("cache")),
                        ReaderOptions(coldColumns: .privateMemory, maxDecodedBytes: 1 << 30)] {
            let reader = try ColFileReader.open(bytes: file.bytes, path: "huge.col", options: options)
            #expect(reader.rowCount == Int(rows))
            #expect(try reader.info("x").buffers.first?.chunkCount == chunkCount)
            let limit = options.maxDecodedBytes
            let expected = "huge.col: column 'x': decoding the column needs more memory than allowed (expected at most \(limit) bytes, found 8796093022208 bytes)"
            let reading = #expect(throws: ColFileError.self) { try reader.column("x", as: Int64.self) }
            #expect(reading?.description == expected)
            let verifying = #expect(throws: ColFileError.self) { try reader.verify() }
            #expect(verifying?.description == expected)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("cache/\(try ColFileReader.open(bytes: file.bytes).identity)-0.colcache")))
    }
}
