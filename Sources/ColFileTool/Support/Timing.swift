/// Runs `body` and measures it with `ContinuousClock`.
///
/// - Returns: What `body` returned and how long it took.
func timed<Result>(_ body: () throws -> Result) rethrows -> (result: Result, duration: Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body()
    return (result, clock.now - start)
}
