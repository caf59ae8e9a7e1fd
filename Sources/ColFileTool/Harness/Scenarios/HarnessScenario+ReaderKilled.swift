import ColFile

extension HarnessScenario {
    /// *reader killed*: `--processes` (default 4) workers scan `file`; one, chosen with `--seed`,
    /// is killed with SIGKILL as soon as it reports that its scan started. The others must finish
    /// and agree with the checksum of a fresh worker started afterwards.
    static func readerKilled(_ command: HarnessCommand, file: String) async throws -> ScenarioResult {
        let processes = command.processes ?? 4
        var generator = SplitMix64(seed: command.seed)
        let victim = Int.random(in: 0..<processes, using: &generator)
        let report = try await command.measure(file: file, processes: processes, mode: command.mode) { pool in
            pool.shouldKill = { index, stage in index == victim && stage == .scanning }
        }
        let reference = try await command.measure(file: file, processes: 1, mode: command.mode)
        var result = ScenarioResult(scenario: .readerKilled, report: report)
        result.note("seed", command.seed)
        result.note("killedWorker", victim)
        result.note("survivors", report.workers.count)
        result.expect(report.failures.isEmpty, report.failures.first ?? "")
        result.expect(report.workers.count == processes - 1,
                      "\(report.workers.count) workers reported; expected all \(processes - 1) survivors (seed \(command.seed))")
        result.expect(report.checksumsAgree, "the survivors' checksums disagree (seed \(command.seed))")
        result.expect(reference.passed && reference.workers.first?.checksum == report.workers.first?.checksum,
                      "the survivors' checksum differs from a fresh reader's (seed \(command.seed))")
        return result
    }
}
