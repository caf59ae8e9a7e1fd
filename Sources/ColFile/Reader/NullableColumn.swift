/// What every column view shares: rows indexed from 0, and an optional validity bitmap.
public protocol NullableColumn: RandomAccessCollection where Index == Int {
    /// The column's description.
    var info: ColumnInfo { get }
    /// The validity bitmap, or nil when the column has no nulls.
    var validity: ValidityBitmap? { get }
}

extension NullableColumn {
    /// Whether `row` is null.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return !validity[row]
    }

    /// The value of `row`, or nil when it is null.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func value(at row: Int) -> Element? {
        isNull(row) ? nil : self[row]
    }
}
