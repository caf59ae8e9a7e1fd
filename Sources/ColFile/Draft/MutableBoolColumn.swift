/// A writable view of a Bool column of a draft: one bit per row, set atomically, so that rows
/// written by different threads or processes need no lock even where they share a byte.
public struct MutableBoolColumn: Sendable, CustomStringConvertible {
    let storage: DraftColumnStorage

    /// The column's name.
    public var name: String { storage.name }
    /// The number of rows.
    public var count: Int { storage.rowCount }
    /// Whether rows can be null.
    public var isNullable: Bool { storage.validity != nil }

    /// The value of `row`, nil while it is null; setting nil makes it null (nullable columns only).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    public subscript(row: Int) -> Bool? {
        get { storage.isValid(row) ? storage.values.bit(row) : nil }
        nonmutating set {
            storage.check(row)
            storage.values.setBit(row, to: newValue ?? false)
            storage.setValidity(row..<(row + 1), valid: newValue != nil)
        }
    }

    /// Writes `values` to the rows from `start` on and marks them valid.
    ///
    /// - Precondition: the rows lie in the column.
    public func write(_ values: [Bool], at start: Int) {
        storage.check(start..<(start + values.count))
        for (offset, value) in values.enumerated() { storage.values.setBit(start + offset, to: value) }
        storage.setValidity(start..<(start + values.count), valid: true)
    }

    /// Makes `rows` null (their stored values become false).
    ///
    /// - Precondition: the column is nullable, and `rows` lie in it.
    public func setNull(rows: Range<Int>) {
        storage.check(rows)
        storage.values.setBits(rows, to: false)
        storage.setValidity(rows, valid: false)
    }

    /// `MutableBoolColumn(name: "flag", rows: 3)`.
    public var description: String { "MutableBoolColumn(name: \"\(name)\", rows: \(count))" }
}
