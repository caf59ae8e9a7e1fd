/// What every column view shares: rows indexed from 0, an optional validity bitmap, and
/// iteration that says which rows are null.
///
/// A view is a collection of optionals, as Arrow's iterators are: `for price in prices` gives
/// `Double?`, `nil` for a null row, so a loop cannot mistake a null for a value. The value a file
/// stores for a null row (colfile's writer stores zero, `false` or empty) is there too, through an
/// explicit, named accessor: ``storedValue(at:)`` (and, for fixed-width columns, the array
/// ``FixedWidthColumn/values``), for loops that test ``isNull(_:)`` themselves or want every
/// stored value as it is.
public protocol NullableColumn: RandomAccessCollection where Index == Int, Element == Value? {
    /// The type of a row's value.
    associatedtype Value

    /// The column's description.
    var info: ColumnInfo { get }
    /// The validity bitmap, or nil when the column has no nulls.
    var validity: ValidityBitmap? { get }

    /// The value stored for `row`, whether or not the row is null (for a null row, whatever the
    /// writer stored: colfile's writer stores zero, `false` or empty).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    func storedValue(at row: Int) -> Value
}

extension NullableColumn {
    /// Always 0.
    @inlinable public var startIndex: Int { 0 }

    /// The value of `row`, or nil when it is null.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public subscript(row: Int) -> Value? {
        isNull(row) ? nil : storedValue(at: row)
    }

    /// Whether `row` is null.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return !validity[row]
    }

    /// The value of `row`, or nil when it is null: the same as the subscript.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func value(at row: Int) -> Value? {
        self[row]
    }

    /// `TYPE(name: "NAME", rows: R, nulls: N)`, without the values.
    var summary: String {
        "\(Self.self)(name: \"\(info.name)\", rows: \(count), nulls: \(info.nullCount))"
    }
}
