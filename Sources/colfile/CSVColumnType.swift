import ColFile

/// The colfile type a CSV column is stored as: one that inference picks, or one that only
/// `--schema` can give (other integer and float widths, binary, tensors).
enum CSVColumnType: Equatable, CustomStringConvertible {
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
    /// A numeric column of another width (`--schema` only): Int8 … UInt64, Float16, Float32.
    case number(PhysicalType)
    /// A Binary column whose fields are base64 (`--schema` only).
    case binary
    /// A tensor column: each field is `[v1,v2,...]`, the row's values flattened (`--schema` only).
    case tensor(PhysicalType, shape: [Int])

    /// The name used by `--schema`, by `colfile inspect --schema`, and in messages.
    var description: String {
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
        }
    }

    /// The numeric physical types `--schema` names, by name.
    private static let numberTypes: [String: PhysicalType] = [
        "int8": .int8, "int16": .int16, "int32": .int32, "int64": .int64,
        "uint8": .uint8, "uint16": .uint16, "uint32": .uint32, "uint64": .uint64,
        "float16": .float16, "float32": .float32, "float64": .float64,
    ]

    private static func numberName(_ type: PhysicalType) -> String {
        numberTypes.first { $0.value == type }!.key
    }

    /// The type of a column of an existing colfile file, or nil when CSV cannot carry it
    /// (a Bool tensor, or a logical type this tool does not know).
    init?(_ info: ColumnInfo) {
        switch (info.physicalType, info.logicalType, info.shape.isEmpty) {
        case (.int32, .date, true): self = .date
        case (.int64, .timestamp(let unit, let zone), true): self = .timestamp(unit, zoned: zone != nil)
        case (_, .none, false):
            guard info.physicalType.elementSize != nil else { return nil }
            self = .tensor(info.physicalType, shape: info.shape)
        case (.bool, .none, true): self = .bool
        case (.int64, .none, true): self = .int64
        case (.float64, .none, true): self = .float64
        case (.string, .none, true), (.largeString, .none, true): self = .string
        case (.binary, .none, true), (.largeBinary, .none, true): self = .binary
        case (let type, .none, true) where type.elementSize != nil: self = .number(type)
        default: return nil
        }
    }

    /// The type `--schema` names `name`, any letter case: `bool`, `int8` … `int64`, `uint8` …
    /// `uint64`, `float16`, `float32`, `float64`, `date`, `timestamp` (unit and zone inferred),
    /// `timestamp(UNIT)` (no zone), `timestamptz` / `timestamptz(UNIT)` (UTC) with UNIT one of
    /// s, ms, us, ns, `string`, `binary` (base64), and tensors `TYPE[N]` or `TYPE[AxB...]` with
    /// TYPE numeric. Also `int`, `float`, `double`, `boolean`, `text`.
    ///
    /// - Returns: the type, and whether its timestamp unit and zone are left to inference.
    static func named(_ name: String) -> (type: CSVColumnType, infersTimestamp: Bool)? {
        let name = name.lowercased()
        switch name {
        case "int": return (.int64, false)
        case "float", "double": return (.float64, false)
        case "bool", "boolean": return (.bool, false)
        case "date": return (.date, false)
        case "string", "text": return (.string, false)
        case "binary": return (.binary, false)
        case "timestamp": return (.timestamp(.milliseconds, zoned: false), true)
        case "timestamptz": return (.timestamp(.milliseconds, zoned: true), true)
        default: break
        }
        if let type = numberTypes[name] {
            switch type {
            case .int64: return (.int64, false)
            case .float64: return (.float64, false)
            default: return (.number(type), false)
            }
        }
        if name.hasSuffix(")"), let open = name.firstIndex(of: "(") {
            let kind = name[..<open]
            let unitName = name[name.index(after: open)..<name.index(before: name.endIndex)]
            guard kind == "timestamp" || kind == "timestamptz",
                  let unit = [TimeUnit.seconds, .milliseconds, .microseconds, .nanoseconds]
                    .first(where: { $0.description == unitName }) else { return nil }
            return (.timestamp(unit, zoned: kind == "timestamptz"), false)
        }
        if name.hasSuffix("]"), let open = name.firstIndex(of: "["), let type = numberTypes[String(name[..<open])] {
            let dimensions = name[name.index(after: open)..<name.index(before: name.endIndex)]
                .split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            guard !dimensions.isEmpty, dimensions.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
            let shape = dimensions.map { $0! }
            guard shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) <= 1 << 24 else { return nil }
            return (.tensor(type, shape: shape), false)
        }
        return nil
    }
}

/// What the values of one column seen so far require: the narrowest type that holds all of them.
///
/// Types widen Bool → String, Int64 → Float64 → String, Date → Timestamp → String, and any two
/// different families to String. Int64 widens to Float64 only if every integer seen is exactly a
/// Float64 (|value| ≤ 2⁵³); otherwise the column becomes String, so no digit is lost. A Timestamp's
/// unit is the finest its fractions need (ms up to 3 digits, µs up to 6, ns up to 9); nanoseconds
/// only reach the years 1678–2261, so a column needing them outside that range becomes String.
struct CSVColumnInference {
    private enum Family { case bool, int, float, date, timestamp, string }

    private var family: Family?
    private var intsAreExactDoubles = true
    private var fractionDigits = 0
    private var zoned = false
    private var minSeconds = Int64.max
    private var maxSeconds = Int64.min
    /// The type `--schema` fixed, if it did (a `timestamp` or `timestamptz` without a unit still
    /// has its unit inferred).
    let forced: CSVColumnType?
    private let infersTimestamp: Bool

    /// Inference for a column whose type is inferred, or whose type `forced` gives.
    init(forced: (type: CSVColumnType, infersTimestamp: Bool)? = nil) {
        self.forced = forced?.type
        infersTimestamp = forced?.infersTimestamp ?? false
        if case .timestamp(_, let zoned) = forced?.type { self.zoned = zoned }
        family = switch forced?.type {
        case nil: nil
        case .bool: .bool
        case .int64: .int
        case .float64: .float
        case .date: .date
        case .timestamp: .timestamp
        case .string, .number, .binary, .tensor: .string
        }
    }

    /// Whether every value will be stored as text, so fields need no parsing.
    var isString: Bool { forced == nil && family == .string || forced == .string }

    /// Whether values are observed: inferred columns, and forced timestamps whose unit is inferred.
    var observes: Bool { forced == nil || infersTimestamp }

    /// The type that holds every value observed (String for a column of nulls only).
    var type: CSVColumnType {
        if let forced, !infersTimestamp { return forced }
        switch family {
        case nil, .string: return .string
        case .bool: return .bool
        case .int: return .int64
        case .float: return intsAreExactDoubles || forced != nil ? .float64 : .string
        case .date: return .date
        case .timestamp:
            let unit: TimeUnit = fractionDigits <= 3 ? .milliseconds : fractionDigits <= 6 ? .microseconds : .nanoseconds
            if unit == .nanoseconds, minSeconds < -9_223_372_036 || maxSeconds > 9_223_372_035 { return .string }
            return .timestamp(unit, zoned: zoned)
        }
    }

    /// Widens the type, if needed, to hold `token`.
    mutating func observe(_ token: CSVToken) {
        guard family != .string else { return }
        let next: Family
        switch token {
        case .bool: next = .bool
        case .int(let value):
            next = .int
            if value.magnitude > 1 << 53 { intsAreExactDoubles = false }
        case .float: next = .float
        case .date(let days):
            next = .date
            noteSeconds(Int64(days) * 86_400)
        case .timestamp(let instant):
            next = .timestamp
            fractionDigits = max(fractionDigits, instant.fractionDigits)
            zoned = zoned || instant.zoned
            noteSeconds(instant.seconds)
        case .text: next = .string
        }
        family = Self.join(family, next)
    }

    private mutating func noteSeconds(_ seconds: Int64) {
        minSeconds = min(minSeconds, seconds)
        maxSeconds = max(maxSeconds, seconds)
    }

    private static func join(_ current: Family?, _ next: Family) -> Family {
        guard let current, current != next else { return next }
        switch (current, next) {
        case (.int, .float), (.float, .int): return .float
        case (.date, .timestamp), (.timestamp, .date): return .timestamp
        default: return .string
        }
    }
}

/// The `--schema name:type,...` option, parsed.
enum CSVSchemaOption {
    /// The forced type of each named column, and whether a timestamp's unit and zone are inferred.
    static func parse(_ text: String) throws -> [String: (type: CSVColumnType, infersTimestamp: Bool)] {
        var result: [String: (type: CSVColumnType, infersTimestamp: Bool)] = [:]
        for entry in try NameList.split(text, option: "--schema") {
            guard let colon = entry.lastIndex(of: ":"), colon != entry.startIndex,
                  let type = CSVColumnType.named(String(entry[entry.index(after: colon)...])) else {
                throw ToolFailure.usage("--schema: '\(entry)' is not NAME:TYPE with TYPE one of bool, int8, int16, "
                                        + "int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64, "
                                        + "date, timestamp[(s|ms|us|ns)], timestamptz[(UNIT)], string, binary, "
                                        + "or a tensor like float32[8] or int64[2x3]")
            }
            let name = String(entry[..<colon])
            guard result[name] == nil else { throw ToolFailure.usage("--schema names column '\(name)' twice") }
            result[name] = type
        }
        return result
    }

    /// The `--schema` text that gives `columns` their types, for `colfile inspect --schema`.
    ///
    /// An entry whose name holds a comma (or starts with a quote) is quoted (``NameList``).
    ///
    /// - Throws: ``ToolFailure`` (data) for a column CSV cannot carry.
    static func text(for columns: [ColumnInfo], file: String) throws -> String {
        try columns.map { info in
            guard let type = CSVColumnType(info) else {
                throw ToolFailure.data("\(file): column '\(info.name)' (\(info.physicalType)) has no CSV form")
            }
            return NameList.spelling("\(info.name):\(type)")
        }.joined(separator: ",")
    }
}
