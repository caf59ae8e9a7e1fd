/// Sums over mapped values with several independent SIMD accumulators.
///
/// One accumulator is bound by the latency of floating-point adds (about 17 GB/s here); sixteen
/// lanes in two `SIMD8` accumulators keep the adders busy and reach memory speed
/// (SWIFT-NOTES, BENCHMARKS.md). The order of additions differs from a left-to-right loop, so
/// floating-point results may differ from one in the last bits.
package enum Reductions {
    /// The sum of `values` with the kernel of ``MappedArray/sum()`` (public only to benchmarks,
    /// which run the same kernel over a Swift array to compare a mapping with memory).
    package static func sum(_ values: UnsafeBufferPointer<Double>) -> Double {
        unsafe sumOfLanes(values)
    }

    /// The sum of `values`, lanes first, then the tail.
    static func sumOfLanes<T: SIMDScalar & BinaryFloatingPoint>(_ values: UnsafeBufferPointer<T>) -> T {
        guard let base = values.baseAddress else { return 0 }
        let raw = unsafe UnsafeRawPointer(base)
        let lanes = SIMD8<T>.scalarCount
        var first = SIMD8<T>()
        var second = SIMD8<T>()
        var index = 0
        while index + 2 * lanes <= values.count {
            first += unsafe raw.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.stride, as: SIMD8<T>.self)
            second += unsafe raw.loadUnaligned(fromByteOffset: (index + lanes) * MemoryLayout<T>.stride,
                                               as: SIMD8<T>.self)
            index += 2 * lanes
        }
        var total = (first + second).sum()
        while index < values.count {
            total += unsafe values[index]
            index += 1
        }
        return total
    }
}

extension MappedArray where Element == Double {
    /// The sum of every element.
    ///
    /// - Complexity: O(count), at memory speed.
    public func sum() -> Double {
        unsafe withUnsafeBufferPointer { unsafe Reductions.sumOfLanes($0) }
    }
}

extension MappedArray where Element == Float {
    /// The sum of every element.
    ///
    /// - Complexity: O(count), at memory speed.
    public func sum() -> Float {
        unsafe withUnsafeBufferPointer { unsafe Reductions.sumOfLanes($0) }
    }
}

extension FixedWidthColumn where Element == Double {
    /// The sum of the non-null values.
    ///
    /// - Complexity: O(count); at memory speed when the column has no nulls.
    public func sum() -> Double {
        guard let validity else { return values.sum() }
        var total = 0.0
        for row in 0..<count where validity[row] { total += values[row] }
        return total
    }
}

extension FixedWidthColumn where Element == Float {
    /// The sum of the non-null values.
    ///
    /// - Complexity: O(count); at memory speed when the column has no nulls.
    public func sum() -> Float {
        guard let validity else { return values.sum() }
        var total: Float = 0
        for row in 0..<count where validity[row] { total += values[row] }
        return total
    }
}
