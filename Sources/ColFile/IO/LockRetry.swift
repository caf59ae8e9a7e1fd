import SystemPackage

/// Tries a lock again for a moment when it is refused without waiting.
///
/// A child that another thread forked holds a copy of every close-on-exec descriptor until it
/// execs, and with it the locks of their open descriptions (`flock` and open-file-description
/// locks alike): a lock its holder has just released can look held for that moment, and
/// `/proc/PID/fdinfo` names the child as its holder. The dataset lock (§14.6) and the draft's seal
/// lock (§15.4) each retry on their own schedule.
struct LockRetry {
    /// The first pause after a refusal; each later pause doubles it, up to ``longestPause``.
    let firstPause: Duration
    /// The longest pause between two attempts.
    let longestPause: Duration

    /// The dataset lock's schedule (§14.6): pauses of 1, 2, 4, … 128 ms.
    static let datasetLock = LockRetry(firstPause: .milliseconds(1), longestPause: .milliseconds(128))
    /// The seal lock's schedule (§15.4): pauses of 5 ms doubling up to 200 ms.
    static let sealLock = LockRetry(firstPause: .milliseconds(5), longestPause: .milliseconds(200))

    /// Calls `attempt` (one try that does not wait) until it returns true or `limit` has passed;
    /// the last attempt is made at the limit.
    ///
    /// - Returns: whether an attempt took the lock.
    func take(within limit: Duration, _ attempt: () throws(Errno) -> Bool) throws(Errno) -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        var pause = firstPause
        while true {
            if try attempt() { return true }
            let elapsed = clock.now - start
            guard elapsed < limit else { return false }
            let (seconds, attoseconds) = min(pause, limit - elapsed).components
            Syscalls.sleep(microseconds: Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000))
            pause = min(pause * 2, longestPause)
        }
    }
}
