/// Summary statistics of one column, computed in one pass over its zero-copy view.
///
/// Null rows are left out of every figure except ``nullCount``. Floating-point NaNs are left out
/// of ``Values/floats(min:max:sum:)``'s minimum and maximum but make the sum NaN. For a tensor
/// column the figures cover every element of the non-null rows (``valuesPerRow`` of them per row).
public struct ColumnStatistics: Sendable, Equatable {
    /// The figures that depend on the column's type.
    public enum Values: Sendable, Equatable {
        /// Integer columns (also timestamps and dates, as their stored integers): the smallest and
        /// largest value (nil when every row is null) and the exact sum.
        case integers(min: Int128?, max: Int128?, sum: Int128)
        /// Floating-point columns: the smallest and largest value that is not NaN (nil when there
        /// is none) and the sum, added in an unspecified order.
        case floats(min: Double?, max: Double?, sum: Double)
        /// Bool columns: the number of non-null rows that are true.
        case bools(trueCount: Int)
        /// String and binary columns: the shortest and longest value in bytes (UTF-8 bytes for
        /// strings; nil when every row is null) and the total of the values' lengths (what
        /// ``StringColumn/totalByteCount(in:)`` returns).
        case lengths(min: Int?, max: Int?, total: Int)
    }

    /// The number of rows.
    public var rowCount: Int
    /// The number of null rows.
    public var nullCount: Int
    /// The figures for the column's type.
    public var values: Values

    /// The values in one row: 1, or the element count of a tensor column's rows.
    public var valuesPerRow: Int

    /// For a dictionary-encoded column, the number of its dictionary's entries that some non-null
    /// row uses: its distinct values, when the entries are distinct (as writers make them,
    /// Specification.md §6.4); nil for other columns.
    public var distinctEntries: Int? = nil

    /// The number of rows that are not null.
    public var validCount: Int { rowCount - nullCount }

    /// The mean of a numeric column's non-null values (every element, for a tensor column); nil for
    /// other columns or when every row is null.
    public var mean: Double? {
        guard validCount > 0 else { return nil }
        let count = Double(validCount) * Double(valuesPerRow)
        switch values {
        case .integers(_, _, let sum): return Double(sum) / count
        case .floats(_, _, let sum): return sum / count
        case .bools, .lengths: return nil
        }
    }
}

extension ColFileReader {
    /// Summary statistics of the column `name`: rows, nulls, and min/max/sum for numbers (over
    /// every element of a tensor column's non-null rows), true count for bools, min/max/total
    /// length for strings and binary. A dictionary-encoded column gets the figures of its value
    /// type, computed through its indices (each entry counted once per row that uses it), and
    /// ``ColumnStatistics/distinctEntries``.
    ///
    /// Reads the values in place through the mapping (a compressed column is decoded first, as
    /// its views are). Fixed-width columns are reduced with several independent SIMD accumulators,
    /// so the scan runs at memory speed rather than at the latency of one chain of adds; runs of
    /// 64 rows that are all valid take the same path, other rows are added one by one. String and
    /// binary lengths come from the offsets eight at a time, null rows masked out with the bitmap.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, or a decoding error for a compressed column.
    /// - Complexity: O(rows).
    public func statistics(_ name: String) throws -> ColumnStatistics {
        try intact {
            let info = try readableInfo(name)
            if info.dictionary != nil { return try dictionaryStatistics(dictionaryColumn(name)) }
            let bytes = try columnBytes(info)
            let rows = info.rowCount
            let validity = bytes[.validity] == nil ? nil : bytes.view(.validity)
            let mask = validity.map { ValidityMask(bits: $0, rowCount: rows) }
            // A tensor column's rows are `perRow` consecutive values (only fixed-width types have shapes).
            let perRow = info.valuesPerRow
            let valueBytes = bytes.view(.values)
            let values = try withExtendedLifetime(bytes.region) { () throws -> ColumnStatistics.Values in
                func integers<T: FixedWidthInteger>(_ type: T.Type) -> ColumnStatistics.Values {
                    unsafe valueBytes.withUnsafeElements(T.self, count: rows * perRow) {
                        unsafe IntegerReduction.reduce($0, mask, perRow: perRow)
                    }
                }
                func floats<T: BinaryFloatingPoint & SIMDScalar>(_ type: T.Type) -> ColumnStatistics.Values {
                    unsafe valueBytes.withUnsafeElements(T.self, count: rows * perRow) {
                        unsafe FloatReduction.reduce($0, mask, perRow: perRow)
                    }
                }
                switch info.physicalType {
                case .int8: return integers(Int8.self)
                case .int16: return integers(Int16.self)
                case .int32: return integers(Int32.self)
                case .int64: return integers(Int64.self)
                case .uint8: return integers(UInt8.self)
                case .uint16: return integers(UInt16.self)
                case .uint32: return integers(UInt32.self)
                case .uint64: return integers(UInt64.self)
                case .float16: return floats(Float16.self)
                case .float32: return floats(Float.self)
                case .float64: return floats(Double.self)
                case .bool:
                    return .bools(trueCount: BoolReduction.trueCount(valueBytes, validity: validity, rows: rows))
                case .string, .largeString, .binary, .largeBinary:
                    let figures = try variableLengthValues(info, bytes).lengthFigures(validity: mask)
                    return .lengths(min: figures.minimum, max: figures.maximum, total: figures.total)
                case .dictionary:
                    preconditionFailure("dictionary-encoded columns are reduced through their indices")
                }
            }
            return ColumnStatistics(rowCount: rows, nullCount: info.nullCount, values: values, valuesPerRow: perRow)
        }
    }
}

/// The true count of Bool columns: 64 rows at a time, `popcount(values & validity)`.
enum BoolReduction {
    /// The number of rows below `rows` whose bit is set in `values` and in `validity` (when given).
    /// Both bitmaps hold at least `(rows + 7) / 8` bytes (the reader checked their lengths).
    static func trueCount(_ values: ByteView, validity: ByteView?, rows: Int) -> Int {
        let values = ValidityMask(bits: values, rowCount: rows)
        let validity = validity.map { ValidityMask(bits: $0, rowCount: rows) }
        var count = 0
        let words = rows / 64
        for word in 0..<words {
            var bits = values.word(word * 64)
            if let validity { bits &= validity.word(word * 64) }
            count += bits.nonzeroBitCount
        }
        for row in (words * 64)..<rows where values.isValid(row) && validity?.isValid(row) ?? true {
            count += 1
        }
        return count
    }
}

/// The running state of a reduction, fed one value or one run of values at a time.
protocol RunningReduction {
    associatedtype Value
    /// Adds one value.
    mutating func add(_ value: Value)
    /// Adds a run of values (the fast path).
    mutating func add(_ values: UnsafeBufferPointer<Value>)
}

extension RunningReduction {
    /// Adds the values of the non-null rows of `values`, `perRow` consecutive values per row (more
    /// than one for tensor columns): runs of whole valid 64-row words at once, other rows one by one.
    mutating func addValid(_ values: UnsafeBufferPointer<Value>, _ mask: ValidityMask?, perRow: Int) {
        guard let mask else { return unsafe add(values) }
        mask.forEachValidRun({ rows in
            unsafe add(UnsafeBufferPointer(rebasing: values[rows.lowerBound * perRow..<rows.upperBound * perRow]))
        }, { row in
            guard perRow > 1 else { return unsafe add(values[row]) }
            unsafe add(UnsafeBufferPointer(rebasing: values[row * perRow..<(row + 1) * perRow]))
        })
    }
}

/// Min, max and sum of integer columns: four independent accumulators per figure, and sums split
/// into 32-bit halves accumulated in 64 bits so that they vectorize and cannot overflow (blocks of
/// at most 2³⁰ rows), then joined exactly in 128 bits.
enum IntegerReduction {
    /// The statistics of the valid values of `values`.
    static func reduce<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, _ mask: ValidityMask?, perRow: Int)
        -> ColumnStatistics.Values {
        var state = State<T>()
        unsafe state.addValid(values, mask, perRow: perRow)
        guard state.count > 0 else { return .integers(min: nil, max: nil, sum: 0) }
        return .integers(min: Int128(state.minimum), max: Int128(state.maximum), sum: state.sum)
    }

    /// Running figures.
    struct State<T: FixedWidthInteger>: RunningReduction {
        var count = 0
        var minimum = T.max
        var maximum = T.min
        var sum: Int128 = 0

        mutating func add(_ value: T) {
            count += 1
            minimum = Swift.min(minimum, value)
            maximum = Swift.max(maximum, value)
            sum += Int128(value)
        }

        mutating func add(_ values: UnsafeBufferPointer<T>) {
            let block = 1 << 30
            var start = 0
            while start < values.count {
                let end = Swift.min(values.count, start + block)
                unsafe addBlock(UnsafeBufferPointer(rebasing: values[start..<end]))
                start = end
            }
        }

        /// Adds at most 2³⁰ values: each 32-bit half sums to less than 2⁶² per accumulator.
        private mutating func addBlock(_ values: UnsafeBufferPointer<T>) {
            var low: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            var high: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
            var low4 = (T.max, T.max, T.max, T.max)
            var high4 = (T.min, T.min, T.min, T.min)
            @inline(__always) func split(_ value: T) -> (UInt64, Int64) {
                (UInt64(truncatingIfNeeded: value) & 0xFFFF_FFFF, Int64(truncatingIfNeeded: value >> 32))
            }
            var index = 0
            while index + 4 <= values.count {
                let a = unsafe values[index], b = unsafe values[index + 1]
                let c = unsafe values[index + 2], d = unsafe values[index + 3]
                let (la, ha) = split(a), (lb, hb) = split(b), (lc, hc) = split(c), (ld, hd) = split(d)
                low.0 &+= la; low.1 &+= lb; low.2 &+= lc; low.3 &+= ld
                high.0 &+= ha; high.1 &+= hb; high.2 &+= hc; high.3 &+= hd
                low4.0 = Swift.min(low4.0, a); low4.1 = Swift.min(low4.1, b)
                low4.2 = Swift.min(low4.2, c); low4.3 = Swift.min(low4.3, d)
                high4.0 = Swift.max(high4.0, a); high4.1 = Swift.max(high4.1, b)
                high4.2 = Swift.max(high4.2, c); high4.3 = Swift.max(high4.3, d)
                index += 4
            }
            let lows = Int128(low.0) + Int128(low.1) + Int128(low.2) + Int128(low.3)
            let highs = Int128(high.0) + Int128(high.1) + Int128(high.2) + Int128(high.3)
            sum += lows + (highs << 32)
            count += index
            minimum = Swift.min(minimum, low4.0, low4.1, low4.2, low4.3)
            maximum = Swift.max(maximum, high4.0, high4.1, high4.2, high4.3)
            while index < values.count {
                add(unsafe values[index])
                index += 1
            }
        }
    }
}

/// Min, max and sum of floating-point columns with two SIMD8 accumulators per figure.
enum FloatReduction {
    /// The statistics of the valid values of `values`.
    static func reduce<T: BinaryFloatingPoint & SIMDScalar>(_ values: UnsafeBufferPointer<T>, _ mask: ValidityMask?,
                                                            perRow: Int) -> ColumnStatistics.Values {
        var state = State<T>()
        unsafe state.addValid(values, mask, perRow: perRow)
        let hasValue = state.minimum <= state.maximum
        return .floats(min: hasValue ? Double(state.minimum) : nil, max: hasValue ? Double(state.maximum) : nil,
                       sum: state.sum)
    }

    /// Running figures; NaN never replaces a minimum or maximum (the comparisons are false).
    struct State<T: BinaryFloatingPoint & SIMDScalar>: RunningReduction {
        var minimum = T.infinity
        var maximum = -T.infinity
        var sum = 0.0

        mutating func add(_ value: T) {
            if value < minimum { minimum = value }
            if value > maximum { maximum = value }
            sum += Double(value)
        }

        mutating func add(_ values: UnsafeBufferPointer<T>) {
            // Float16 lanes would overflow (its largest value is 65504): add those one by one.
            guard T.self != Float16.self else {
                for index in values.indices { add(unsafe values[index]) }
                return
            }
            guard let base = values.baseAddress else { return }
            let raw = unsafe UnsafeRawPointer(base)
            let lanes = SIMD8<T>.scalarCount
            var sum0 = SIMD8<T>(), sum1 = SIMD8<T>()
            // Minimum and maximum in eight scalar lanes written as `x < m ? x : m` (which compiles to
            // minpd/maxpd and skips NaN): in this generic (specialized) code `SIMD8.replace(with:where:)`
            // became a lane-by-lane loop through memory, many times slower (BENCHMARKS.md).
            var low = (T.infinity, T.infinity, T.infinity, T.infinity, T.infinity, T.infinity, T.infinity, T.infinity)
            var high = (-T.infinity, -T.infinity, -T.infinity, -T.infinity, -T.infinity, -T.infinity, -T.infinity,
                        -T.infinity)
            var index = 0
            // Lanes sum in T; for Float, blocks of 4096 values are folded into the Double sum.
            while index + 2 * lanes <= values.count {
                let blockEnd = Swift.min(values.count, index + 4096)
                while index + 2 * lanes <= blockEnd {
                    let a = unsafe raw.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.stride, as: SIMD8<T>.self)
                    let b = unsafe raw.loadUnaligned(fromByteOffset: (index + lanes) * MemoryLayout<T>.stride,
                                                     as: SIMD8<T>.self)
                    sum0 += a
                    sum1 += b
                    low.0 = a[0] < low.0 ? a[0] : low.0; high.0 = a[0] > high.0 ? a[0] : high.0
                    low.1 = a[1] < low.1 ? a[1] : low.1; high.1 = a[1] > high.1 ? a[1] : high.1
                    low.2 = a[2] < low.2 ? a[2] : low.2; high.2 = a[2] > high.2 ? a[2] : high.2
                    low.3 = a[3] < low.3 ? a[3] : low.3; high.3 = a[3] > high.3 ? a[3] : high.3
                    low.4 = a[4] < low.4 ? a[4] : low.4; high.4 = a[4] > high.4 ? a[4] : high.4
                    low.5 = a[5] < low.5 ? a[5] : low.5; high.5 = a[5] > high.5 ? a[5] : high.5
                    low.6 = a[6] < low.6 ? a[6] : low.6; high.6 = a[6] > high.6 ? a[6] : high.6
                    low.7 = a[7] < low.7 ? a[7] : low.7; high.7 = a[7] > high.7 ? a[7] : high.7
                    low.0 = b[0] < low.0 ? b[0] : low.0; high.0 = b[0] > high.0 ? b[0] : high.0
                    low.1 = b[1] < low.1 ? b[1] : low.1; high.1 = b[1] > high.1 ? b[1] : high.1
                    low.2 = b[2] < low.2 ? b[2] : low.2; high.2 = b[2] > high.2 ? b[2] : high.2
                    low.3 = b[3] < low.3 ? b[3] : low.3; high.3 = b[3] > high.3 ? b[3] : high.3
                    low.4 = b[4] < low.4 ? b[4] : low.4; high.4 = b[4] > high.4 ? b[4] : high.4
                    low.5 = b[5] < low.5 ? b[5] : low.5; high.5 = b[5] > high.5 ? b[5] : high.5
                    low.6 = b[6] < low.6 ? b[6] : low.6; high.6 = b[6] > high.6 ? b[6] : high.6
                    low.7 = b[7] < low.7 ? b[7] : low.7; high.7 = b[7] > high.7 ? b[7] : high.7
                    index += 2 * lanes
                }
                if T.self != Double.self {
                    sum += Double((sum0 + sum1).sum())
                    sum0 = SIMD8<T>()
                    sum1 = SIMD8<T>()
                }
            }
            sum += Double((sum0 + sum1).sum())
            for candidate in [low.0, low.1, low.2, low.3, low.4, low.5, low.6, low.7] where candidate < minimum {
                minimum = candidate
            }
            for candidate in [high.0, high.1, high.2, high.3, high.4, high.5, high.6, high.7] where candidate > maximum {
                maximum = candidate
            }
            while index < values.count {
                add(unsafe values[index])
                index += 1
            }
        }
    }
}
