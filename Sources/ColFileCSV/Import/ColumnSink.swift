import ColFile

/// The writer's stream for one imported column, converting tokens to the stored type.
enum ColumnSink {
    case bool(BoolColumnStream)
    // Fixed-width columns are columns of the writer's table (no stream, spill or staging
    // buffer per column while they are small).
    case int64(TableColumnAppender<Int64>)
    case float64(TableColumnAppender<Double>)
    case date(TableColumnAppender<Int32>)
    case timestamp(TableColumnAppender<Int64>, unit: TimeUnit)
    case string(VariableLengthColumnStream)
    /// A type only a schema gives, parsed from the field.
    case schema(any SchemaFieldSink)

    /// Opens the stream for column `name` of `type`, a type stored as a stream of its own
    /// (``tableColumnTypes(_:)`` is nil); an inferred String column is stored dictionary-encoded
    /// as `dictionary` says.
    init(writer: ColFileWriter, name: String, type: CSVColumnType, dictionary: DictionaryPolicy = .never) throws {
        switch type {
        case .bool: self = .bool(try writer.streamBoolColumn(name))
        case .string: self = .string(try writer.streamStringColumn(name, dictionary: dictionary))
        case .dictionaryString: self = .string(try writer.streamStringColumn(name, dictionary: .always))
        case .number, .binary, .tensor, .dictionaryBinary:
            self = .schema(try SchemaFieldSinks.open(writer, name: name, type: type))
        case .int64, .float64, .date, .timestamp:
            preconditionFailure("a column of the writer's table opened as a stream")
        }
    }

    /// The physical and logical type of a column of `type` in the writer's table
    /// (``ColFile/ColFileWriter/openTableColumns(_:column:opened:)``), nil for a type stored as a
    /// stream of its own.
    static func tableColumnTypes(_ type: CSVColumnType) -> (physicalType: PhysicalType, logicalType: LogicalType)? {
        switch type {
        case .int64: (.int64, .none)
        case .float64: (.float64, .none)
        case .date: (.int32, .date)
        case .timestamp(let unit, let zoned): (.int64, .timestamp(unit: unit, timeZone: zoned ? "UTC" : nil))
        case .bool, .string, .dictionaryString, .number, .binary, .tensor, .dictionaryBinary: nil
        }
    }

    /// The sink of a column of `type`, started in the writer's table at `slot`.
    ///
    /// - Precondition: `type` is a table column's (``tableColumnTypes(_:)``).
    init(_ slot: TableColumnSlot, type: CSVColumnType) {
        switch type {
        case .int64: self = .int64(slot.appender(of: Int64.self))
        case .float64: self = .float64(slot.appender(of: Double.self))
        case .date: self = .date(slot.appender(of: Int32.self))
        case .timestamp(let unit, _): self = .timestamp(slot.appender(of: Int64.self), unit: unit)
        case .bool, .string, .dictionaryString, .number, .binary, .tensor, .dictionaryBinary:
            preconditionFailure("a column of type \(type) is not a table column")
        }
    }

    /// Appends a null row.
    func appendNull() throws {
        switch self {
        case .bool(let stream): try stream.append(nil)
        case .int64(let stream): try stream.append(nil)
        case .float64(let stream): try stream.append(nil)
        case .date(let stream): try stream.append(nil)
        case .timestamp(let stream, _): try stream.append(nil)
        case .string(let stream): try stream.append(bytes: nil)
        case .schema(let sink): try sink.appendNull()
        }
    }

    /// Whether the column has an empty value (String and Binary columns).
    var holdsEmptyValues: Bool {
        switch self {
        case .string: true
        case .schema(let sink): sink is BinaryFieldSink
        default: false
        }
    }

    /// Appends an empty value to a column that ``holdsEmptyValues``.
    func appendEmpty() throws {
        switch self {
        case .string(let stream): try stream.append(bytes: [])
        case .schema(let sink as BinaryFieldSink): try sink.appendEmpty()
        default: preconditionFailure("an empty value appended to a column that has none")
        }
    }

    /// Appends a field of a String column (UTF-8: the record source checked it).
    func append(text: Span<UInt8>) throws {
        guard case .string(let stream) = self else { preconditionFailure("text appended to a typed column") }
        try stream.append(bytes: text)
    }

    /// Appends a parsed value whose family fits the column's type (the importer checked); a
    /// String column (numbers that widened to text) stores the field itself.
    ///
    /// - Returns: false, appending nothing, when a timestamp has more digits of a second than
    ///   the column's unit holds or lies outside its range (only for a unit the schema fixed).
    func append(_ token: CSVToken, field: Span<UInt8>) throws -> Bool {
        switch (self, token) {
        case (.string(let stream), _): try stream.append(bytes: field)
        case (.bool(let stream), .bool(let value)): try stream.append(value)
        case (.int64(let stream), .int(let value)): try stream.append(value)
        case (.float64(let stream), .int(let value)): try stream.append(Double(value))
        case (.float64(let stream), .float(let value)): try stream.append(value)
        case (.date(let stream), .date(let days)): try stream.append(days)
        case (.timestamp(let stream, let unit), .date), (.timestamp(let stream, let unit), .timestamp):
            guard let value = Self.timestamp(token, unit: unit) else { return false }
            try stream.append(value)
        default: preconditionFailure("a value of another type reached column stream \(self)")
        }
        return true
    }

    /// The value a Timestamp column in `unit` stores for a date or timestamp token; nil for
    /// other tokens, a timestamp with more digits of a second than `unit` holds, or one out of
    /// its range.
    static func timestamp(_ token: CSVToken, unit: TimeUnit) -> Int64? {
        switch token {
        case .date(let days):
            scaled(seconds: Int64(days) * 86_400, nanoseconds: 0, unit: unit)
        case .timestamp(let instant):
            timestamp(instant, unit: unit)
        default:
            nil
        }
    }

    /// The value a Timestamp column in `unit` stores for `instant`; nil when it has more digits
    /// of a second than `unit` holds or lies outside its range (``timestamp(_:unit:)`` of a
    /// timestamp token).
    @inline(__always)
    static func timestamp(_ instant: CSVTimestamp, unit: TimeUnit) -> Int64? {
        guard instant.fractionDigits <= CivilTime.fractionDigits(unit) else { return nil }
        return scaled(seconds: instant.seconds, nanoseconds: instant.nanoseconds, unit: unit)
    }

    /// Seconds and nanoseconds in `unit`, or nil when that overflows Int64. Each unit divides by
    /// a constant (a multiplication, where a divisor computed from the unit was a division).
    @inline(__always)
    private static func scaled(seconds: Int64, nanoseconds: Int64, unit: TimeUnit) -> Int64? {
        let (perSecond, fraction): (Int64, Int64) = switch unit {
        case .seconds: (1, 0)
        case .milliseconds: (1_000, nanoseconds / 1_000_000)
        case .microseconds: (1_000_000, nanoseconds / 1_000)
        case .nanoseconds: (1_000_000_000, nanoseconds)
        }
        let (whole, overflow1) = seconds.multipliedReportingOverflow(by: perSecond)
        let (value, overflow2) = whole.addingReportingOverflow(fraction)
        return overflow1 || overflow2 ? nil : value
    }
}
