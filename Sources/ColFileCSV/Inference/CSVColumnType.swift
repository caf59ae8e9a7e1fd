import ColFile

/// The colfile type a CSV column is stored as: one that inference picks, or one that only a
/// schema (``CSVSchema``) can give (other integer and float widths, binary, tensors).
public enum CSVColumnType: Sendable, Equatable, CustomStringConvertible {
    /// A Bool column.
    case bool
    /// An Int64 column.
    case int64
    /// A Float64 column.
    case float64
    /// A Date column (Int32 days).
    case date
    /// A Timestamp column (Int64) in `unit`, with time zone `UTC` when `zoned`.
    case timestamp(TimeUnit, zoned: Bool)
    /// A String column.
    case string
    /// A numeric column of another width (a schema only): Int8 … UInt64, Float16, Float32.
    case number(PhysicalType)
    /// A Binary column whose fields are base64 (a schema only).
    case binary
    /// A tensor column: each field is `[v1,v2,...]`, the row's values flattened (a schema only).
    case tensor(PhysicalType, shape: [Int])
    /// A String column stored dictionary-encoded whatever its values (a schema only:
    /// `dictionary(string)`; an inferred String column is dictionary-encoded when that makes it at
    /// most half as large, ``DictionaryPolicy/automatic``).
    case dictionaryString
    /// A Binary column (fields in base64) stored dictionary-encoded (a schema only: `dictionary(binary)`).
    case dictionaryBinary

    /// The name a schema uses (``CSVSchema``), also used in messages: `int64`, `timestamp(ms)`,
    /// `float32[2x3]`.
    public var description: String {
        switch self {
        case .bool: "bool"
        case .int64: "int64"
        case .float64: "float64"
        case .date: "date"
        case .timestamp(let unit, let zoned): "\(zoned ? "timestamptz" : "timestamp")(\(unit))"
        case .string: "string"
        case .number(let type): Self.numberName(type)
        case .binary: "binary"
        case .tensor(let type, let shape): Self.numberName(type) + "[" + shape.map(String.init).joined(separator: "x") + "]"
        case .dictionaryString: "dictionary(string)"
        case .dictionaryBinary: "dictionary(binary)"
        }
    }

    /// The numeric physical types a schema names, by name.
    private static let numberTypes: [String: PhysicalType] = [
        "int8": .int8, "int16": .int16, "int32": .int32, "int64": .int64,
        "uint8": .uint8, "uint16": .uint16, "uint32": .uint32, "uint64": .uint64,
        "float16": .float16, "float32": .float32, "float64": .float64,
    ]

    private static func numberName(_ type: PhysicalType) -> String {
        numberTypes.first { $0.value == type }!.key
    }

    /// The type of a column of an existing colfile file, or nil when CSV cannot carry it
    /// (a Bool tensor, or a logical type this library does not know). A dictionary-encoded column
    /// of strings or byte strings is `dictionary(string)` or `dictionary(binary)`; one of another
    /// value type is that type's plain column (its values come back the same, not encoded).
    public init?(_ info: ColumnInfo) {
        if let dictionary = info.dictionary {
            switch dictionary.valueType {
            case .string, .largeString: self = .dictionaryString
            case .binary, .largeBinary: self = .dictionaryBinary
            default:
                var plain = info
                plain.physicalType = dictionary.valueType
                plain.dictionary = nil
                self.init(plain)
            }
            return
        }
        self.init(info.physicalType, info.logicalType, shape: info.shape)
    }

    /// The type of a dataset's column, or nil when CSV cannot carry it (as for a file's column,
    /// and a timestamp whose time zone is another than UTC, the only zone an import writes).
    public init?(_ column: DatasetColumn) {
        if case .timestamp(_, let zone?) = column.logicalType, zone != "UTC" { return nil }
        self.init(column.physicalType, column.logicalType, shape: column.shape)
    }

    private init?(_ physicalType: PhysicalType, _ logicalType: LogicalType, shape: [Int]) {
        switch (physicalType, logicalType, shape.isEmpty) {
        case (.int32, .date, true): self = .date
        case (.int64, .timestamp(let unit, let zone), true): self = .timestamp(unit, zoned: zone != nil)
        case (_, .none, false):
            guard physicalType.elementSize != nil else { return nil }
            self = .tensor(physicalType, shape: shape)
        case (.bool, .none, true): self = .bool
        case (.int64, .none, true): self = .int64
        case (.float64, .none, true): self = .float64
        case (.string, .none, true), (.largeString, .none, true): self = .string
        case (.binary, .none, true), (.largeBinary, .none, true): self = .binary
        case (let type, .none, true) where type.elementSize != nil: self = .number(type)
        default: return nil
        }
    }

    /// The type a schema names `name`, any letter case: `bool`, `int8` … `int64`, `uint8` …
    /// `uint64`, `float16`, `float32`, `float64`, `date`, `timestamp` (unit and zone inferred),
    /// `timestamp(UNIT)` (no zone), `timestamptz` / `timestamptz(UNIT)` (UTC) with UNIT one of
    /// s, ms, us, ns, `string`, `binary` (base64), and tensors `TYPE[N]` or `TYPE[AxB...]` with
    /// TYPE numeric, and `dictionary(string)` and `dictionary(binary)` (stored dictionary-encoded;
    /// a plain `string` or `binary` is never encoded). Also `int`, `float`, `double`, `boolean`, `text`.
    ///
    /// - Returns: The type, and whether its timestamp unit and zone are left to inference; nil for
    ///   a name that is none of these.
    public static func named(_ name: String) -> CSVSchemaType? {
        let name = name.lowercased()
        switch name {
        case "int": return CSVSchemaType(.int64)
        case "float", "double": return CSVSchemaType(.float64)
        case "bool", "boolean": return CSVSchemaType(.bool)
        case "date": return CSVSchemaType(.date)
        case "string", "text": return CSVSchemaType(.string)
        case "binary": return CSVSchemaType(.binary)
        case "dictionary(string)", "dictionary(text)": return CSVSchemaType(.dictionaryString)
        case "dictionary(binary)": return CSVSchemaType(.dictionaryBinary)
        case "timestamp": return CSVSchemaType(.timestamp(.milliseconds, zoned: false), infersTimestamp: true)
        case "timestamptz": return CSVSchemaType(.timestamp(.milliseconds, zoned: true), infersTimestamp: true)
        default: break
        }
        if let type = numberTypes[name] {
            switch type {
            case .int64: return CSVSchemaType(.int64)
            case .float64: return CSVSchemaType(.float64)
            default: return CSVSchemaType(.number(type))
            }
        }
        if name.hasSuffix(")"), let open = name.firstIndex(of: "(") {
            let kind = name[..<open]
            let unitName = name[name.index(after: open)..<name.index(before: name.endIndex)]
            guard kind == "timestamp" || kind == "timestamptz",
                  let unit = [TimeUnit.seconds, .milliseconds, .microseconds, .nanoseconds]
                    .first(where: { $0.description == unitName }) else { return nil }
            return CSVSchemaType(.timestamp(unit, zoned: kind == "timestamptz"))
        }
        if name.hasSuffix("]"), let open = name.firstIndex(of: "["), let type = numberTypes[String(name[..<open])] {
            let dimensions = name[name.index(after: open)..<name.index(before: name.endIndex)]
                .split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            guard !dimensions.isEmpty, dimensions.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
            let shape = dimensions.map { $0! }
            guard shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) <= 1 << 24 else { return nil }
            return CSVSchemaType(.tensor(type, shape: shape))
        }
        return nil
    }
}
