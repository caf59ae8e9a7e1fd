import Atomics

/// Atomic operations on the rows of an Int32, Int64, UInt32 or UInt64 column of a draft, for
/// values that several threads or processes update: counters, flags, progress.
///
/// Each operation is one atomic instruction on the naturally aligned value in the shared
/// mapping (sequentially consistent), so it is atomic across processes as well as threads. On a
/// nullable column, every store, add and successful exchange also marks the row valid
/// (atomically). Made by ``ColFileDraft/atomicColumn(_:as:)``.
public struct AtomicColumn<Value: FixedWidthElement & FixedWidthInteger>: Sendable, CustomStringConvertible {
    @usableFromInline let storage: DraftColumnStorage

    /// The column's name.
    public var name: String { storage.name }
    /// The number of rows.
    public var count: Int { storage.rowCount }

    /// Whether `Value` has an atomic form here: 4 or 8 bytes.
    static var isSupported: Bool { MemoryLayout<Value>.size == 4 || MemoryLayout<Value>.size == 8 }

    /// Runs `operation` on the bits of `row` as an atomic 32- or 64-bit word.
    @inlinable func withWord<R>(_ row: Int, _ operation: (AtomicWord) -> R) -> R {
        storage.check(row)
        if MemoryLayout<Value>.size == 8 {
            return storage.values.withAtomic(UInt64.self, element: row) { operation(.wide($0)) }
        }
        return storage.values.withAtomic(UInt32.self, element: row) { operation(.narrow($0)) }
    }

    @inlinable func markValid(_ row: Int) {
        if storage.validity != nil { storage.setValidity(row..<(row + 1), valid: true) }
    }

    /// The value of `row`, loaded atomically (its stored value, even when the row is null).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func load(at row: Int) -> Value {
        Value(truncatingIfNeeded: withWord(row) { $0.load() })
    }

    /// Stores `value` in `row` atomically.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func store(_ value: Value, at row: Int) {
        withWord(row) { $0.store(UInt64(truncatingIfNeeded: value)) }
        markValid(row)
    }

    /// Adds `value` to `row` atomically (wrapping on overflow); returns the value before.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @discardableResult @inlinable
    public func loadThenAdd(_ value: Value, at row: Int) -> Value {
        let before = Value(truncatingIfNeeded: withWord(row) { $0.loadThenAdd(UInt64(truncatingIfNeeded: value)) })
        markValid(row)
        return before
    }

    /// Stores `desired` in `row` if it holds `expected`, atomically.
    ///
    /// - Returns: Whether it stored, and the value `row` held before.
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func compareExchange(expected: Value, desired: Value, at row: Int) -> (exchanged: Bool, original: Value) {
        let (exchanged, original) = withWord(row) {
            $0.compareExchange(expected: UInt64(truncatingIfNeeded: expected), desired: UInt64(truncatingIfNeeded: desired))
        }
        if exchanged { markValid(row) }
        return (exchanged, Value(truncatingIfNeeded: original))
    }

    /// `AtomicColumn<Int64>(name: "count", rows: 3)`.
    public var description: String { "\(Self.self)(name: \"\(name)\", rows: \(count))" }
}
