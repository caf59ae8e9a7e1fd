import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// Dictionary-encoded columns (Specification.md §6.4): the view, the writer's whole, streamed and
/// automatic forms, the record length, the decode cache's layout version 2, random access and
/// statistics. (Round trips of every kind, plain and cold, are in `RoundTripTests` and
/// `ColdColumnTests` through ``ColumnKind/dictionaryString`` and ``ColumnKind/dictionaryFloat64``;
/// the golden and broken files in `GoldenFixtureTests` and `BrokenFixtureTests`.)
@Suite struct DictionaryColumnTests {
    private let fixture = GoldenFixtures.named("dictionary")

    @Test func theViewGivesIndicesEntriesAndValues() throws {
        let reader = try ColFileReader.open(fixture.path)
        let carrier = try reader.dictionaryColumn("carrier")
        #expect(carrier.encoding == DictionaryEncoding(indexType: .int8, valueType: .string, entryCount: 4))
        #expect(carrier.info.physicalType == .dictionary && carrier.info.valueType == .string)
        #expect((0..<carrier.dictionary.count).map(carrier.dictionary.string(at:)) == ["UA", "AA", "B6", "DL"])
        #expect(Array(carrier.indices) == [0, 1, nil, 0, 2, 1, 0, nil, 3, 0])
        #expect((0..<carrier.count).map(carrier.indices.storedValue(at:)) == [0, 1, -1, 0, 2, 1, 0, -1, 3, 0])
        #expect(Array(carrier.indices.storedIndices(as: Int8.self)) == [0, 1, -1, 0, 2, 1, 0, -1, 3, 0])
        #expect(carrier.string(at: 4) == "B6" && carrier.string(at: 2) == nil && carrier.isNull(7))
        #expect(carrier.bytes(at: 1)?.array == Array("AA".utf8))
        let price = try reader.dictionaryColumn("price")
        #expect(price.encoding.indexType == .int32)
        #expect(price.value(at: 0, as: Double.self) == 1.5 && price.value(at: 1, as: Double.self) == nil)
        #expect(price.dictionary.values(as: Double.self)[1].sign == .minus)
        let day = try reader.dictionaryColumn("day")
        #expect(day.info.logicalType == .date && day.value(at: 1, as: Int32.self) == -1)
        let none = try reader.dictionaryColumn("none")
        #expect(none.dictionary.count == 0 && (0..<none.count).allSatisfy(none.isNull))
        // Canonically equivalent strings are distinct entries: the file stores bytes.
        let text = try reader.dictionaryColumn("text")
        #expect((0..<text.dictionary.count).map(text.dictionary.string(at:)) == ["é", "e\u{301}", "", "日本"])
    }

    @Test func plainViewsRefuseADictionaryColumnAndSayHowToReadIt() throws {
        let reader = try ColFileReader.open(fixture.path)
        let error = #expect(throws: ColFileError.self) { try reader.stringColumn("carrier") }
        #expect(error?.code == .typeMismatch)
        #expect(error?.description == "\(fixture.path): column 'carrier': the column is dictionary-encoded: read it "
                + "with dictionaryColumn(_:) (expected String or LargeString, found a dictionary of String)")
        #expect(throws: ColFileError.self) { try reader.column("price", as: Double.self) }
        let plain = #expect(throws: ColFileError.self) { try reader.dictionaryColumn("plain") }
        #expect(plain?.code == .typeMismatch && plain?.message == "the column is not dictionary-encoded")
        #expect(throws: ColFileError.self) { try reader.chunkedColumn("carrier").bool(at: 0) }
    }

    @Test func randomAccessReadsThroughTheIndex() throws {
        let reader = try ColFileReader.open(fixture.path, options: ReaderOptions(coldColumns: .refuse))
        let city = try reader.chunkedColumn("city-zstd")
        #expect(try city.dictionaryIndex(at: 5) == 1 && city.string(at: 5) == "Zürich" && city.string(at: 2) == nil)
        #expect(try reader.chunkedColumn("price").value(at: 3, as: Double.self)?.isNaN == true)
        #expect(throws: ColFileError.self) { try reader.chunkedColumn("plain").dictionaryIndex(at: 0) }
        let broken = try ColFileReader.open(BrokenFixtures.named("dictionary-index-past-end").path)
        let error = #expect(throws: ColFileError.self) { try broken.chunkedColumn("carrier").string(at: 3) }
        #expect(error?.code == .badDictionaryIndex)
        #expect(try broken.chunkedColumn("carrier").string(at: 4) == "B6")
        let nullRow = try ColFileReader.open(BrokenFixtures.named("dictionary-null-index-not-minus-one").path)
        #expect(throws: ColFileError.self) { try nullRow.chunkedColumn("carrier").dictionaryIndex(at: 2) }
    }

    @Test func statisticsAreComputedThroughTheIndices() throws {
        let reader = try ColFileReader.open(fixture.path)
        let carrier = try reader.statistics("carrier")
        #expect(carrier.nullCount == 2 && carrier.distinctEntries == 4)
        #expect(carrier.values == .lengths(min: 2, max: 2, total: 16))
        let price = try reader.statistics("price")
        #expect(price.distinctEntries == 3)
        if case .floats(let min, let max, let sum) = price.values {
            #expect(min == -0.0 && max == 1.5 && sum.isNaN)
        } else {
            Issue.record("price: \(price.values)")
        }
        #expect(try reader.statistics("day").values == .integers(min: -1, max: 19_675, sum: 19_675 * 5 - 5))
        #expect(try reader.statistics("none").distinctEntries == 0)
        #expect(try reader.statistics("plain").distinctEntries == nil)
    }

    @Test func recordsAre232BytesOnlyWithADictionaryColumn() throws {
        let folder = try TemporaryFolder("dictionary-records")
        try WriteMode.whole.write([.string("s", ["a", "b"])], to: folder.file("plain.col"))
        try WriteMode.whole.write([.string("s", ["a", "b"]), .dictionaryEncoding("d", ["x", nil])],
                                  to: folder.file("dict.col"))
        for (name, length, version) in [("plain", 160, "1.0"), ("dict", 232, "1.2")] {
            let file = FileBytes(try Files.read(folder.file(name + ".col")))
            #expect(file.load(DirectoryHeaderLayout.recordLength, at: file.directoryOffset) == UInt32(length))
            #expect(try ColFileReader.open(folder.file(name + ".col")).formatVersion == version)
        }
        // The plain column's dictionary fields are zero.
        let file = FileBytes(try Files.read(folder.file("dict.col")))
        #expect(file.bytes[(file.recordOffset(0) + 160)..<(file.recordOffset(0) + 232)].allSatisfy { $0 == 0 })
        #expect(file.bytes[file.recordOffset(0) + 14] == 0 && file.bytes[file.recordOffset(0) + 15] == 0)
    }

    @Test func theWriterRefusesWhatTheFormatForbids() throws {
        let folder = try TemporaryFolder("dictionary-writer")
        func failure(_ body: (ColFileWriter) throws -> Void) -> ColFileError? {
            guard let writer = try? ColFileWriter(path: folder.file("x.col")) else { return nil }
            defer { writer.abandon() }
            return #expect(throws: ColFileError.self) { try body(writer) }
        }
        let outside = failure { try $0.addDictionaryColumn("d", indices: [0, 2], dictionary: .strings(["a", "b"])) }
        #expect(outside?.description == "\(folder.file("x.col")): column 'd': the index of row 1 is outside the "
                + "dictionary (expected 0 to 1, found 2)")
        let tooMany = failure {
            try $0.addDictionaryColumn("d", indices: [0], dictionary: .values((0..<200).map(Int32.init)), indexType: .int8)
        }
        #expect(tooMany?.message == "Int8 indices address at most 128 entries")
        #expect(failure { try $0.addDictionaryColumn("d", indices: [0], dictionary: .strings(["a"]), indexType: .int64) }?
                .code == .invalidArgument)
        #expect(failure {
            try $0.addDictionaryColumn("d", indices: [0], dictionary: .strings(["a"]), logicalType: .date)
        }?.code == .invalidArgument)
        #expect(failure {
            try $0.streamDictionaryColumn("d", dictionary: .strings(["a"])).append(1)
        }?.message == "the index of row 0 is outside the dictionary")
    }

    /// The builder compares a value with an entry of its length by words (two overlapping loads
    /// of 4 to 16 bytes, bytes below 4, `memcmp` above 16): values of every length up to 40 that
    /// differ from a base value in one byte, at each position, are entries of their own, and a
    /// repeat of each finds its entry.
    @Test func valuesDifferingInOneByteAreDistinctEntries() throws {
        let folder = try TemporaryFolder("dictionary-one-byte")
        let path = folder.file("d.col")
        var values: [String] = []
        for length in 0...40 {
            let base = String((0..<length).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
            values.append(base)
            for position in 0..<length {
                var bytes = Array(base.utf8)
                bytes[position] = UInt8(ascii: "Z")
                values.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        let writer = try ColFileWriter(path: path)
        let stream = try writer.streamStringColumn("v", dictionary: .always)
        for value in values + values.reversed() { try stream.append(value) }
        try writer.finish()
        let column = try ColFileReader.open(path).dictionaryColumn("v")
        #expect(column.dictionary.count == values.count)
        #expect((0..<column.dictionary.count).map(column.dictionary.string(at:)) == values)
        #expect((0..<column.count).map { column.string(at: $0) } == values + values.reversed())
    }

    /// A value of 1 to 7 bytes is found by one word of its bytes and its length: values of NUL
    /// bytes only (whose bytes are all zero) and of a byte 1 to 8 then NULs (what a length would
    /// look like in the word's top byte) are entries of their own at every length up to 9.
    @Test func valuesOfZeroBytesAreDistinctByLength() throws {
        let folder = try TemporaryFolder("dictionary-zero-bytes")
        let path = folder.file("d.col")
        var values: [String] = []
        for length in 1...9 {
            values.append(String(repeating: "\0", count: length))
            for top in 1...8 {
                values.append(String(repeating: "\0", count: length - 1) + String(UnicodeScalar(UInt8(top))))
            }
        }
        values = Array(Set(values)).sorted()
        let writer = try ColFileWriter(path: path)
        let stream = try writer.streamStringColumn("v", dictionary: .always)
        for value in values + values.reversed() { try stream.append(value) }
        try writer.finish()
        let column = try ColFileReader.open(path).dictionaryColumn("v")
        #expect((0..<column.dictionary.count).map(column.dictionary.string(at:)) == values)
        #expect((0..<column.count).map { column.string(at: $0) } == values + values.reversed())
    }

    /// ``DictionaryPolicy/automatic`` encodes a column of few distinct values, keeps one of many
    /// plain, and gives up (memory bounded) once the distinct values pass its bound. The plain
    /// values, not written while the dictionary is kept, come out whole from its entries both
    /// when it is given up midway and when it does not pay at the column's end (nulls and empty
    /// values among them).
    @Test func automaticPolicyEncodesOnlyWhatPays() throws {
        let folder = try TemporaryFolder("dictionary-automatic")
        let path = folder.file("auto.col")
        let writer = try ColFileWriter(path: path)
        let cases: [(String, (Int) -> String?)] = [
            ("few", { $0 % 10 == 0 ? nil : ["JFK", "LGA", "EWR"][$0 % 3] }),
            ("unique", { "row-\($0)" }),
            ("over-bound", { "v\($0 % (DictionaryPolicy.automaticMaxEntries + 10))" }),
            ("plain-at-end", { $0 % 13 == 0 ? nil : $0 % 17 == 0 ? "" : "\($0 % 65_000)" }),
            ("empty", { _ in nil }),
        ]
        let rows = DictionaryPolicy.automaticMaxEntries * 3
        for (name, value) in cases {
            let stream = try writer.streamStringColumn(name, dictionary: .automatic)
            for row in 0..<rows { try stream.append(value(row)) }
        }
        try writer.finish()
        let reader = try ColFileReader.open(path)
        // An all-null column is smaller as an empty dictionary (a byte per row) than as offsets.
        #expect(try reader.columns.map(\.physicalType) == [.dictionary, .string, .string, .string, .dictionary])
        #expect(try reader.info("empty").dictionary?.entryCount == 0)
        #expect(try reader.info("few").dictionary == DictionaryEncoding(indexType: .int8, valueType: .string, entryCount: 3))
        let file = try ExpectedFile(reading: reader)
        for (name, value) in cases {
            let read = file.columns.first { $0.name == name }!.values
            #expect(read == (0..<rows).map { value($0).map(ExpectedValue.text) ?? .null }, "\(name)")
        }
    }

    /// The dictionaries of a writer's ``DictionaryPolicy/automatic`` columns share one budget
    /// (``DictionaryPolicy/automaticWriterBytes``; memory stays bounded whatever the number of
    /// String columns): a column whose dictionary would pass it is stored plain, and a column's
    /// share goes back once the column is written.
    @Test func automaticDictionariesShareTheWritersBudget() throws {
        let folder = try TemporaryFolder("dictionary-budget")
        // 1,000 distinct values of 16 bytes, each 5 times: about 48 KiB of dictionary (values, 8 bytes an
        // entry, 12 a slot of its 2,048), which pays.
        let rows = 5_000
        func value(_ row: Int) -> String { "v\(100_000_000_000_000 + row % 1_000)" }
        func write(budget: Int?) throws -> [PhysicalType] {
            let path = folder.file("budget-\(budget ?? 0).col")
            var options = ColFileWriter.Options()
            if let budget { options.automaticDictionaryBytes = budget }
            let writer = try ColFileWriter(path: path, options: options)
            let first = try writer.streamStringColumn("first", dictionary: .automatic)
            let second = try writer.streamStringColumn("second", dictionary: .automatic)
            for row in 0..<rows { try first.append(value(row)) }
            for row in 0..<rows { try second.append(value(row)) }
            // The first column written, its share is free for the third.
            try first.finish()
            let third = try writer.streamStringColumn("third", dictionary: .automatic)
            for row in 0..<rows { try third.append(value(row)) }
            try writer.finish()
            let reader = try ColFileReader.open(path)
            for name in ["first", "second", "third"] {
                let read = try ExpectedFile(reading: reader).columns.first { $0.name == name }!.values
                #expect(read == (0..<rows).map { .text(value($0)) }, "\(name)")
            }
            return try reader.columns.map(\.physicalType)
        }
        #expect(try write(budget: nil) == [.dictionary, .dictionary, .dictionary])
        let types = try write(budget: 64 << 10)
        #expect(types == [.dictionary, .string, .dictionary], "\(types)")
    }

    /// A cold dictionary-encoded column's cache entry has five buffer slots: layout version 2,
    /// its CRC-32 at byte 120 (Specification.md §13.4), and a second reader maps it.
    @Test func coldDictionaryColumnsUseCacheLayoutVersion2() throws {
        let cache = try TemporaryFolder("dictionary-cache")
        let options = ReaderOptions(coldColumns: .sharedCache, cacheFolder: cache.path)
        let reader = try ColFileReader.open(fixture.path, options: options)
        let index = try reader.info("city-zstd").index
        #expect(try reader.dictionaryColumn("city-zstd").string(at: 3) == "Lagos")
        let entry = try Files.read(cache.file("\(reader.identity)-\(index).colcache"))
        #expect(Array(entry[0..<8]) == Array("COLFDCOL".utf8))
        let header = FileBytes(Array(entry[0..<4096]))
        #expect(header.load(UInt32.self, at: 8) == 2)
        #expect(header.load(UInt32.self, at: 120) == CRC32.checksum(entry[0..<120]))
        #expect(entry[124..<4096].allSatisfy { $0 == 0 })
        let again = try ColFileReader.open(fixture.path, options: options)
        #expect(try ExpectedFile(reading: again) == ExpectedFile(reading: reader))
    }
}
