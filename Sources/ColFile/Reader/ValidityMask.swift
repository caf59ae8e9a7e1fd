/// A validity bitmap read in place: bit `row` (least-significant first) is set for valid rows.
///
/// It holds no reference to the memory of its bits: callers keep that memory alive while they use it
/// (``ValidityBitmap/withMask(_:)`` does).
struct ValidityMask {
    private let bits: ByteView
    /// The rows the bitmap covers.
    let rowCount: Int

    /// The mask of the first `rowCount` bits of `bits`, which hold at least `ceil(rowCount / 8)` bytes.
    init(bits: ByteView, rowCount: Int) {
        precondition(bits.count * 8 >= rowCount, "bitmap too short")
        self.bits = bits
        self.rowCount = rowCount
    }

    /// Whether `row` is valid.
    func isValid(_ row: Int) -> Bool {
        bits.load(UInt8.self, at: row >> 3) & (1 << UInt8(row & 7)) != 0
    }

    /// The bits of the 64 rows from `row` (a multiple of 8, with `row + 64 <= rowCount`): bit `i` is
    /// set when row `row + i` is valid.
    func word(_ row: Int) -> UInt64 {
        assert(row & 7 == 0 && row >= 0 && row + 64 <= rowCount, "word out of range")
        return bits.load(UInt64.self, at: row >> 3)
    }

    /// Whether the 64 rows from `row` (a multiple of 64, with `row + 64 <= rowCount`) are all valid.
    func allValid(word row: Int) -> Bool {
        word(row) == .max
    }

    /// Calls `whole` for each maximal range of rows made of complete 64-row words that are all valid,
    /// and `single` for every other valid row, in row order.
    func forEachValidRun(_ whole: (Range<Int>) -> Void, _ single: (Int) -> Void) {
        var row = 0
        while row < rowCount {
            if row + 64 <= rowCount, allValid(word: row) {
                var end = row + 64
                while end + 64 <= rowCount, allValid(word: end) { end += 64 }
                whole(row..<end)
                row = end
            } else {
                let end = Swift.min(rowCount, row + 64)
                for index in row..<end where isValid(index) { single(index) }
                row = end
            }
        }
    }
}
