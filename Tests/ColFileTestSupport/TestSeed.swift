import Foundation

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
