/// A writable view of a fixed-shape tensor column of a draft: every row is `shape.product`
/// values, row-major; a row is null or valid as a whole.
///
/// Like ``MutableFixedWidthColumn``, rows written by different threads or processes need no lock.
/// Its row access is inlinable, so a client's loop over it is specialized for `Value`.
public struct MutableTensorColumn<Value: FixedWidthElement>: Sendable, CustomStringConvertible {
    @usableFromInline let storage: DraftColumnStorage
    /// The shape of one row, e.g. `[768]`.
    public let shape: [Int]
    /// Values in one row.
    public let valuesPerRow: Int

    init(storage: DraftColumnStorage, shape: [Int]) {
        self.storage = storage
        self.shape = shape
        self.valuesPerRow = shape.reduce(1, *)
    }

    /// The column's name.
    public var name: String { storage.name }
    /// The number of rows.
    public var count: Int { storage.rowCount }
    /// Whether rows can be null.
    public var isNullable: Bool { storage.validity != nil }

    /// Whether `row` is null.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func isNull(at row: Int) -> Bool { !storage.isValid(row) }

    /// Value `element` of `row` as stored, null or not.
    ///
    /// - Precondition: `row` is in `0 ..< count`, `element` in `0 ..< valuesPerRow`.
    @inlinable public func storedValue(row: Int, element: Int) -> Value {
        storage.check(row)
        precondition(UInt(bitPattern: element) < UInt(valuesPerRow), "element \(element) out of range 0..<\(valuesPerRow)")
        return storage.values.load(Value.self, element: row * valuesPerRow + element)
    }

    /// The values of `row`, nil while it is null.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func row(_ row: Int) -> [Value]? {
        guard storage.isValid(row) else { return nil }
        return (0..<valuesPerRow).map { storedValue(row: row, element: $0) }
    }

    /// Writes whole rows from `start` on (`values.count` a multiple of ``valuesPerRow``) and marks
    /// them valid.
    ///
    /// - Precondition: the values are whole rows, and the rows lie in the column.
    @inlinable public func write(_ values: Span<Value>, atRow start: Int) {
        precondition(values.count % valuesPerRow == 0, "\(values.count) values are not whole rows of \(valuesPerRow)")
        let rows = start..<(start + values.count / valuesPerRow)
        storage.check(rows)
        storage.values.copy(values, toElement: start * valuesPerRow)
        storage.setValidity(rows, valid: true)
    }

    /// Writes whole rows from `start` on; see the span form.
    @inlinable public func write(_ values: [Value], atRow start: Int) {
        write(values.span, atRow: start)
    }

    /// Lets `body` write the values of `rows` in place (`rows.count × valuesPerRow` values,
    /// row-major), then marks them valid.
    ///
    /// - Precondition: `rows` lie in the column.
    @inlinable
    public func fill<E: Error>(rows: Range<Int>, _ body: (inout MutableSpan<Value>) throws(E) -> Void) throws(E) {
        storage.check(rows)
        try storage.values.withMutableSpan(of: Value.self,
                                           elements: (rows.lowerBound * valuesPerRow)..<(rows.upperBound * valuesPerRow), body)
        storage.setValidity(rows, valid: true)
    }

    /// Makes `rows` null.
    ///
    /// - Precondition: the column is nullable, and `rows` lie in it.
    public func setNull(rows: Range<Int>) {
        storage.check(rows)
        let rowBytes = valuesPerRow * MemoryLayout<Value>.stride
        storage.values.zero(bytes: (rows.lowerBound * rowBytes)..<(rows.upperBound * rowBytes))
        storage.setValidity(rows, valid: false)
    }

    /// `MutableTensorColumn<Float>(name: "embedding", rows: 3, shape: [768])`.
    public var description: String { "\(Self.self)(name: \"\(name)\", rows: \(count), shape: \(shape))" }
}
