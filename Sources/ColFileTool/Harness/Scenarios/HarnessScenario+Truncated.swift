import ColFile
import FoundationEssentials
import SystemPackage

extension HarnessScenario {
    /// *truncated*: copies `file` into a scratch folder; `--processes` (default 4) workers open the
    /// copy and scan it again and again (`harness-worker --until-changed`). Once every worker has
    /// started scanning, this process truncates the copy to half its size, as a careless writer
    /// would. Each worker must survive (no SIGBUS), report ``ColFile/ColFileError/Code/fileChanged``
    /// from its reader, then report and exit 0; opening the path again gives `truncated`.
    static func truncated(_ command: HarnessCommand, file: String) async throws -> ScenarioResult {
        let processes = command.processes ?? 4
        let scratch = try ScratchFolder("truncated", in: command.dir)
        let copy = scratch.file("truncated.col")
        try FileManager.default.copyItem(atPath: file, toPath: copy)
        let size = try FileManager.default.attributesOfItem(atPath: copy)[.size] as? UInt64 ?? 0
        let scanning = Locked(0)
        let truncation = Locked<String?>(nil)
        let report = try await command.measure(file: copy, processes: processes, mode: .shared,
                                               workerOptions: ["--until-changed"]) { pool in
            pool.onStage = { _, stage in
                guard stage == .scanning, scanning.withLock({ $0 += 1; return $0 }) == processes else { return }
                do {
                    let file = try FileDescriptor.open(FilePath(copy), .readWrite)
                    try file.closeAfter { try file.resize(to: Int64(size / 2)) }
                } catch {
                    truncation.withLock { $0 = "\(error)" }
                }
            }
        }
        var result = ScenarioResult(scenario: .truncated, report: report)
        let changes = report.workers.compactMap(\.fileChanged)
        result.note("processes", processes)
        result.note("truncatedTo", size / 2)
        result.note("succeeded", report.workers.count)
        result.note("sawChange", changes.count)
        result.note("scanPassesPerReader", report.workers.map { $0.scanPasses ?? 0 })
        result.note("reopened", report.workers.map { $0.reopened ?? "" })
        result.expect(truncation.withLock { $0 } == nil, "cannot truncate the copy: \(truncation.withLock { $0 } ?? "")")
        result.expect(report.failures.isEmpty, report.failures.first ?? "")
        result.expect(report.workers.count == processes, "\(report.workers.count) of \(processes) workers succeeded")
        result.expect(changes.count == processes, "\(processes - changes.count) workers never saw the change")
        let expected = ColFileReader.changeError(path: copy).description
        result.expect(changes.allSatisfy { $0 == expected }, "a worker reported \(changes.first { $0 != expected } ?? "")")
        result.expect(report.workers.allSatisfy { $0.reopened == ColFileError.Code.truncated.rawValue },
                      "opening the truncated copy again did not give 'truncated'")
        return result
    }
}
