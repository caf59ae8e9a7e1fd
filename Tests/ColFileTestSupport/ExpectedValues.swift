import ColFile
import Foundation

/// One value of a column as the fixtures' JSON files spell it, so that a person can read it and a
/// comparison is exact: integers as JSON numbers (all 64 bits kept), floating-point values as text
/// (Swift's shortest round-trip form, `inf`, `-inf`, `-0.0`, and NaN as `nan(0xBITS)` so its
/// payload is kept), strings as JSON strings, binary values as lowercase hex text, tensor rows as
/// arrays of their values in row-major order, and null rows as `null`.
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

/// What a fixture's JSON file says about one column.
public struct ExpectedColumn: Codable, Hashable, Sendable {
    /// The column's name.
    public var name: String
    /// The physical type's name, e.g. `Int32` (``PhysicalType/description``).
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
            ExpectedColumn(name: info.name, physicalType: info.physicalType.description,
                           logicalType: info.logicalType.description, shape: info.shape, nullCount: info.nullCount,
                           metadata: info.metadata, values: try ExpectedFile.values(of: info, in: reader))
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
        }
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
