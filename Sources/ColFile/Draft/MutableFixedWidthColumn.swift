/// A writable view of a fixed-width scalar column of a draft (``ColFileDraft``): integers,
/// floats, timestamps, dates, written in place in the shared mapping.
///
/// Writes to different rows need no lock, from any thread or process: values are stored in place
/// and the validity bit of each row written is set atomically. A row index outside the column
/// stops the program (it is a bug in the caller, not bad input). The view keeps the draft's
/// mapping, and so its seal lock, alive.
public struct MutableFixedWidthColumn<Value: FixedWidthElement>: Sendable, CustomStringConvertible {
    @usableFromInline let storage: DraftColumnStorage

    /// The column's name.
    public var name: String { storage.name }
    /// The number of rows.
    public var count: Int { storage.rowCount }
    /// Whether rows can be null (the column was declared with ``DraftColumn/InitialRows/null``).
    public var isNullable: Bool { storage.validity != nil }

    /// The value of `row`, nil while it is null; setting nil makes it null (nullable columns only).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public subscript(row: Int) -> Value? {
        get { storage.isValid(row) ? storedValue(at: row) : nil }
        nonmutating set {
            storage.check(row)
            storage.values.store(newValue ?? .zero, element: row)
            storage.setValidity(row..<(row + 1), valid: newValue != nil)
        }
    }

    /// The value stored for `row`, null or not (zero until written).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func storedValue(at row: Int) -> Value {
        storage.check(row)
        return storage.values.load(Value.self, element: row)
    }

    /// Whether `row` is null.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func isNull(at row: Int) -> Bool { !storage.isValid(row) }

    /// Writes `values` to the rows from `start` on and marks them valid.
    ///
    /// - Precondition: the rows lie in the column.
    public func write(_ values: Span<Value>, at start: Int) {
        storage.check(start..<(start + values.count))
        storage.values.copy(values, toElement: start)
        storage.setValidity(start..<(start + values.count), valid: true)
    }

    /// Writes `values` to the rows from `start` on and marks them valid.
    public func write(_ values: [Value], at start: Int) {
        write(values.span, at: start)
    }

    /// Lets `body` write the values of `rows` in place (no copy), then marks them valid.
    ///
    /// The span holds the rows' stored values (zero for rows never written). When `body` throws,
    /// the rows' validity is left as it was.
    ///
    /// - Precondition: `rows` lie in the column.
    @inlinable
    public func fill<E: Error>(rows: Range<Int>, _ body: (inout MutableSpan<Value>) throws(E) -> Void) throws(E) {
        storage.check(rows)
        try storage.values.withMutableSpan(of: Value.self, elements: rows, body)
        storage.setValidity(rows, valid: true)
    }

    /// Makes `rows` null (their stored values become zero).
    ///
    /// - Precondition: the column is nullable, and `rows` lie in it.
    public func setNull(rows: Range<Int>) {
        storage.check(rows)
        storage.values.zero(bytes: (rows.lowerBound * MemoryLayout<Value>.stride)..<(rows.upperBound * MemoryLayout<Value>.stride))
        storage.setValidity(rows, valid: false)
    }

    /// `MutableFixedWidthColumn<Double>(name: "price", rows: 3)`.
    public var description: String { "\(Self.self)(name: \"\(name)\", rows: \(count))" }
}
