import Foundation

/// A small, fast, deterministic random number generator (SplitMix64, Steele, Lea and Flood 2014),
/// so that random tests replay exactly from their seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that produces the sequence of `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The seed of the random tests: `COLFILE_TEST_SEED` from the environment (decimal or `0x` hex),
/// or a fixed default so that runs are reproducible. Every failure message of a random test
/// includes it, so a failure can be replayed with `COLFILE_TEST_SEED=N swift test`.
public enum TestSeed {
    /// The seed used when `COLFILE_TEST_SEED` is not set.
    public static let defaultSeed: UInt64 = 0xC01F_11E5

    /// The seed for this run.
    public static let value: UInt64 = {
        guard let text = ProcessInfo.processInfo.environment["COLFILE_TEST_SEED"] else { return defaultSeed }
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) ?? defaultSeed }
        return UInt64(text) ?? defaultSeed
    }()
}
