import ColFile

/// How the importer's typed loop reads the fields of an inferred fixed-width column: a type per
/// stored type, so that the loop, specialized for each, calls its readers directly (inlined)
/// rather than through closures that return their values indirectly.
protocol TypedFieldReader {
    /// The stored value.
    associatedtype Element

    /// The stored value of a field whose token ``value(_:)`` would take and whose observing
    /// changes nothing in the column's type (`state` may note what does not, a timestamp's
    /// seconds), read without a token; nil sends the field the long way. `field` lies at `range`
    /// of `text` (a reader may load the bytes around it).
    func plain(_ field: Span<UInt8>, in text: Span<UInt8>, at range: Range<Int>, _ state: inout CSVColumnInference)
        -> Element?

    /// The stored value of a token that fits the column's type, or nil when it is out of the
    /// type's range.
    func value(_ token: CSVToken) -> Element?

    /// Whether ``plain(_:in:at:_:)`` reads any field (false: every field goes the long way, and the
    /// importer does not try).
    static var readsPlain: Bool { get }
}

extension TypedFieldReader {
    static var readsPlain: Bool { true }
}

/// An Int64 column: a plain integer (``CSVValueParser/plainInteger(in:at:)``).
struct Int64FieldReader: TypedFieldReader {
    @inline(__always)
    func plain(_ field: Span<UInt8>, in text: Span<UInt8>, at range: Range<Int>, _ state: inout CSVColumnInference) -> Int64? {
        CSVValueParser.plainInteger(in: text, at: range)
    }

    func value(_ token: CSVToken) -> Int64? {
        if case .int(let value) = token { value } else { nil }
    }
}

/// A Float64 column: a plain integer or decimal (``CSVValueParser/plainNumber(in:at:)``).
struct Float64FieldReader: TypedFieldReader {
    @inline(__always)
    func plain(_ field: Span<UInt8>, in text: Span<UInt8>, at range: Range<Int>, _ state: inout CSVColumnInference) -> Double? {
        CSVValueParser.plainNumber(in: text, at: range)
    }

    func value(_ token: CSVToken) -> Double? {
        switch token {
        case .int(let value): Double(value)
        case .float(let value): value
        default: nil
        }
    }
}

/// A Bool column: `true` or `false` in any letter case (``CSVValueParser/plainBool(_:)``).
struct BoolFieldReader: TypedFieldReader {
    @inline(__always)
    func plain(_ field: Span<UInt8>, in text: Span<UInt8>, at range: Range<Int>, _ state: inout CSVColumnInference) -> Bool? {
        CSVValueParser.plainBool(field)
    }

    func value(_ token: CSVToken) -> Bool? {
        if case .bool(let value) = token { value } else { nil }
    }
}

/// A Date column: every field the long way.
struct DateFieldReader: TypedFieldReader {
    static var readsPlain: Bool { false }

    @inline(__always)
    func plain(_ field: Span<UInt8>, in text: Span<UInt8>, at range: Range<Int>, _ state: inout CSVColumnInference) -> Int32? {
        nil
    }

    func value(_ token: CSVToken) -> Int32? {
        if case .date(let days) = token { days } else { nil }
    }
}

/// A Timestamp column in `unit`: a timestamp of the common layout
/// (``CSVValueParser/plainTimestamp(_:)``) that changes nothing in the inference but the range
/// of seconds seen.
struct TimestampFieldReader: TypedFieldReader {
    let unit: TimeUnit

    @inline(__always)
    func plain(_ field: Span<UInt8>, in text: Span<UInt8>, at range: Range<Int>, _ state: inout CSVColumnInference) -> Int64? {
        guard let instant = CSVValueParser.plainTimestamp(field), state.observeIfUnchanged(instant) else { return nil }
        return ColumnSink.timestamp(instant, unit: unit)
    }

    func value(_ token: CSVToken) -> Int64? {
        ColumnSink.timestamp(token, unit: unit)
    }
}
