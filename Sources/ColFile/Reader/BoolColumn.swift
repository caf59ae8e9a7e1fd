/// A zero-copy view of a Bool column, read bit by bit from its bitmap (Specification.md §6.1).
///
/// Iterating it, or its subscript, gives `Bool?`: nil for a null row.
public struct BoolColumn: NullableColumn, Sendable, CustomStringConvertible {
    /// The column's description.
    public let info: ColumnInfo
    /// The values bitmap (a null row's bit is unspecified; colfile's writer stores 0).
    public let bits: ValidityBitmap
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?

    /// The number of rows.
    @inlinable public var endIndex: Int { bits.rowCount }

    /// The stored value of `row` (false for a null row written by colfile).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func storedValue(at row: Int) -> Bool { bits[row] }

    /// The number of rows that are true and not null.
    public var trueCount: Int {
        (0..<count).reduce(0) { $0 + (bits[$1] && !isNull($1) ? 1 : 0) }
    }

    /// `BoolColumn(name: "flag", rows: 3, nulls: 1)`.
    public var description: String { summary }
}
