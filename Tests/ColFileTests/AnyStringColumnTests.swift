import ColFile
import ColFileTestSupport
import Testing

/// ``ColFileReader/anyStringColumn(_:)`` and ``ColFileReader/anyBinaryColumn(_:)``: one view of a
/// String or Binary column whether the file stores it plain or dictionary-encoded, hot or cold, with
/// the checks of the view its encoding needs.
@Suite struct AnyStringColumnTests {
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
