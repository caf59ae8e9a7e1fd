/// Sums over mapped values with several independent SIMD accumulators.
///
/// One accumulator is bound by the latency of floating-point adds; sixteen lanes in two `SIMD8`
/// accumulators keep the adders busy and reach memory speed (BENCHMARKS.md has the figures). The
/// order of additions differs from a left-to-right loop, so floating-point results may differ from
/// one in the last bits.
package enum Reductions {
    /// The sum of `values` with the kernel of ``MappedArray/sum()`` (package access for the bench,
    /// which runs the same kernel over a Swift array to compare a mapping with memory).
    package static func sum(_ values: Span<Double>) -> Double {
        unsafe values.withUnsafeBytes { unsafe sumOfLanes(ByteView($0), as: Double.self) }
    }

    /// The sum of the values of type `T` that fill `bytes`, lanes first, then the tail.
    static func sumOfLanes<T: SIMDScalar & BinaryFloatingPoint>(_ bytes: ByteView, as type: T.Type) -> T {
        let count = bytes.count / MemoryLayout<T>.stride
        let lanes = SIMD8<T>.scalarCount
        let laneBytes = lanes * MemoryLayout<T>.stride
        var first = SIMD8<T>()
        var second = SIMD8<T>()
        var index = 0
        // Every load lies in the first `count` values: the loop stops two lane groups before the end.
        while index + 2 * lanes <= count {
            let offset = index * MemoryLayout<T>.stride
            first += unsafe bytes.uncheckedLoad(SIMD8<T>.self, at: offset)
            second += unsafe bytes.uncheckedLoad(SIMD8<T>.self, at: offset + laneBytes)
            index += 2 * lanes
        }
        var total = (first + second).sum()
        while index < count {
            total += bytes.element(index, as: T.self)
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
        withBytes { Reductions.sumOfLanes($0, as: Element.self) }
    }
}

extension MappedArray where Element == Float {
    /// The sum of every element.
    ///
    /// - Complexity: O(count), at memory speed.
    public func sum() -> Float {
        withBytes { Reductions.sumOfLanes($0, as: Element.self) }
    }
}

extension FixedWidthColumn where Value == Double {
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

extension FixedWidthColumn where Value == Float {
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
