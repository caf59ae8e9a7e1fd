/// A column's validity bitmap: bit i (least-significant first) is 1 when row i is not null
/// (Specification.md §6.1).
public struct ValidityBitmap: Sendable, CustomStringConvertible {
    @usableFromInline let owner: MappedRegion
    @usableFromInline let bits: ByteView
    /// The number of rows the bitmap covers.
    public let rowCount: Int

    /// Wraps the `ceil(rowCount / 8)` bytes or more of `bits`, which lie inside `owner`.
    init(owner: MappedRegion, bits: ByteView, rowCount: Int) {
        precondition(bits.count * 8 >= rowCount, "bitmap too short")
        self.owner = owner
        self.bits = bits
        self.rowCount = rowCount
    }

    /// Whether bit `row` is set.
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    @inlinable public subscript(row: Int) -> Bool {
        precondition(UInt(bitPattern: row) < UInt(rowCount), "row index out of range")
        return bits.load(UInt8.self, at: row >> 3) & (1 << UInt8(row & 7)) != 0
    }

    /// The number of clear bits among the first `rowCount`: the null count the bitmap implies.
    public var zeroCount: Int {
        var ones = 0
        let fullBytes = rowCount / 8
        for index in 0..<fullBytes { ones += bits.load(UInt8.self, at: index).nonzeroBitCount }
        for row in (fullBytes * 8)..<rowCount where self[row] { ones += 1 }
        return rowCount - ones
    }

    /// `ValidityBitmap(rows: 3)`, without the bits.
    public var description: String { "ValidityBitmap(rows: \(rowCount))" }

    /// Calls `body` with the bits as a mask, valid only inside `body`.
    func withMask<R>(_ body: (ValidityMask) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(ValidityMask(bits: bits, rowCount: rowCount)) }
    }
}
