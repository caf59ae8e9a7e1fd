import ColFile

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
