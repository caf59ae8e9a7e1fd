/// Times closures; what each returns is added to ``consumed``, which the report prints, so the
/// optimizer cannot drop the measured work.
final class Stopwatch {
    /// The sum of every measured result.
    private(set) var consumed = 0.0
    private let clock = ContinuousClock()

    /// Runs `body` once untimed (a warm-up, as `Tools/bench/peers.py` does for the peers: in
    /// this VM the first writes of a process land on memory the host has reclaimed, BENCHMARKS.md
    /// "Writing"), then `count` times; returns the seconds each timed run took. `prepare` runs
    /// untimed before each run, the warm-up included.
    func measure(_ count: Int, prepare: () -> Void = {}, _ body: () throws -> Double) rethrows -> [Double] {
        prepare()
        consumed += try body()
        return try (0..<count).map { _ in
            prepare()
            var result = 0.0
            let elapsed = try clock.measure { result = try body() }
            consumed += result
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }
}
