import ColFileTestSupport
import Foundation

/// Writes CSV inputs for the tool's tests.
enum CSVFixtures {
    /// Writes `text` (as UTF-8, byte for byte) to `name` in `folder` and returns its path.
    static func write(_ text: String, as name: String = "input.csv", in folder: TemporaryFolder) throws -> String {
        try write(bytes: Array(text.utf8), as: name, in: folder)
    }

    /// Writes `bytes` to `name` in `folder` and returns its path.
    static func write(bytes: [UInt8], as name: String, in folder: TemporaryFolder) throws -> String {
        let path = folder.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A small table with one column of each imported type and some nulls.
    static let small = """
        id,score,name,ok,day,seen
        1,2.5,ann,true,2024-01-02,2024-01-02T14:30:00Z
        2,NA,"bob, jr",false,2024-02-29,
        3,-1e3,,TRUE,1999-12-31,2000-01-01T00:00:00.250Z
        4,0.125,"a very long name that goes on and on and on",,2024-01-02,2024-01-02T14:30:00Z

        """
}

/// A deterministic pseudo-random generator (SplitMix64), so failures can be replayed from the seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose sequence `seed` fixes.
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
