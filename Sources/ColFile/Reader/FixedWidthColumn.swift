/// A zero-copy view of a fixed-width scalar column: integers, floats, timestamps, dates.
///
/// The collection's elements are the stored values of every row; for a null row the stored value
/// is unspecified (colfile's writer stores 0), so check ``isNull(_:)`` or use ``value(at:)``.
public struct FixedWidthColumn<Element: FixedWidthElement>: NullableColumn, Sendable {
    /// The column's description.
    public let info: ColumnInfo
    /// The stored values, one per row.
    public let values: MappedArray<Element>
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The number of rows.
    @inlinable public var endIndex: Int { values.endIndex }

    /// The stored value of `row`.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public subscript(row: Int) -> Element { values[row] }

    /// Calls `body` with the stored values as a span, valid only inside `body`.
    ///
    /// - Returns: What `body` returns.
    public func withSpan<R>(_ body: (Span<Element>) throws -> R) rethrows -> R {
        try values.withSpan(body)
    }
}
