import ColFile
import Foundation

/// The stream of a column whose `--schema` type inference never picks (other integer and float
/// widths, binary, tensors): each field is parsed straight to the stored type.
protocol SchemaFieldSink: AnyObject {
    /// Parses `field` and appends it as one row.
    ///
    /// - Returns: false, appending nothing, when `field` is not a value of the column's type.
    func append(field: Span<UInt8>) throws -> Bool

    /// Appends a null row.
    func appendNull() throws
}

/// Opens the ``SchemaFieldSink`` for column `name` of a `--schema` type.
enum SchemaFieldSinks {
    /// The sink for `type`, which is ``CSVColumnType/number(_:)``, ``CSVColumnType/binary`` or
    /// ``CSVColumnType/tensor(_:shape:)``.
    static func open(_ writer: ColFileWriter, name: String, type: CSVColumnType) throws -> any SchemaFieldSink {
        switch type {
        case .binary: return BinaryFieldSink(try writer.streamBinaryColumn(name))
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

/// A scalar or tensor column of numbers. A tensor field is `[v1,v2,...]` (spaces allowed around
/// values): the row's values flattened in row-major order, as `colfile export` prints them.
final class NumberFieldSink<Element: FixedWidthElement>: SchemaFieldSink {
    private let stream: FixedWidthColumnStream<Element>
    private let parse: (Span<UInt8>) -> Element?
    private let valuesPerRow: Int
    private let isTensor: Bool
    private var row: [Element] = []

    init(_ writer: ColFileWriter, _ name: String, _ shape: [Int], parse: @escaping (Span<UInt8>) -> Element?) throws {
        stream = try writer.streamColumn(name, of: Element.self, shape: shape)
        self.parse = parse
        isTensor = !shape.isEmpty
        valuesPerRow = shape.reduce(1, *)
        row.reserveCapacity(valuesPerRow)
    }

    func append(field: Span<UInt8>) throws -> Bool {
        guard isTensor else {
            guard let value = parse(field) else { return false }
            try stream.append(value)
            return true
        }
        var start = 0
        var end = field.count
        while start < end, field[start] == UInt8(ascii: " ") { start += 1 }
        while end > start, field[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard end - start >= 2, field[start] == UInt8(ascii: "["), field[end - 1] == UInt8(ascii: "]") else { return false }
        row.removeAll(keepingCapacity: true)
        var itemStart = start + 1
        for index in (start + 1)..<end where index == end - 1 || field[index] == UInt8(ascii: ",") {
            var itemEnd = index
            while itemStart < itemEnd, field[itemStart] == UInt8(ascii: " ") { itemStart += 1 }
            while itemEnd > itemStart, field[itemEnd - 1] == UInt8(ascii: " ") { itemEnd -= 1 }
            guard row.count < valuesPerRow, let value = parse(field.extracting(itemStart..<itemEnd)) else { return false }
            row.append(value)
            itemStart = index + 1
        }
        guard row.count == valuesPerRow else { return false }
        try stream.append(contentsOf: row)
        return true
    }

    func appendNull() throws { try stream.appendNulls(1) }
}

/// A Binary column whose fields are base64 (RFC 4648, padded), as `colfile export` prints them.
final class BinaryFieldSink: SchemaFieldSink {
    private let stream: VariableLengthColumnStream

    init(_ stream: VariableLengthColumnStream) {
        self.stream = stream
    }

    func append(field: Span<UInt8>) throws -> Bool {
        guard let data = Data(base64Encoded: CSVValueParser.text(field)) else { return false }
        try stream.append(bytes: [UInt8](data))
        return true
    }

    func appendNull() throws { try stream.append(bytes: nil) }

    /// Appends an empty byte string.
    func appendEmpty() throws { try stream.append(bytes: []) }
}
