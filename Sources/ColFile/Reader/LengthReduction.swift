/// Row lengths of a string or binary column reduced straight from its offsets buffer
/// (Specification.md §6.1), where row `i` is `offsets[i + 1] - offsets[i]` bytes long.
///
/// Eight rows at a time: two unaligned `SIMD8` loads of the offsets (`i ..< i + 8` and
/// `i + 1 ..< i + 9`) give eight lengths, and one byte of the validity bitmap, spread over the eight
/// lanes, masks out the null rows. The bitmap is read 64 rows (one `UInt64`) at a time: a word whose
/// rows are all null is skipped, and for a sum a word whose rows are all valid needs no lengths at
/// all, since they telescope to `offsets[i + 64] - offsets[i]`. Rows before the first and after the
/// last whole word of a range are taken one by one.
///
/// The offsets must have been validated (they never decrease), so every length is ≥ 0 and the
/// lengths of any set of rows sum to at most the last offset: lanes of the offset's own width
/// cannot overflow. Offsets rewritten in place since make the arithmetic wrap rather than trap;
/// ``VariableLengthValues`` checks the results against the values' length. Offsets are loaded as
/// host integers: like the fixed-width views, this assumes a little-endian host.
enum LengthReduction {
    /// The figures of ``ColumnStatistics/Values/lengths(min:max:total:)``.
    struct Figures: Equatable {
        /// The sum of the lengths of the valid rows.
        var total = 0
        /// The shortest valid row, or nil when no row is valid.
        var minimum: Int?
        /// The longest valid row, or nil when no row is valid.
        var maximum: Int?
    }

    /// The sum of the lengths of the valid rows in `rows`.
    ///
    /// - Parameters:
    ///   - offsets: At least `rows.upperBound + 1` validated offsets, each `width` (4 or 8) bytes.
    ///   - validity: The column's bitmap (a column without one needs no kernel: its total is
    ///     `offsets[upper] - offsets[lower]`).
    static func total(_ offsets: ByteView, width: Int, rows: Range<Int>, validity: ValidityMask) -> Int {
        width == 4 ? total(OffsetLoader<Int32>(offsets, rows: rows), rows, validity)
            : total(OffsetLoader<Int64>(offsets, rows: rows), rows, validity)
    }

    /// The sum, minimum and maximum of the lengths of the valid rows in `rows` (every row when
    /// `validity` is nil). Parameters as ``total(_:width:rows:validity:)``.
    static func figures(_ offsets: ByteView, width: Int, rows: Range<Int>, validity: ValidityMask?) -> Figures {
        width == 4 ? figures(OffsetLoader<Int32>(offsets, rows: rows), rows, validity)
            : figures(OffsetLoader<Int64>(offsets, rows: rows), rows, validity)
    }

    private static func total<Offset: LengthLane>(_ offsets: OffsetLoader<Offset>, _ rows: Range<Int>, _ validity: ValidityMask)
        -> Int {
        var total = 0
        let words = wholeWords(rows)
        for row in rows.lowerBound..<words.lowerBound where validity.isValid(row) { total &+= offsets.length(row) }
        var sums = SIMD8<Offset>()
        for row in stride(from: words.lowerBound, to: words.upperBound, by: 64) {
            let word = validity.word(row)
            if word == .max {
                total &+= offsets.offset(row + 64) &- offsets.offset(row)
            } else if word != 0 {
                for byte in 0..<8 {
                    let lengths = offsets.lengths(row + 8 * byte)
                    sums &+= lengths & laneMask(word, byte: byte, of: Offset.self)
                }
            }
        }
        for row in words.upperBound..<rows.upperBound where validity.isValid(row) { total &+= offsets.length(row) }
        for lane in sums.indices { total &+= Int(sums[lane]) }
        return total
    }

    private static func figures<Offset: LengthLane>(_ offsets: OffsetLoader<Offset>, _ rows: Range<Int>, _ validity: ValidityMask?)
        -> Figures {
        var total = 0, minimum = Int.max, maximum = -1
        func addOne(_ row: Int) {
            guard validity?.isValid(row) ?? true else { return }
            let length = offsets.length(row)
            total &+= length
            minimum = Swift.min(minimum, length)
            maximum = Swift.max(maximum, length)
        }
        let words = wholeWords(rows)
        for row in rows.lowerBound..<words.lowerBound { addOne(row) }
        // Null lanes add 0 to the sums and to the maxima (a word reaches the lanes only when it has a
        // valid row, whose length is ≥ 0) and Offset.max to the minima.
        var sums = SIMD8<Offset>(), minima = SIMD8<Offset>(repeating: .max), maxima = SIMD8<Offset>(repeating: -1)
        for row in stride(from: words.lowerBound, to: words.upperBound, by: 64) {
            let word = validity?.word(row) ?? .max
            if word == .max {
                for byte in 0..<8 {
                    let lengths = offsets.lengths(row + 8 * byte)
                    sums &+= lengths
                    minima = lanewiseMin(minima, lengths)
                    maxima = lanewiseMax(maxima, lengths)
                }
            } else if word != 0 {
                for byte in 0..<8 {
                    let lengths = offsets.lengths(row + 8 * byte)
                    let valid = laneMask(word, byte: byte, of: Offset.self)
                    let zeroed = lengths & valid
                    sums &+= zeroed
                    minima = lanewiseMin(minima, lengths | (~valid & .max))
                    maxima = lanewiseMax(maxima, zeroed)
                }
            }
        }
        for row in words.upperBound..<rows.upperBound { addOne(row) }
        for lane in sums.indices {
            total &+= Int(sums[lane])
            minimum = Swift.min(minimum, Int(minima[lane]))
            maximum = Swift.max(maximum, Int(maxima[lane]))
        }
        return maximum < 0 ? Figures(total: 0) : Figures(total: total, minimum: minimum, maximum: maximum)
    }

    /// The rows of `rows` that lie in whole 64-row words of the bitmap.
    private static func wholeWords(_ rows: Range<Int>) -> Range<Int> {
        let first = Swift.min(rows.upperBound, (rows.lowerBound + 63) & ~63)
        let last = Swift.max(first, rows.upperBound & ~63)
        return first..<last
    }

    // The lane operations use integer arithmetic, bitwise operations and shifts by one amount,
    // which the compiler turns into SSE2 vector instructions. Comparisons that make a `SIMDMask`
    // (`.==`, `pointwiseMin`) are compiled lane by lane with branches in generic code (a third of
    // the speed of a per-row loop), and arithmetic on the bitmap's bits gets shuffled lane by lane:
    // the mask of a bitmap byte comes from `LengthLane`, written for each concrete offset type.

    /// All ones in lane `i` when bit `8 * byte + i` of `word` is set, else zero.
    @inline(__always)
    private static func laneMask<Offset: LengthLane>(_ word: UInt64, byte: Int, of: Offset.Type) -> SIMD8<Offset> {
        Offset.laneMask(UInt8(truncatingIfNeeded: word >> UInt64(8 * byte)))
    }

    /// Each lane's sign bit spread over the lane: all ones for a negative lane, else zero.
    @inline(__always)
    private static func signs<Offset: LengthLane>(_ lanes: SIMD8<Offset>) -> SIMD8<Offset> {
        lanes &>> Offset(Offset.bitWidth - 1)
    }

    /// The smaller of each pair of lanes, for lanes in `-1 ... Offset.max` (their difference cannot overflow).
    @inline(__always)
    private static func lanewiseMin<Offset: LengthLane>(_ a: SIMD8<Offset>, _ b: SIMD8<Offset>)
        -> SIMD8<Offset> {
        let difference = a &- b
        return b &+ (difference & signs(difference))
    }

    /// The larger of each pair of lanes, for lanes in `-1 ... Offset.max`.
    @inline(__always)
    private static func lanewiseMax<Offset: LengthLane>(_ a: SIMD8<Offset>, _ b: SIMD8<Offset>)
        -> SIMD8<Offset> {
        let difference = a &- b
        return a &- (difference & signs(difference))
    }
}

/// Loads of offsets `width` bytes wide from a validated offsets buffer, for the rows of one range.
///
/// The range is checked once, when the loader is made: the kernels' inner loops then load without
/// a check per load (every index they use is in `rows.lowerBound ... rows.upperBound`, and the
/// eight-lane loads of ``lengths(_:)`` start at most at `rows.upperBound - 8`).
private struct OffsetLoader<Offset: LengthLane> {
    private let offsets: ByteView

    /// A loader of `offsets`, which must hold offsets `0 ... rows.upperBound`.
    init(_ offsets: ByteView, rows: Range<Int>) {
        precondition(rows.lowerBound >= 0 && offsets.count >= (rows.upperBound + 1) * MemoryLayout<Offset>.size,
                     "offsets too short")
        self.offsets = offsets
    }

    /// Offset `index`.
    @inline(__always)
    func offset(_ index: Int) -> Int {
        Int(unsafe offsets.uncheckedLoad(Offset.self, at: index * MemoryLayout<Offset>.size))
    }

    /// The length of row `row`.
    @inline(__always)
    func length(_ row: Int) -> Int { offset(row + 1) &- offset(row) }

    /// The lengths of rows `row ..< row + 8`.
    @inline(__always)
    func lengths(_ row: Int) -> SIMD8<Offset> {
        let stride = MemoryLayout<Offset>.size
        let low = unsafe offsets.uncheckedLoad(SIMD8<Offset>.self, at: row * stride)
        let high = unsafe offsets.uncheckedLoad(SIMD8<Offset>.self, at: (row + 1) * stride)
        return high &- low
    }
}

/// An offset type of the length kernels, with the one lane operation that must be written for the
/// concrete type to compile to vector instructions.
protocol LengthLane: FixedWidthInteger & SIMDScalar & Codable {
    /// All ones in lane `i` when bit `i` of `bits` is set, else zero.
    static func laneMask(_ bits: UInt8) -> SIMD8<Self>
}

extension Int32: LengthLane {
    @inline(__always)
    static func laneMask(_ bits: UInt8) -> SIMD8<Int32> {
        let lanes = SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)
        return SIMD8<Int32>().replacing(with: -1, where: SIMD8<Int32>(repeating: Int32(bits)) & lanes .== lanes)
    }
}

extension Int64: LengthLane {
    @inline(__always)
    static func laneMask(_ bits: UInt8) -> SIMD8<Int64> {
        let lanes = SIMD8<Int64>(1, 2, 4, 8, 16, 32, 64, 128)
        return SIMD8<Int64>().replacing(with: -1, where: SIMD8<Int64>(repeating: Int64(bits)) & lanes .== lanes)
    }
}
