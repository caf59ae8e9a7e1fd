/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast random generator that gives the same
/// sequence for the same seed, so random choices can be replayed from their seed.
///
/// Package access, not public API: the tool's harness scenarios and bench, and the tests, share it
/// (the bench's string column must equal the one `Tools/bench/peers.py` makes for Arrow).
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that produces the sequence of `seed`.
    package init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's output function: a well-mixed 64-bit value from any 64-bit value (the values
    /// of `next()` are `mix(seed + k × 0x9E3779B97F4A7C15)` for k = 1, 2, …).
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
