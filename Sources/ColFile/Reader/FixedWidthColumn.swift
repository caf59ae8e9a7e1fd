/// A zero-copy view of a fixed-width scalar column: integers, floats, timestamps, dates.
///
/// Iterating it, or its subscript, gives `Value?`: nil for a null row. ``values`` is the array of
/// the stored values of every row, nulls included (for a null row the stored value is unspecified;
/// colfile's writer stores 0): the explicit choice for loops that want every value as stored.
public struct FixedWidthColumn<Value: FixedWidthElement>: NullableColumn, Sendable, CustomStringConvertible {
    /// The reader the view was made by, for ``info``.
    let reader: ColFileReader
    /// The column's index.
    let index: Int
    /// The stored values, one per row, null rows included.
    public let values: MappedArray<Value>
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?

    /// The column's description.
    ///
    /// A view is made without it (an attach waits for none); it is built from the column's record
    /// on each access (the record passed its checks when the view was made).
    ///
    /// - Complexity: O(1) allocations of the description's own (name, buffers, metadata); keep it
    ///   in a variable to use it often.
    public var info: ColumnInfo { reader.describe(at: index, unreadable: nil) }

    /// The number of rows.
    @inlinable public var endIndex: Int { values.endIndex }

    /// The stored value of `row` (unspecified for a null row; colfile's writer stores 0).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func storedValue(at row: Int) -> Value { values[row] }

    /// Calls `body` with the stored values as a span, valid only inside `body`.
    ///
    /// - Returns: What `body` returns.
    public func withSpan<R>(_ body: (Span<Value>) throws -> R) rethrows -> R {
        try values.withSpan(body)
    }

    /// `FixedWidthColumn<Double>(name: "price", rows: 3, nulls: 1)`.
    public var description: String { summary }
}
