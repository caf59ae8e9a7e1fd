import ColFile
import ColFileTestSupport
import Testing

/// Random tables — random kinds, shapes, null patterns and row counts, some columns written whole
/// and some streamed with every stream open at once and fed row by row, some compressed (cold) —
/// read back exactly, through the shared decode cache or private memory.
/// The seed comes from `COLFILE_TEST_SEED` (see ``TestSeed``) and is in every failure message.
@Suite struct RandomRoundTripTests {
    @Test func randomTablesRoundTrip() throws {
        let seed = TestSeed.value
        var rng = SplitMix64(seed: seed)
        let folder = try TemporaryFolder("random")
        var coldColumns = 0
        for iteration in 0..<40 {
            let context = "seed \(seed) iteration \(iteration)"
            let rows = [0, 1, 7, 8, 65, 1500, Int(rng.next() % 300)].randomElement(using: &rng)!
            let columns = (0..<Int(rng.next() % 7)).map { index in
                RandomColumns.make(ColumnKind.allCases.randomElement(using: &rng)!,
                                   name: ["c", "C", "é", "日"].randomElement(using: &rng)! + "\(index)", rows: rows,
                                   nulls: NullPattern.allCases.randomElement(using: &rng)!, using: &rng)
            }
            let path = folder.file("\(iteration).col")
            let order = try writeInterleaved(columns, to: path, using: &rng)
            let policy = [ReaderOptions.ColdColumnPolicy.sharedCache, .privateMemory].randomElement(using: &rng)!
            let reader = try ColFileReader.open(path, options: ReaderOptions(coldColumns: policy,
                                                                             cacheFolder: folder.file("cache")))
            let read = try ExpectedFile(reading: reader)
            #expect(read.rowCount == (columns.isEmpty ? 0 : rows), "\(context)")
            #expect(read.columns.map(\.name) == order, "\(context)")
            let expected = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.expected) })
            for column in read.columns {
                #expect(column == expected[column.name], "\(context) column \(column.name)")
            }
            try reader.verify()
            coldColumns += try reader.columns.filter(\.isCompressed).count
        }
        #expect(coldColumns > 0, "seed \(seed)")
        #expect(try folder.contents().filter { $0.hasSuffix(".col") }.count == 40, "seed \(seed)")
    }

    /// Writes `columns` like a row-wise producer: the streamed ones (a random half) all open at
    /// once and fed a row at a time, the whole ones added between rows; some streams finished
    /// early in random order. Returns the column order the file must have (order of completion).
    private func writeInterleaved(_ columns: [FixtureColumn], to path: String,
                                  using rng: inout SplitMix64) throws -> [String] {
        let writer = try ColFileWriter(path: path)
        for column in columns {
            // Half of the columns cold (small chunks, so some have several: zlib and zstd), a sixth `auto`.
            switch rng.next() % 6 {
            case 0: writer.compression[column.name] = .zlib(level: Int(rng.next() % 10), chunkSize: 4096)
            case 1: writer.compression[column.name] = .zstd(level: Int(rng.next() % 9) + 1, chunkSize: 4096)
            case 2: writer.compression[column.name] = .auto()
            default: break
            }
        }
        var whole: [FixtureColumn] = []
        var streams: [(name: String, stream: RowStream)] = []
        for column in columns {
            if rng.next() & 1 == 0 {
                whole.append(column)
            } else {
                streams.append((column.name, try column.stream(on: writer)))
            }
        }
        var order: [String] = []
        for row in 0..<(columns.first?.rowCount ?? 0) {
            for (_, stream) in streams { try stream.append(row) }
            if rng.next() % 16 == 0, let column = whole.popLast() {
                try column.write(to: writer)
                order.append(column.name)
            }
        }
        for column in whole {
            try column.write(to: writer)
            order.append(column.name)
        }
        streams.shuffle(using: &rng)
        let finishedEarly = Int(rng.next() % UInt64(streams.count + 1))
        for (name, stream) in streams.prefix(finishedEarly) {
            try stream.finish()
            order.append(name)
        }
        let startOrder = columns.map(\.name)
        order += streams.dropFirst(finishedEarly).map(\.name).sorted {
            startOrder.firstIndex(of: $0)! < startOrder.firstIndex(of: $1)!
        }
        try writer.finish()
        return order
    }
}
