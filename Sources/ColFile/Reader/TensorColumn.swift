/// A zero-copy view of a fixed-shape tensor column (Specification.md §6.3): each row is an array of
/// ``shape`` values, stored row-major; the whole column is a row-major array of shape
/// `[count] + shape`.
///
/// Iterating it, or its subscript, gives `MappedArray<Value>?`: nil for a null row.
/// ``storedValue(at:)``, ``elements`` and the 2-D subscript read the stored values whatever the
/// rows' null flags.
public struct TensorColumn<Value: FixedWidthElement>: NullableColumn, Sendable, CustomStringConvertible {
    /// The column's description.
    public let info: ColumnInfo
    /// Every value of every row, row after row: the column as one flat row-major array.
    public let elements: MappedArray<Value>
    /// The validity bitmap (whole rows), or nil when the column has no nulls.
    public let validity: ValidityBitmap?

    /// The shape of one row.
    public var shape: [Int] { info.shape }
    /// Number of values in one row.
    public var valuesPerRow: Int { info.valuesPerRow }

    /// The number of rows.
    public var endIndex: Int { info.rowCount }

    /// The stored values of `row`, as a zero-copy array of ``valuesPerRow`` elements.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    public func storedValue(at row: Int) -> MappedArray<Value> {
        precondition(UInt(bitPattern: row) < UInt(endIndex), "row index out of range")
        return elements.subarray(start: row * valuesPerRow, count: valuesPerRow)
    }

    /// Value `element` (in row-major order within the row) of `row`: the 2-D view of the column.
    public subscript(row: Int, element: Int) -> Value {
        precondition(UInt(bitPattern: row) < UInt(endIndex), "row index out of range")
        precondition(UInt(bitPattern: element) < UInt(valuesPerRow), "element index out of range")
        return elements[row * valuesPerRow + element]
    }

    /// Calls `body` with the whole column as a row-major matrix of `count` rows by ``valuesPerRow``
    /// columns, valid only inside `body`.
    ///
    /// - Returns: What `body` returns.
    public func withMatrix<R>(
        _ body: (_ values: Span<Value>, _ rows: Int, _ valuesPerRow: Int) throws -> R
    ) rethrows -> R {
        try elements.withSpan { try body($0, count, valuesPerRow) }
    }

    /// `TensorColumn<Float>(name: "embedding", rows: 3, nulls: 0, shape: [8])`.
    public var description: String {
        "\(Self.self)(name: \"\(info.name)\", rows: \(count), nulls: \(info.nullCount), shape: \(shape))"
    }
}
