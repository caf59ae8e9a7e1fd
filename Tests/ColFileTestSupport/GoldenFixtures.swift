import ColFile
import Foundation

/// A golden fixture: a small file committed as `Fixtures/NAME.col`, with its expected contents
/// in `Fixtures/NAME.json`. Its definition here is the one source of both files; the tests check
/// that writing it again gives the committed bytes exactly, and that the committed file reads
/// back as its JSON says.
public struct GoldenFixture: Sendable {
    /// The file id every golden fixture is written with, so the files are reproducible.
    public static let fileID: [UInt8] = Array(0..<16)

    /// The fixture's name: the file is `NAME.col`.
    public let name: String
    /// The file's metadata.
    public let metadata: [String: String]
    /// The columns, in file order.
    public let columns: [FixtureColumn]
    /// How every column is stored; a fixture with compressed (cold) columns is a format 1.1 file.
    public var compression: Compression = .none
    /// How particular columns are stored, by name, instead of as ``compression`` says.
    public var columnCompression: [String: Compression] = [:]

    /// The format version the file must declare: 1.1 when it has zlib columns, 1.2 with zstd or
    /// dictionary-encoded columns (Specification.md §3, §6.4, §13).
    public var formatVersion: String {
        if columns.contains(where: { $0.expected.dictionary != nil })
            || columnCompression.values.contains(where: { if case .zstd = $0 { true } else { false } }) {
            return "1.2"
        }
        switch compression {
        case .none: return columnCompression.isEmpty ? "1.0" : "1.1"
        case .zlib: return "1.1"
        default: return "1.2"
        }
    }

    /// The committed file's path.
    public var path: String { RepositoryPaths.fixture(name + ".col") }
    /// The committed JSON description's path.
    public var jsonPath: String { RepositoryPaths.fixture(name + ".json") }

    /// What the file holds, as its JSON file spells it.
    public var expected: ExpectedFile {
        ExpectedFile(rowCount: columns.first?.rowCount ?? 0, metadata: metadata, columns: columns.map(\.expected))
    }

    /// Writes the fixture to `path` with the fixed file id, each column whole or streamed.
    public func write(to path: String, mode: WriteMode = .whole) throws {
        try mode.write(columns, metadata: metadata, to: path, options: .init(fileID: GoldenFixture.fileID),
                       compression: compression, columnCompression: columnCompression)
    }
}

/// Every golden fixture, by name.
public enum GoldenFixtures {
    /// The names of all golden fixtures, in catalog order.
    public static var names: [String] { all.map(\.name) }

    /// The fixture named `name`.
    public static func named(_ name: String) -> GoldenFixture {
        guard let fixture = all.first(where: { $0.name == name }) else { preconditionFailure("no golden fixture \(name)") }
        return fixture
    }

    /// The catalog.
    public static let all: [GoldenFixture] = [
        GoldenFixture(name: "integers", metadata: [:], columns: [
            .fixed("i8", [0, 1, -1, Int8.min, Int8.max] as [Int8?]),
            .fixed("i16", [0, 1, -1, Int16.min, Int16.max] as [Int16?]),
            .fixed("i32", [0, 1, -1, Int32.min, Int32.max] as [Int32?]),
            .fixed("i64", [0, 1, -1, Int64.min, Int64.max] as [Int64?]),
            .fixed("u8", [0, 1, 2, 0x80, UInt8.max] as [UInt8?]),
            .fixed("u16", [0, 1, 2, 0x8000, UInt16.max] as [UInt16?]),
            .fixed("u32", [0, 1, 2, 0x8000_0000, UInt32.max] as [UInt32?]),
            .fixed("u64", [0, 1, 2, 0x8000_0000_0000_0000, UInt64.max] as [UInt64?]),
        ]),
        GoldenFixture(name: "floats", metadata: [:], columns: [
            .fixed("f16", [0, 1.5, -2.25, 0.099975586, 65504] as [Float16?]),
            .fixed("f32", [0, 1.5, -2.25, 0.1, 3.4028235e38] as [Float?]),
            .fixed("f64", [0, 1.5, -2.25, 0.1, 1e300] as [Double?]),
        ]),
        GoldenFixture(name: "bool", metadata: [:], columns: [
            .bool("flag", [true, false, false, true, true, true, false, true, false, true, true]),
        ]),
        GoldenFixture(name: "strings", metadata: [:], columns: [
            .string("text", ["plain", "café", "naïve", "日本語", "😀🎉", "", "Ω≈ç√", "e\u{301}"]),
        ]),
        GoldenFixture(name: "binary", metadata: [:], columns: [
            .binary("blob", [[], [0], [0xFF, 0x00, 0x7F], Array(0..<20), [0xC3, 0x28]]),
        ]),
        GoldenFixture(name: "tensor", metadata: [:], columns: [
            .tensor("matrix", shape: [2, 3], [[1, 2, 3, 4, 5, 6], [-1, -2, -3, -4, -5, -6], [0.5, 0, 0, 0, 0, 0.25]]
                    as [[Float]?]),
            .tensor("vector", shape: [4], [[1, 2, 3, 4], [Int16.min, Int16.max, 0, -1], [7, 7, 7, 7]] as [[Int16]?]),
        ]),
        GoldenFixture(name: "temporal", metadata: [:], columns: [
            .fixed("at", [0, 1_700_000_000_000, -86_400_000] as [Int64?],
                   logicalType: .timestamp(unit: .milliseconds, timeZone: "Europe/Paris")),
            .fixed("at_ns", [0, 1_700_000_000_123_456_789, -1] as [Int64?],
                   logicalType: .timestamp(unit: .nanoseconds, timeZone: nil)),
            .fixed("day", [0, 19_675, -1] as [Int32?], logicalType: .date),
        ]),
        GoldenFixture(name: "nulls", metadata: [:], columns: [
            .fixed("i8", [1, nil, 3, nil, 5, 6, 7, 8, nil] as [Int8?]),
            .fixed("i16", [nil, 2, 3, 4, 5, 6, 7, 8, 9] as [Int16?]),
            .fixed("i32", [1, 2, 3, 4, 5, 6, 7, 8, nil] as [Int32?]),
            .fixed("i64", [nil, nil, nil, nil, nil, nil, nil, nil, nil] as [Int64?]),
            .fixed("u8", [1, nil, 3, 4, 5, 6, 7, 8, 9] as [UInt8?]),
            .fixed("u16", [1, 2, nil, 4, 5, 6, 7, 8, 9] as [UInt16?]),
            .fixed("u32", [1, 2, 3, nil, 5, 6, 7, 8, 9] as [UInt32?]),
            .fixed("u64", [1, 2, 3, 4, nil, 6, 7, 8, 9] as [UInt64?]),
            .fixed("f16", [1, 2, 3, 4, 5, nil, 7, 8, 9] as [Float16?]),
            .fixed("f32", [1, 2, 3, 4, 5, 6, nil, 8, 9] as [Float?]),
            .fixed("f64", [1, 2, 3, 4, 5, 6, 7, nil, 9] as [Double?]),
            .bool("bool", [true, nil, false, true, nil, false, true, false, nil]),
            .string("string", ["a", nil, "", "ü", nil, "long string", nil, "x", "y"]),
            .binary("binary", [[1], nil, [], [2, 3], nil, [4], nil, [5], [6]]),
            .tensor("tensor", shape: [2], [[1, 2], nil, [3, 4], [5, 6], nil, [7, 8], [9, 10], nil, [11, 12]]
                    as [[Float]?]),
            .fixed("timestamp", [1, nil, 3, 4, 5, 6, 7, 8, 9] as [Int64?],
                   logicalType: .timestamp(unit: .microseconds, timeZone: "UTC")),
            .fixed("date", [1, 2, 3, 4, 5, 6, 7, 8, nil] as [Int32?], logicalType: .date),
        ]),
        GoldenFixture(name: "empty-table", metadata: [:], columns: [
            .fixed("i32", [] as [Int32?]),
            .fixed("f64", [] as [Double?]),
            .bool("bool", []),
            .string("string", []),
            .binary("binary", []),
            .tensor("tensor", shape: [3], [] as [[Double]?]),
            .fixed("timestamp", [] as [Int64?], logicalType: .timestamp(unit: .seconds, timeZone: "+01:00")),
        ]),
        GoldenFixture(name: "no-columns", metadata: [:], columns: []),
        GoldenFixture(name: "extremes", metadata: [:], columns: [
            .fixed("i64", [Int64.min, Int64.max, 0, -1, 1, nil, nil, nil, nil] as [Int64?]),
            .fixed("u64", [UInt64.min, UInt64.max, 1, UInt64(Int64.max), UInt64(Int64.max) + 1, nil, nil, nil, nil]
                   as [UInt64?]),
            .fixed("f64", [.nan, .infinity, -.infinity, -0.0, 0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                           .leastNormalMagnitude, Double(nan: 0x1234, signaling: false)] as [Double?]),
            .fixed("f32", [.nan, .infinity, -.infinity, -0.0, 0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                           .leastNormalMagnitude, -Float.nan] as [Float?]),
            .fixed("f16", [.nan, .infinity, -.infinity, -0.0, 0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                           .leastNormalMagnitude, .ulpOfOne] as [Float16?]),
        ]),
        GoldenFixture(
            name: "metadata",
            metadata: ["author": "colfile tests", "created": "2024-01-01", "empty": "", "unicode": "ünïcødé ✓ 日本"],
            columns: [
                .fixed("price", [1.5, 2.5] as [Double?], metadata: ["unit": "EUR", "precision": "2"]),
                .string("label", ["a", "b"], metadata: ["description": "a label", "z-last": ""]),
                .fixed("plain", [1, 2] as [Int8?]),
            ]),
        GoldenFixture(name: "spec-example", metadata: [:], columns: [
            .fixed("id", [1, 2, 3] as [Int32?]),
            .string("name", ["a", "bc", nil]),
        ]),
        GoldenFixture(name: "cold", metadata: ["kind": "cold columns"], columns: ColdFixture.columns,
                      compression: .zlib(level: 6, chunkSize: ColdFixture.chunkSize)),
        // The same columns with zstd (codec 2, format 1.2).
        GoldenFixture(name: "cold-zstd", metadata: ["kind": "cold columns"], columns: ColdFixture.columns,
                      compression: .zstd(level: 3, chunkSize: ColdFixture.chunkSize)),
        // Dictionary-encoded columns (physical type 17, format 1.2; see ``DictionaryFixture``).
        GoldenFixture(name: "dictionary", metadata: [:], columns: DictionaryFixture.columns,
                      columnCompression: ["city-zstd": .zstd(level: 3, chunkSize: 4096)]),
    ]
}

/// The columns of `dictionary.col`, a format 1.2 file of dictionary-encoded columns
/// (Specification.md §6.4), 10 rows each, in 232-byte column records:
///
/// | column | dictionary | indices | what it shows |
/// |---|---|---|---|
/// | 0 `carrier` | String, 4 entries | Int8 | nulls (index −1), entries in order of first appearance |
/// | 1 `tag` | Binary, 3 entries | Int16 (given) | byte strings, an empty entry, no nulls |
/// | 2 `price` | Float64, 3 entries | Int32 (given) | fixed-width values, nulls, NaN and -0.0 |
/// | 3 `day` | Int32 (Date), 2 entries | Int8 | a logical type on the dictionary's values |
/// | 4 `none` | String, 0 entries | Int8 | an empty dictionary, every row null |
/// | 5 `text` | String, 4 entries | Int8 | "é" and "e\u{301}" as two entries, an empty string |
/// | 6 `plain` | (Int64, not encoded) | | a plain column beside them: its record is 232 bytes too |
/// | 7 `city-zstd` | String, 3 entries, zstd | Int8 | all five buffers compressed (4 KiB chunks) |
public enum DictionaryFixture {
    /// The columns, in file order.
    public static let columns: [FixtureColumn] = [
        .dictionaryEncoding("carrier", ["UA", "AA", nil, "UA", "B6", "AA", "UA", nil, "DL", "UA"]),
        .dictionary("tag", indices: [0, 1, 2, 2, 1, 0, 0, 1, 2, 0], binary: [[0xFF, 0x00], [], [0xC3, 0x28]],
                    indexType: .int16),
        .dictionary("price", indices: [0, nil, 1, 2, 0, 0, nil, 2, 1, 0], values: [1.5, -0.0, Double.nan],
                    indexType: .int32),
        .dictionary("day", indices: [0, 1, 1, 0, 0, 1, 1, 1, 0, 0], values: [19_675, -1] as [Int32],
                    logicalType: .date),
        .dictionary("none", indices: Array(repeating: nil, count: 10), strings: []),
        .dictionaryEncoding("text", ["é", "e\u{301}", "", "é", "日本", "", "e\u{301}", "é", "日本", "é"]),
        .fixed("plain", (0..<10).map { Int64($0) * 1_000_000_007 } as [Int64?]),
        .dictionaryEncoding("city-zstd", (0..<10).map { ["Paris", "Zürich", nil, "Lagos"][$0 % 4] }),
    ]
}

/// The columns of `cold.col`, a format 1.1 file whose every column is compressed in 4096-byte
/// chunks (Specification.md §13), so each buffer has several chunks and a shorter last one:
///
/// | column | type | buffers (decoded bytes → chunks) |
/// |---|---|---|
/// | 0 `id` | Int64 | values 8800 → 4096, 4096, 608 (512 rows per chunk) |
/// | 1 `price` | Float64 | values 8800 → 4096, 4096, 608 |
/// | 2 `label` | String, nulls | validity 138 → 1; offsets 4404 → 4096, 308; values 7347 → 4096, 3251 |
/// | 3 `flag` | Bool | values 138 → 1 |
/// | 4 `embedding` | Float32 × [2], nulls | validity 138 → 1; values 8800 → 4096, 4096, 608 |
public enum ColdFixture {
    /// Rows of `cold.col`.
    public static let rowCount = 1100
    /// Decoded bytes per chunk (the smallest the format allows).
    public static let chunkSize = 4096

    /// The columns, in file order.
    public static let columns: [FixtureColumn] = {
        let rows = 0..<rowCount
        return [
            .fixed("id", rows.map { Int64($0) * 3 - 1000 } as [Int64?]),
            .fixed("price", rows.map { Double($0 % 97) * 0.25 + 1 } as [Double?]),
            .string("label", rows.map { $0 % 7 == 3 ? nil : ($0 % 10 == 0 ? "é-\($0)" : "item-\($0)") }),
            .bool("flag", rows.map { $0 % 3 == 0 }),
            .tensor("embedding", shape: [2], rows.map { $0 % 50 == 49 ? nil : [Float($0), -Float($0) / 2] }
                    as [[Float]?]),
        ]
    }()
}
