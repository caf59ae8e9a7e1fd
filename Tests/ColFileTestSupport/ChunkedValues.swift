import ColFile

extension ExpectedValue {
    /// Row `row` of `column` read through its random-access API (``ChunkedColumn``), in the form
    /// the fixtures' JSON files spell it, so it compares with ``ExpectedColumn/values``. Also
    /// checks `isNull` against the value read and, for strings, `bytes(at:)` against `string(at:)`.
    ///
    /// - Throws: what the column's accessors throw (decoding errors of a cold column).
    public init(row: Int, of column: ChunkedColumn) throws {
        let info = column.info
        let value: ExpectedValue
        // A dictionary-encoded column reads through the same accessors, by its value type.
        switch info.valueType {
        case .int8: value = try Self.fixed(column, row, Int8.self)
        case .int16: value = try Self.fixed(column, row, Int16.self)
        case .int32: value = try Self.fixed(column, row, Int32.self)
        case .int64: value = try Self.fixed(column, row, Int64.self)
        case .uint8: value = try Self.fixed(column, row, UInt8.self)
        case .uint16: value = try Self.fixed(column, row, UInt16.self)
        case .uint32: value = try Self.fixed(column, row, UInt32.self)
        case .uint64: value = try Self.fixed(column, row, UInt64.self)
        case .float16: value = try Self.fixed(column, row, Float16.self)
        case .float32: value = try Self.fixed(column, row, Float.self)
        case .float64: value = try Self.fixed(column, row, Double.self)
        case .bool: value = try column.bool(at: row).map(ExpectedValue.bool) ?? .null
        case .string, .largeString:
            let text = try column.string(at: row)
            let bytes = try column.bytes(at: row)
            value = text.map(ExpectedValue.text) ?? .null
            guard bytes == text.map({ Array($0.utf8) }) else {
                throw ColFileError(.typeMismatch, path: "", column: info.name,
                                   message: "bytes(at: \(row)) disagrees with string(at: \(row))")
            }
        case .binary, .largeBinary: value = try column.bytes(at: row).map(ExpectedValue.hex) ?? .null
        case .dictionary: preconditionFailure("a dictionary's values are never dictionaries")
        }
        guard try column.isNull(row) == (value == .null) else {
            throw ColFileError(.typeMismatch, path: "", column: info.name,
                               message: "isNull(\(row)) disagrees with the value read")
        }
        self = value
    }

    private static func fixed<Element: FixedWidthElement>(_ column: ChunkedColumn, _ row: Int, _ type: Element.Type)
        throws -> ExpectedValue {
        if column.info.shape.isEmpty {
            return try column.value(at: row, as: type).map(ExpectedValue.of) ?? .null
        }
        return try column.tensorRow(at: row, as: type).map { .array($0.map(ExpectedValue.of)) } ?? .null
    }
}
