import ColFile
import ColFileTestSupport
import Testing

/// ``ColFileReader/anyStringColumn(_:)``, ``ColFileReader/anyBinaryColumn(_:)`` and
/// ``ColFileReader/anyColumn(_:as:)``: one view of a column whether the file stores it plain or
/// dictionary-encoded, hot or cold, with the checks of the view its encoding needs.
@Suite struct AnyEncodingColumnTests {
    private static let strings: [String?] = ["UA", nil, "", "日本", "UA", nil, "e\u{301}", "", "UA", "DL"]

    /// The same strings stored four ways (plain, encoded; hot, cold in small chunks) read as the
    /// same values, bytes and lengths; a null row's stored value is empty in every form.
    @Test func plainAndEncodedColumnsReadTheSame() throws {
        let folder = try TemporaryFolder("any-string")
        let path = folder.file("s.col")
        let writer = try ColFileWriter(path: path)
        for name in ["plain-cold", "encoded-cold"] { writer.compression[name] = .zlib(level: 6, chunkSize: 4096) }
        for (name, policy) in [("plain", DictionaryPolicy.never), ("encoded", .always),
                               ("plain-cold", .never), ("encoded-cold", .always)] {
            let stream = try writer.streamStringColumn(name, dictionary: policy)
            for value in Self.strings { try stream.append(value) }
            let bytes = try writer.streamBinaryColumn(name + "-bytes", dictionary: policy)
            for value in Self.strings { try bytes.append(bytes: value.map { Array($0.utf8) }) }
        }
        try writer.finish()
        let reader = try ColFileReader.open(path)
        for name in ["plain", "encoded", "plain-cold", "encoded-cold"] {
            let column = try reader.anyStringColumn(name)
            #expect(column.isDictionaryEncoded == name.hasPrefix("encoded"), "\(name)")
            #expect(Array(column) == Self.strings, "\(name)")
            #expect(column.indices.map(column.storedValue(at:)) == Self.strings.map { $0 ?? "" }, "\(name)")
            #expect(column.indices.map { column.bytes(at: $0).array } == Self.strings.map { Array(($0 ?? "").utf8) })
            #expect(column.indices.map(column.byteCount(at:)) == Self.strings.map { $0?.utf8.count ?? 0 }, "\(name)")
            #expect(column.description == "AnyStringColumn(name: \"\(name)\", rows: 10, nulls: 2)")
            let bytes = try reader.anyBinaryColumn(name + "-bytes")
            #expect(bytes.isDictionaryEncoded == name.hasPrefix("encoded"), "\(name)")
            #expect(bytes.map { $0?.array } == Self.strings.map { $0.map { Array($0.utf8) } }, "\(name)")
            #expect(bytes.indices.map(bytes.byteCount(at:)) == Self.strings.map { $0?.utf8.count ?? 0 }, "\(name)")
        }
    }

    /// The same Int64s with nulls stored plain and encoded, hot and cold, read as the same values;
    /// a null row's stored value is zero in both forms.
    @Test func plainAndEncodedFixedWidthColumnsReadTheSame() throws {
        let folder = try TemporaryFolder("any-fixed")
        let path = folder.file("n.col")
        let values: [Int64?] = (0..<1000).map { $0 % 7 == 0 ? nil : Int64($0 % 5) - 2 }
        let entries: [Int64] = [-2, -1, 0, 1, 2]
        let writer = try ColFileWriter(path: path)
        writer.compression["encoded-cold"] = .zlib(level: 6, chunkSize: 4096)
        writer.compression["plain-cold"] = .zlib(level: 6, chunkSize: 4096)
        for name in ["plain", "plain-cold"] { try writer.addColumn(name, values) }
        for name in ["encoded", "encoded-cold"] {
            try writer.addDictionaryColumn(name, indices: values.map { $0.map { Int($0) + 2 } },
                                           dictionary: .values(entries))
        }
        try writer.finish()
        let reader = try ColFileReader.open(path)
        for name in ["plain", "encoded", "plain-cold", "encoded-cold"] {
            let column = try reader.anyColumn(name, as: Int64.self)
            #expect(column.isDictionaryEncoded == name.hasPrefix("encoded"), "\(name)")
            #expect(Array(column) == values, "\(name)")
            #expect(column.indices.map(column.storedValue(at:)) == values.map { $0 ?? 0 }, "\(name)")
            #expect(column.description == "AnyFixedWidthColumn<Int64>(name: \"\(name)\", rows: 1000, nulls: 143)")
        }
    }

    /// The golden file's Float64 and Date dictionaries read as their dictionary views read them
    /// (NaN and −0 kept bit for bit).
    @Test func goldenDictionariesReadAsTheDictionaryViewReadsThem() throws {
        let reader = try ColFileReader.open(GoldenFixtures.named("dictionary").path)
        let price = try reader.dictionaryColumn("price")
        let anyPrice = try reader.anyColumn("price", as: Double.self)
        #expect(anyPrice.map { $0?.bitPattern } == (0..<price.count).map { price.value(at: $0, as: Double.self)?.bitPattern })
        let day = try reader.dictionaryColumn("day")
        #expect(Array(try reader.anyColumn("day", as: Int32.self)) == (0..<day.count).map { day.value(at: $0, as: Int32.self) })
        let error = #expect(throws: ColFileError.self) { try reader.anyColumn("price", as: Int64.self) }
        #expect(error?.code == .typeMismatch && error?.message == "the column has another type")
        #expect(error?.expected == "Int64, plain or dictionary-encoded" && error?.found == "a dictionary of Float64")
        #expect(throws: ColFileError.self) { try reader.anyColumn("carrier", as: Int32.self) }
    }

    /// An empty dictionary (every row null) reads as nulls whose stored values are empty.
    @Test func anEmptyDictionaryReadsAsNulls() throws {
        let reader = try ColFileReader.open(GoldenFixtures.named("dictionary").path)
        let none = try reader.anyStringColumn("none")
        #expect(none.isDictionaryEncoded && !none.isEmpty && none.allSatisfy { $0 == nil })
        #expect(none.indices.allSatisfy { none.storedValue(at: $0) == "" && none.byteCount(at: $0) == 0 })
        let carrier = try reader.anyStringColumn("carrier")
        #expect(Array(carrier) == ["UA", "AA", nil, "UA", "B6", "AA", "UA", nil, "DL", "UA"])
    }

    /// A column whose values (or whose dictionary's values) are of another kind is refused with
    /// what was expected and found.
    @Test func otherKindsAreRefused() throws {
        let fixture = GoldenFixtures.named("dictionary")
        let reader = try ColFileReader.open(fixture.path)
        let price = #expect(throws: ColFileError.self) { try reader.anyStringColumn("price") }
        #expect(price?.code == .typeMismatch)
        #expect(price?.description == "\(fixture.path): column 'price': the column has another type (expected String "
                + "or LargeString, plain or dictionary-encoded, found a dictionary of Float64)")
        let carrier = #expect(throws: ColFileError.self) { try reader.anyBinaryColumn("carrier") }
        #expect(carrier?.code == .typeMismatch && carrier?.expected == "Binary or LargeBinary, plain or dictionary-encoded")
    }

    /// A broken dictionary is refused before any value is handed out, with the error
    /// ``ColFileReader/dictionaryColumn(_:)`` gives.
    @Test func aBadIndexIsRefusedAsTheDictionaryViewRefusesIt() throws {
        let broken = try ColFileReader.open(BrokenFixtures.named("dictionary-index-past-end").path)
        let error = #expect(throws: ColFileError.self) { try broken.anyStringColumn("carrier") }
        let expected = #expect(throws: ColFileError.self) {
            try ColFileReader.open(BrokenFixtures.named("dictionary-index-past-end").path).dictionaryColumn("carrier")
        }
        #expect(error?.code == .badDictionaryIndex && error?.description == expected?.description)
    }
}
