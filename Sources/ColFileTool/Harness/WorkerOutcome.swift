/// How one worker process ended.
struct WorkerOutcome: Sendable {
    /// The worker's number, 0 ..< count.
    var index: Int
    /// Its process id.
    var pid: Int32
    /// What it reported, if it got that far.
    var report: WorkerReport?
    /// Its exit status, or 128 + the signal that ended it (as shells report it).
    var exitCode: Int32
    /// What it wrote to standard error.
    var standardError: String
    /// Whether the harness killed it on purpose.
    var killedByHarness: Bool
    /// The last stage it reached.
    var lastStage: WorkerStage?

    /// Whether it ran to the end and reported.
    var succeeded: Bool { report != nil && exitCode == 0 }

    /// One line saying why a worker did not succeed.
    var failureDescription: String {
        let stage = lastStage.map { "after stage '\($0.rawValue)'" } ?? "before starting"
        let message = standardError.split(separator: "\n").first.map { ": \($0)" } ?? ""
        return "worker \(index) (pid \(pid)) ended with status \(exitCode) \(stage)\(message)"
    }
}
