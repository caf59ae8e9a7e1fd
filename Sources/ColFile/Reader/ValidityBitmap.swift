/// A column's validity bitmap: bit i (least-significant first) is 1 when row i is not null
/// (Specification.md §6.1).
@safe
public struct ValidityBitmap: @unchecked Sendable {
    private let owner: MappedRegion
    private let bits: UnsafeBufferPointer<UInt8>
    /// The number of rows the bitmap covers.
    public let rowCount: Int

    /// Wraps the `ceil(rowCount / 8)` bytes `bits`, which lie inside `owner`.
    init(owner: MappedRegion, bits: UnsafeBufferPointer<UInt8>, rowCount: Int) {
        precondition(bits.count * 8 >= rowCount, "bitmap too short")
        self.owner = owner
        unsafe self.bits = bits
        self.rowCount = rowCount
    }

    /// Whether bit `row` is set.
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    public subscript(row: Int) -> Bool {
        precondition(UInt(bitPattern: row) < UInt(rowCount), "row index out of range")
        return unsafe bits[row >> 3] & (1 << UInt8(row & 7)) != 0
    }

    /// The number of clear bits among the first `rowCount`: the null count the bitmap implies.
    public var zeroCount: Int {
        var ones = 0
        let fullBytes = rowCount / 8
        for index in 0..<fullBytes { ones += unsafe bits[index].nonzeroBitCount }
        for row in (fullBytes * 8)..<rowCount where self[row] { ones += 1 }
        return rowCount - ones
    }

    /// Calls `body` with the bits as a mask, valid only inside `body`.
    func withMask<R>(_ body: (ValidityMask) -> R) -> R {
        withExtendedLifetime(owner) { body(unsafe ValidityMask(bits: bits, rowCount: rowCount)) }
    }
}
