import ColFile

/// What the values of one column seen so far require: the narrowest type that holds all of them.
///
/// Types widen Bool → String, Int64 → Float64 → String, Date → Timestamp → String, and any two
/// different families to String. Int64 widens to Float64 only if every integer seen is exactly a
/// Float64 (|value| ≤ 2⁵³); otherwise the column becomes String, so no digit is lost. A Timestamp's
/// unit is the finest its fractions need (ms up to 3 digits, µs up to 6, ns up to 9); nanoseconds
/// only reach the years 1678–2261, so a column needing them outside that range becomes String.
struct CSVColumnInference {
    private enum Family { case bool, int, float, date, timestamp, string }

    // The fields ordered widest first, so the one-byte ones share the last word (48 bytes a
    // column, not 64: ``ImportColumns`` holds one for each of a wide table's 50,000 columns).
    private var minSeconds = Int64.max
    private var maxSeconds = Int64.min
    private var fractionDigits = 0
    /// The type the schema fixed, if it did (a `timestamp` or `timestamptz` without a unit still
    /// has its unit inferred).
    let forced: CSVColumnType?
    private var family: Family?
    private var intsAreExactDoubles = true
    private var zoned = false
    private let infersTimestamp: Bool

    /// Inference for a column whose type is inferred, or whose type `forced` gives.
    init(forced: CSVSchemaType? = nil) {
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
        case .string, .number, .binary, .tensor, .dictionaryString, .dictionaryBinary: .string
        }
    }

    /// Whether every value will be stored as text, so fields need no parsing.
    var isString: Bool { forced == nil && family == .string || forced == .string || forced == .dictionaryString }

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

    /// Whether observing the value of `field` (not null, unquoted or not) surely changes nothing,
    /// known without classifying it: a plain integer of at most 2⁵³ in an Int64 or Float64 column,
    /// a plain decimal in a Float64 column. So inference alone skips the full classification of
    /// most fields of a numeric column (a sample pass over 50,000 columns classified 800,000).
    func isUnchanged(byPlain field: Span<UInt8>) -> Bool {
        switch family {
        case .int: CSVValueParser.plainInteger(field) != nil
        case .float: CSVValueParser.plainNumber(field) != nil
        default: false
        }
    }

    /// Observes the value of the field at `range` of `text` (not null) in an inferred column,
    /// classifying it only when it may change the type (``isUnchanged(byPlain:)``; an Int64
    /// column's plain integers are told by ``CSVValueParser/isPlainInteger(in:at:)``).
    ///
    /// - Returns: false once the column is String: no value can change its type any more.
    mutating func observe(fieldAt range: Range<Int>, of text: Span<UInt8>) -> Bool {
        assert(forced == nil, "only an inferred column observes its fields")
        if family == .int, CSVValueParser.isPlainInteger(in: text, at: range) { return true }
        let field = text.extracting(range)
        if !isUnchanged(byPlain: field) { observe(CSVValueParser.classify(field)) }
        return family != .string
    }

    /// Observes a timestamp that surely changes nothing in ``type``, as ``observe(_:)`` would
    /// (an inferred Timestamp column, no more digits of a second than seen, a zone only where
    /// one was seen; its seconds widen the range the nanosecond unit's check uses, while that
    /// cannot change the type); returns false, observing nothing, for any other.
    @inline(__always)
    mutating func observeIfUnchanged(_ instant: CSVTimestamp) -> Bool {
        guard forced == nil, family == .timestamp, instant.fractionDigits <= fractionDigits,
              zoned || !instant.zoned else { return false }
        let seconds = instant.seconds
        if seconds < minSeconds || seconds > maxSeconds {
            guard fractionDigits <= 6 else { return false }
            minSeconds = min(minSeconds, seconds)
            maxSeconds = max(maxSeconds, seconds)
        }
        return true
    }

    /// Widens the type, if needed, to hold `token`.
    ///
    /// - Returns: whether ``type`` may have changed; false when it is surely the type it was
    ///   (so an importer checking every value against the type it writes need not compute it).
    @discardableResult
    mutating func observe(_ token: CSVToken) -> Bool {
        guard family != .string else { return false }
        let next: Family
        var changed = false
        switch token {
        case .bool: next = .bool
        case .int(let value):
            next = .int
            if value.magnitude > 1 << 53, intsAreExactDoubles {
                intsAreExactDoubles = false
                changed = true
            }
        case .float: next = .float
        case .date(let days):
            next = .date
            changed = noteSeconds(Int64(days) * 86_400)
        case .timestamp(let instant):
            next = .timestamp
            if instant.fractionDigits > fractionDigits {
                fractionDigits = instant.fractionDigits
                changed = true
            }
            if instant.zoned, !zoned {
                zoned = true
                changed = true
            }
            changed = noteSeconds(instant.seconds) || changed
        case .text: next = .string
        }
        let joined = Self.join(family, next)
        if joined != family {
            family = joined
            changed = true
        }
        return changed
    }

    /// Widens the range of seconds seen to hold `seconds`.
    ///
    /// - Returns: whether that may change ``type``: the range matters only to a column of
    ///   nanoseconds (more than 6 digits of a second).
    private mutating func noteSeconds(_ seconds: Int64) -> Bool {
        guard seconds < minSeconds || seconds > maxSeconds else { return false }
        minSeconds = min(minSeconds, seconds)
        maxSeconds = max(maxSeconds, seconds)
        return fractionDigits > 6
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
