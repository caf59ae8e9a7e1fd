extension HarnessScenario {
    /// The most the sharing ratio of the many-readers scenario may be: 32 processes' own small
    /// allocations between the two Pss readings add a little to one shared copy (1.00–1.02 on a
    /// quiet machine, up to 1.107 seen under the parallel test suite on a 64 MiB file), while 32
    /// private copies would give 32.
    static let manyReadersRatioLimit = 1.25

    /// *many readers*: `--processes` (default 32) workers attach to `file` at once, in shared mode;
    /// every one must succeed, the checksums agree, and the sharing ratio stay about 1.
    static func manyReaders(_ command: HarnessCommand, file: String) async throws -> ScenarioResult {
        let processes = command.processes ?? 32
        let report = try await command.measure(file: file, processes: processes, mode: .shared)
        var result = ScenarioResult(scenario: .manyReaders, report: report)
        result.note("processes", processes)
        result.note("succeeded", report.workers.count)
        result.note("sharingRatio", report.sharingRatio)
        result.expect(report.failures.isEmpty, report.failures.first ?? "")
        result.expect(report.workers.count == processes, "\(report.workers.count) of \(processes) workers succeeded")
        result.expect(report.checksumsAgree, "the workers' checksums disagree")
        result.expect(report.sharingRatio <= manyReadersRatioLimit,
                      "sharing ratio \(report.sharingRatio) is above \(manyReadersRatioLimit)")
        return result
    }
}
