import ColFile
import Foundation

/// One value of a column as the fixtures' JSON files spell it, so that a person can read it and a
/// comparison is exact: integers as JSON numbers (all 64 bits kept), floating-point values as text
/// (Swift's shortest round-trip form, `inf`, `-inf`, `-0.0`, and NaN as `nan(0xBITS)` so its
/// payload is kept), strings as JSON strings, binary values as lowercase hex text, tensor rows as
/// arrays of their values in row-major order, and null rows as `null`.
///
/// Equality compares text by its UTF-8 bytes, not by Swift's `String ==`, which takes canonically
/// equivalent strings ("é" and "e\u{301}") for equal although a file stores them as different values.
public enum ExpectedValue: Codable, Hashable, Sendable {
    /// A null row.
    case null
    /// A Bool value.
    case bool(Bool)
    /// An integer, in decimal.
    case integer(String)
    /// A floating-point value, a string or a binary value in hex.
    case text(String)
    /// A tensor row.
    case array([ExpectedValue])

    /// The expected form of a fixed-width value: an integer, or a floating-point value as text.
    public static func of<Element: FixedWidthElement>(_ value: Element) -> ExpectedValue {
        switch value {
        case let value as Double: float(value, bits: value.bitPattern)
        case let value as Float: float(value, bits: value.bitPattern)
        case let value as Float16: float(value, bits: value.bitPattern)
        default: .integer("\(value)")
        }
    }

    /// The expected form of a binary value: its bytes in lowercase hex.
    public static func hex(_ bytes: some Sequence<UInt8>) -> ExpectedValue {
        .text(bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
    }

    private static func float<F: BinaryFloatingPoint>(_ value: F, bits: some BinaryInteger) -> ExpectedValue {
        value.isNaN ? .text("nan(0x\(String(bits, radix: 16)))") : .text("\(value)")
    }

    /// Decodes a JSON `null`, `true`/`false`, number, string or array.
    public static func == (lhs: ExpectedValue, rhs: ExpectedValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.integer(let a), .integer(let b)), (.text(let a), .text(let b)): a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(1); hasher.combine(value)
        case .integer(let text): hasher.combine(2); hasher.combine(Array(text.utf8))
        case .text(let text): hasher.combine(3); hasher.combine(Array(text.utf8))
        case .array(let values): hasher.combine(4); hasher.combine(values)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer("\(value)")
        } else if let value = try? container.decode(UInt64.self) {
            self = .integer("\(value)")
        } else if let value = try? container.decode(String.self) {
            self = .text(value)
        } else {
            self = .array(try container.decode([ExpectedValue].self))
        }
    }

    /// Encodes the value as the JSON type its case names.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let text):
            if let value = Int64(text) { try container.encode(value) } else { try container.encode(UInt64(text)) }
        case .text(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        }
    }
}

/// What a fixture's JSON file says about a dictionary-encoded column's encoding and dictionary
/// (Specification.md §6.4).
public struct ExpectedDictionary: Codable, Hashable, Sendable {
    /// The index type's name: `Int8`, `Int16` or `Int32`.
    public var indexType: String
    /// The value type's name, e.g. `String` (``PhysicalType/description``).
    public var valueType: String
    /// Every dictionary entry, in index order, spelled as a row's value of the value type.
    public var entries: [ExpectedValue]

    /// A description of a dictionary.
    public init(indexType: String, valueType: String, entries: [ExpectedValue]) {
        self.indexType = indexType
        self.valueType = valueType
        self.entries = entries
    }
}

/// What a fixture's JSON file says about one column.
public struct ExpectedColumn: Codable, Hashable, Sendable {
    /// The column's name.
    public var name: String
    /// The physical type's name, e.g. `Int32` (``PhysicalType/description``); `Dictionary` for a
    /// dictionary-encoded column, whose ``values`` are then the rows' values read through the
    /// dictionary.
    public var physicalType: String
    /// The logical type, e.g. `Timestamp(ms, Europe/Paris)` (``LogicalType/description``).
    public var logicalType: String
    /// The shape of one row; empty for scalar columns.
    public var shape: [Int]
    /// The number of null rows.
    public var nullCount: Int
    /// The column's metadata.
    public var metadata: [String: String]
    /// Every row's value.
    public var values: [ExpectedValue]
    /// For a dictionary-encoded column, its index type, value type and entries; absent (nil)
    /// for every other column.
    public var dictionary: ExpectedDictionary? = nil
}

/// What a fixture's JSON file says about the whole file: its rows, metadata and columns (in file order).
public struct ExpectedFile: Codable, Hashable, Sendable {
    /// The number of rows.
    public var rowCount: Int
    /// The file's metadata.
    public var metadata: [String: String]
    /// The columns, in file order.
    public var columns: [ExpectedColumn]

    /// A description of a file.
    public init(rowCount: Int, metadata: [String: String], columns: [ExpectedColumn]) {
        self.rowCount = rowCount
        self.metadata = metadata
        self.columns = columns
    }

    /// Reads every value of every column of `reader` through the typed column views.
    ///
    /// - Throws: what the views throw (``ColFileError/Code/offsetsNotIncreasing`` for a corrupt
    ///   string or binary column).
    public init(reading reader: ColFileReader) throws {
        rowCount = reader.rowCount
        metadata = reader.metadata
        columns = try reader.columns.map { info in
            if info.dictionary != nil { return try ExpectedFile.dictionaryColumn(info, reader) }
            return ExpectedColumn(name: info.name, physicalType: info.physicalType.description,
                                  logicalType: info.logicalType.description, shape: info.shape,
                                  nullCount: info.nullCount, metadata: info.metadata,
                                  values: try ExpectedFile.values(of: info, in: reader))
        }
    }

    /// The JSON text of this description: pretty-printed, keys sorted, ending in a newline.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// Decodes a description from the JSON text of a fixture.
    public static func decode(json: [UInt8]) throws -> ExpectedFile {
        try JSONDecoder().decode(ExpectedFile.self, from: Data(json))
    }

    private static func values(of info: ColumnInfo, in reader: ColFileReader) throws -> [ExpectedValue] {
        switch info.physicalType {
        case .int8: try fixed(info, Int8.self, reader)
        case .int16: try fixed(info, Int16.self, reader)
        case .int32: try fixed(info, Int32.self, reader)
        case .int64: try fixed(info, Int64.self, reader)
        case .uint8: try fixed(info, UInt8.self, reader)
        case .uint16: try fixed(info, UInt16.self, reader)
        case .uint32: try fixed(info, UInt32.self, reader)
        case .uint64: try fixed(info, UInt64.self, reader)
        case .float16: try fixed(info, Float16.self, reader)
        case .float32: try fixed(info, Float.self, reader)
        case .float64: try fixed(info, Double.self, reader)
        case .bool: try bools(info, reader)
        case .string, .largeString: try strings(info, reader)
        case .binary, .largeBinary: try binaries(info, reader)
        case .dictionary: preconditionFailure("dictionary-encoded columns are read by dictionaryColumn(_:reader:)")
        }
    }

    /// A dictionary-encoded column read through ``ColFileReader/dictionaryColumn(_:)``: its rows'
    /// values, and its dictionary's entries.
    private static func dictionaryColumn(_ info: ColumnInfo, _ reader: ColFileReader) throws -> ExpectedColumn {
        let column = try reader.dictionaryColumn(info.name)
        let entries = column.dictionary
        let entryValues: [ExpectedValue] = (0..<entries.count).map { entry in
            switch entries.valueType {
            case .int8: .of(entries.value(at: entry, as: Int8.self))
            case .int16: .of(entries.value(at: entry, as: Int16.self))
            case .int32: .of(entries.value(at: entry, as: Int32.self))
            case .int64: .of(entries.value(at: entry, as: Int64.self))
            case .uint8: .of(entries.value(at: entry, as: UInt8.self))
            case .uint16: .of(entries.value(at: entry, as: UInt16.self))
            case .uint32: .of(entries.value(at: entry, as: UInt32.self))
            case .uint64: .of(entries.value(at: entry, as: UInt64.self))
            case .float16: .of(entries.value(at: entry, as: Float16.self))
            case .float32: .of(entries.value(at: entry, as: Float.self))
            case .float64: .of(entries.value(at: entry, as: Double.self))
            case .string, .largeString: .text(entries.string(at: entry))
            case .binary, .largeBinary: .hex(entries.bytes(at: entry))
            case .bool, .dictionary: preconditionFailure("the reader refuses dictionaries of \(entries.valueType)")
            }
        }
        let values = (0..<column.count).map { row in column.index(at: row).map { entryValues[$0] } ?? .null }
        return ExpectedColumn(name: info.name, physicalType: info.physicalType.description,
                              logicalType: info.logicalType.description, shape: info.shape, nullCount: info.nullCount,
                              metadata: info.metadata, values: values,
                              dictionary: ExpectedDictionary(indexType: column.encoding.indexType.description,
                                                             valueType: column.encoding.valueType.description,
                                                             entries: entryValues))
    }

    private static func strings(_ info: ColumnInfo, _ reader: ColFileReader) throws -> [ExpectedValue] {
        let column = try reader.stringColumn(info.name)
        return column.indices.map { column.value(at: $0).map(ExpectedValue.text) ?? .null }
    }

    private static func binaries(_ info: ColumnInfo, _ reader: ColFileReader) throws -> [ExpectedValue] {
        let column = try reader.binaryColumn(info.name)
        return column.indices.map { column.value(at: $0).map(ExpectedValue.hex) ?? .null }
    }

    private static func bools(_ info: ColumnInfo, _ reader: ColFileReader) throws -> [ExpectedValue] {
        let column = try reader.boolColumn(info.name)
        return column.indices.map { column.value(at: $0).map(ExpectedValue.bool) ?? .null }
    }

    private static func fixed<Element: FixedWidthElement>(
        _ info: ColumnInfo, _ type: Element.Type, _ reader: ColFileReader
    ) throws -> [ExpectedValue] {
        if info.shape.isEmpty {
            let column = try reader.column(info.name, as: type)
            return column.indices.map { column.value(at: $0).map(ExpectedValue.of) ?? .null }
        }
        let column = try reader.tensorColumn(info.name, as: type)
        return column.indices.map { row in
            column[row].map { .array($0.map(ExpectedValue.of)) } ?? .null
        }
    }
}
