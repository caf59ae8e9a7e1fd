import ColFile

/// The colfile type a CSV column is stored as.
enum CSVColumnType: Equatable, CustomStringConvertible {
    /// A Bool column.
    case bool
    /// An Int64 column.
    case int64
    /// A Float64 column.
    case float64
    /// A Date column (Int32 days).
    case date
    /// A Timestamp column (Int64) in `unit`, with time zone `UTC` when any value gave a zone.
    case timestamp(TimeUnit, zoned: Bool)
    /// A String column.
    case string

    /// The name used by `--schema` and in messages.
    var description: String {
        switch self {
        case .bool: "bool"
        case .int64: "int64"
        case .float64: "float64"
        case .date: "date"
        case .timestamp: "timestamp"
        case .string: "string"
        }
    }

    /// The `--schema` names: `int64`, `float64`, `bool`, `timestamp`, `date`, `string` (any case;
    /// also `int`, `float`, `double`, `boolean`, `text`).
    static func named(_ name: String) -> CSVColumnType? {
        switch name.lowercased() {
        case "int64", "int": .int64
        case "float64", "float", "double": .float64
        case "bool", "boolean": .bool
        case "timestamp": .timestamp(.milliseconds, zoned: false)
        case "date": .date
        case "string", "text": .string
        default: nil
        }
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
    /// Whether `--schema` fixed the type; only a timestamp's unit and zone are still inferred.
    let isForced: Bool

    /// Inference for a column whose type is inferred, or whose type `forced` gives.
    init(forced: CSVColumnType? = nil) {
        isForced = forced != nil
        switch forced {
        case nil: family = nil
        case .bool: family = .bool
        case .int64: family = .int
        case .float64: family = .float
        case .date: family = .date
        case .timestamp: family = .timestamp
        case .string: family = .string
        }
    }

    /// Whether every value will be stored as text, so fields need no parsing.
    var isString: Bool { family == .string }

    /// The type that holds every value observed (String for a column of nulls only).
    var type: CSVColumnType {
        switch family {
        case nil, .string: return .string
        case .bool: return .bool
        case .int: return .int64
        case .float: return intsAreExactDoubles || isForced ? .float64 : .string
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
    /// The forced type of each named column.
    static func parse(_ text: String) throws -> [String: CSVColumnType] {
        var result: [String: CSVColumnType] = [:]
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let colon = entry.lastIndex(of: ":"), colon != entry.startIndex,
                  let type = CSVColumnType.named(String(entry[entry.index(after: colon)...])) else {
                throw ToolFailure.usage("--schema: '\(entry)' is not NAME:TYPE with TYPE one of "
                                        + "int64, float64, bool, timestamp, date, string")
            }
            let name = String(entry[..<colon])
            guard result[name] == nil else { throw ToolFailure.usage("--schema names column '\(name)' twice") }
            result[name] = type
        }
        return result
    }
}
