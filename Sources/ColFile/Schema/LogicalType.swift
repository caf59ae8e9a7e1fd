/// The unit of a timestamp column (Specification.md §5.2, field at offset 10).
public enum TimeUnit: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Seconds since the epoch.
    case seconds = 0
    /// Milliseconds since the epoch.
    case milliseconds = 1
    /// Microseconds since the epoch.
    case microseconds = 2
    /// Nanoseconds since the epoch.
    case nanoseconds = 3

    /// The short name: `s`, `ms`, `us` or `ns`.
    public var description: String {
        switch self {
        case .seconds: "s"
        case .milliseconds: "ms"
        case .microseconds: "us"
        case .nanoseconds: "ns"
        }
    }
}

/// What a column's physical values mean (Specification.md §6.2).
public enum LogicalType: Sendable, Hashable, CustomStringConvertible {
    /// Plain values of the physical type.
    case none
    /// Int64 time since 1970-01-01T00:00:00Z in `unit`, displayed in `timeZone` when given
    /// (an IANA name such as `Europe/Paris`, or `+HH:MM`).
    case timestamp(unit: TimeUnit, timeZone: String?)
    /// Int32 days since 1970-01-01.
    case date
    /// A logical type code this reader does not know; the column is read by its physical type.
    case unknown(code: UInt8)

    /// The code stored in the file.
    var code: UInt8 {
        switch self {
        case .none: 0
        case .timestamp: 1
        case .date: 2
        case .unknown(let code): code
        }
    }

    /// The physical type this logical type requires, if it requires one.
    var requiredPhysicalType: PhysicalType? {
        switch self {
        case .timestamp: .int64
        case .date: .int32
        case .none, .unknown: nil
        }
    }

    /// For example `Timestamp(ms, UTC)`, `Date` or `none`.
    public var description: String {
        switch self {
        case .none: "none"
        case .timestamp(let unit, let timeZone?): "Timestamp(\(unit), \(timeZone))"
        case .timestamp(let unit, nil): "Timestamp(\(unit))"
        case .date: "Date"
        case .unknown(let code): "unknown(\(code))"
        }
    }
}
