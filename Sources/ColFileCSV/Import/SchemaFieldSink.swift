import ColFile

/// The stream of a column whose schema type is one inference never picks (other integer and float
/// widths, binary, tensors): each field is parsed straight to the stored type.
protocol SchemaFieldSink: AnyObject {
    /// Parses `field` and appends it as one row.
    ///
    /// - Returns: false, appending nothing, when `field` is not a value of the column's type.
    func append(field: Span<UInt8>) throws -> Bool

    /// Appends a null row.
    func appendNull() throws
}

/// Opens the ``SchemaFieldSink`` for column `name` of a schema type.
enum SchemaFieldSinks {
    /// The sink for `type`, which is ``CSVColumnType/number(_:)``, ``CSVColumnType/binary``,
    /// ``CSVColumnType/dictionaryBinary`` or ``CSVColumnType/tensor(_:shape:)``.
    static func open(_ writer: ColFileWriter, name: String, type: CSVColumnType) throws -> any SchemaFieldSink {
        switch type {
        case .binary: return BinaryFieldSink(try writer.streamBinaryColumn(name))
        case .dictionaryBinary: return BinaryFieldSink(try writer.streamBinaryColumn(name, dictionary: .always))
        case .number(let element): return try numbers(writer, name: name, element: element, shape: [])
        case .tensor(let element, let shape): return try numbers(writer, name: name, element: element, shape: shape)
        default: preconditionFailure("\(type) is written from inferred tokens, not by a schema field sink")
        }
    }

    private static func numbers(_ writer: ColFileWriter, name: String, element: PhysicalType, shape: [Int]) throws
        -> any SchemaFieldSink {
        switch element {
        case .int8: try NumberFieldSink(writer, name, shape, parse: integer(Int8.self))
        case .int16: try NumberFieldSink(writer, name, shape, parse: integer(Int16.self))
        case .int32: try NumberFieldSink(writer, name, shape, parse: integer(Int32.self))
        case .int64: try NumberFieldSink(writer, name, shape, parse: integer(Int64.self))
        case .uint8: try NumberFieldSink(writer, name, shape, parse: unsigned(UInt8.self))
        case .uint16: try NumberFieldSink(writer, name, shape, parse: unsigned(UInt16.self))
        case .uint32: try NumberFieldSink(writer, name, shape, parse: unsigned(UInt32.self))
        case .uint64: try NumberFieldSink(writer, name, shape, parse: unsigned(UInt64.self))
        case .float16: try NumberFieldSink(writer, name, shape, parse: float(Float16.self))
        case .float32: try NumberFieldSink(writer, name, shape, parse: float(Float.self))
        case .float64: try NumberFieldSink(writer, name, shape, parse: float(Double.self))
        default: preconditionFailure("\(element) is not a numeric type")
        }
    }

    private static func integer<T: FixedWidthInteger>(_: T.Type) -> (Span<UInt8>) -> T? {
        { bytes in CSVValueParser.integer(bytes, strict: false).flatMap { T(exactly: $0) } }
    }

    private static func unsigned<T: FixedWidthInteger>(_: T.Type) -> (Span<UInt8>) -> T? {
        { bytes in CSVValueParser.unsignedInteger(bytes).flatMap { T(exactly: $0) } }
    }

    private static func float<T: BinaryFloatingPoint & LosslessStringConvertible>(_: T.Type) -> (Span<UInt8>) -> T? {
        { bytes in CSVValueParser.float(bytes, as: T.self, strict: false) }
    }
}
