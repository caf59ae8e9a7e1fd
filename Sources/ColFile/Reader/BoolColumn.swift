/// A zero-copy view of a Bool column, read bit by bit from its bitmap (Specification.md §6.1).
public struct BoolColumn: NullableColumn, Sendable {
    /// The column's description.
    public let info: ColumnInfo
    /// The values bitmap.
    public let bits: ValidityBitmap
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The number of rows.
    @inlinable public var endIndex: Int { bits.rowCount }

    /// The stored value of `row` (false for a null row written by colfile).
    @inlinable public subscript(row: Int) -> Bool { bits[row] }

    /// The number of rows that are true and not null.
    public var trueCount: Int {
        (0..<count).reduce(0) { $0 + (bits[$1] && !isNull($1) ? 1 : 0) }
    }
}
