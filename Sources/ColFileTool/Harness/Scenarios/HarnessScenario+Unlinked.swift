import FoundationEssentials

extension HarnessScenario {
    /// *unlinked*: copies `file` into a scratch folder; `--processes` (default 4) workers open the
    /// copy, and once all have it open it is deleted. They must still scan it, agree with a reader
    /// of the original, and each see ``ColFileReader/fileHasBeenReplaced()`` become true.
    static func unlinked(_ command: HarnessCommand, file: String) async throws -> ScenarioResult {
        let processes = command.processes ?? 4
        let scratch = try ScratchFolder("unlinked", in: command.dir)
        let copy = scratch.file("unlinked.col")
        try FileManager.default.copyItem(atPath: file, toPath: copy)
        let report = try await command.measure(file: copy, processes: processes, mode: .shared) { pool in
            pool.onBarrier = { stage in
                if stage == .opened { try? FileManager.default.removeItem(atPath: copy) }
            }
        }
        let reference = try await command.measure(file: file, processes: 1, mode: .shared)
        var result = ScenarioResult(scenario: .unlinked, report: report)
        result.note("succeeded", report.workers.count)
        result.note("sawDeletion", report.workers.filter(\.fileReplaced).count)
        result.expect(report.passed, report.failures.first ?? "the workers' checksums disagree")
        result.expect(report.workers.count == processes, "\(report.workers.count) of \(processes) workers succeeded")
        result.expect(!FileManager.default.fileExists(atPath: copy), "the copy was not deleted")
        result.expect(report.workers.allSatisfy(\.fileReplaced), "a worker did not notice that its file was deleted")
        result.expect(reference.passed && reference.workers.first?.checksum == report.workers.first?.checksum,
                      "the checksum read from the deleted copy differs from the original's")
        return result
    }
}
