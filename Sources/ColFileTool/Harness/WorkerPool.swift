import FoundationEssentials
import Subprocess
import SystemPackage

/// Starts `count` copies of `colfile harness-worker` and drives them through the stages of
/// ``WorkerStage`` together, with a ``StageBarrier``.
struct WorkerPool {
    /// The worker's arguments after `harness-worker`.
    var arguments: [String]
    /// The number of workers.
    var count: Int
    /// Runs when every live worker has reached a barrier stage, before they are released.
    var onBarrier: @Sendable (WorkerStage) -> Void = { _ in }
    /// Runs at every stage a worker reaches (before ``shouldKill``), e.g. to act once every worker
    /// has started to scan.
    var onStage: @Sendable (_ index: Int, WorkerStage) -> Void = { _, _ in }
    /// Asked at every stage a worker reaches; returning true kills that worker with SIGKILL.
    var shouldKill: @Sendable (_ index: Int, WorkerStage) -> Bool = { _, _ in false }

    /// The path of the running `colfile` executable, which the workers run too.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Runs the workers to the end.
    ///
    /// - Returns: One outcome per worker, in worker order.
    /// - Throws: When a worker cannot be started.
    func run() async throws -> [WorkerOutcome] {
        let barrier = StageBarrier(count: count, onComplete: onBarrier)
        let executable = Self.executable
        return try await withThrowingTaskGroup(of: WorkerOutcome.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await runWorker(index, executable: executable, barrier: barrier)
                }
            }
            var outcomes: [WorkerOutcome] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.index < $1.index }
        }
    }

    private func runWorker(_ index: Int, executable: String, barrier: StageBarrier) async throws -> WorkerOutcome {
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(["harness-worker"] + arguments),
            input: .inputWriter, output: .sequence, error: .string(limit: 1 << 16)
        ) { execution in
            var report: WorkerReport?
            var lastStage: WorkerStage?
            var killed = false
            do {
                for try await line in execution.standardOutput.strings() {
                    let word = line.prefix { $0 != " " }
                    guard let stage = WorkerStage(rawValue: String(word)) else { continue }
                    lastStage = stage
                    if stage == .report {
                        report = try JSONDecoder().decode(WorkerReport.self, from: Data(line.dropFirst(word.count + 1).utf8))
                    }
                    onStage(index, stage)
                    if shouldKill(index, stage) {
                        try execution.send(signal: .kill)
                        killed = true
                        break
                    }
                    guard stage.isBarrier else { continue }
                    await barrier.arrive(at: stage)
                    if let reply = stage.reply {
                        _ = try await execution.standardInputWriter.write(reply + "\n")
                    } else {
                        try await execution.standardInputWriter.finish()
                    }
                }
            } catch {
                // The worker went away mid-protocol; its exit status tells why.
            }
            await barrier.leave(after: lastStage)
            try? await execution.standardInputWriter.finish()
            return (report, lastStage, killed, execution.processIdentifier.value)
        }
        let exitCode: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        let (report, lastStage, killed, pid) = result.closureResult
        return WorkerOutcome(index: index, pid: pid, report: report, exitCode: exitCode,
                             standardError: result.standardError, killedByHarness: killed, lastStage: lastStage)
    }
}
