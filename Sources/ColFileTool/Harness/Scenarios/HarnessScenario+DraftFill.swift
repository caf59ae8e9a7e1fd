import ColFile
import FoundationEssentials
import Synchronization

extension HarnessScenario {
    /// The most the writers' sharing ratio may be: Σ(growth of each writer's memory share) ÷ bytes
    /// they wrote, a share being its anonymous pages plus its `Pss` of the draft's pages
    /// (``MemoryRollup/shareKiB(ofAnonymousPagesAndFile:)``: not the shared libraries', whose `Pss`
    /// moves with the other processes of a busy machine — it gave 0.997–1.108 in one minute at load
    /// 6; the share gave 1.009 five times at load 17). Writers that fill one shared mapping hold one
    /// copy (about 1.0); each holding its results privately before handing them over would hold
    /// two or more.
    static let draftFillRatioLimit = 1.1

    /// *draft fill*: `--processes` (default 4) `harness-filler` processes fill a draft of `--rows`
    /// rows (``FillJob``: a Float64 result column and an Int64 counter column) by claiming ranges;
    /// one of them, chosen by `--seed`, stops halfway through a range and is killed with SIGKILL,
    /// and a new filler starts. The draft is then sealed (every range must be done) and the
    /// sealed file must verify and hold exactly the expected values: every `value` row, and a
    /// `count` of 1 in every row (no row counted twice, although the killed filler's half range
    /// was written twice). The growth of the fillers' summed memory shares (anonymous pages and the
    /// draft's `Pss`) must be about one copy of what they wrote.
    static func draftFill(_ command: HarnessCommand) async throws -> ScenarioResult {
        let scratch = try ScratchFolder("draft-fill", in: command.dir)
        let target = command.output ?? scratch.file("results.col")
        let path = ColFileDraft.defaultPath(forTarget: target)
        let processes = command.processes ?? 4
        let rows = command.rows
        var generator = SplitMix64(seed: command.seed)
        let victim = Int(generator.next() % UInt64(processes))
        let stallAt = Int(generator.next() % 2) + 1
        var result = ScenarioResult(scenario: .draftFill)
        let clock = ContinuousClock()
        let started = clock.now
        let created = try ColFileDraft.create(path, rowCount: rows, columns: FillJob.columns,
                                              rowsPerRange: command.rowsPerRange)
        let ranges = created.rangeCount
        _ = consume created
        // Every live filler reads its memory share once all have finished (the barrier file appears).
        let barrier = scratch.file("measure")
        let finished = Mutex(0)
        let onLine: @Sendable (String) async -> HelperProcess.LineAction = { line in
            if line == "finished", finished.withLock({ $0 += 1; return $0 }) == processes {
                _ = FileManager.default.createFile(atPath: barrier, contents: nil)
            }
            return .proceed
        }
        let filler = ["harness-filler", "--barrier", barrier]

        let outcomes = try await withThrowingTaskGroup(of: [HelperProcess.Outcome].self) { group in
            for index in 0..<processes {
                group.addTask {
                    guard index == victim else { return [try await HelperProcess.run(filler + [path], onLine: onLine)] }
                    let killed = try await HelperProcess.run(filler + ["--stall-at", String(stallAt), path]) { line in
                        line.hasPrefix("stalled ") ? .kill(after: .zero) : .proceed
                    }
                    return [killed, try await HelperProcess.run(filler + [path], onLine: onLine)]
                }
            }
            var all: [HelperProcess.Outcome] = []
            for try await outcomes in group { all += outcomes }
            return all
        }
        let fillTime = clock.now - started
        let reports = outcomes.compactMap { outcome in
            outcome.lines.last { $0.hasPrefix("report ") }.flatMap {
                try? JSONDecoder().decode(HarnessFillerCommand.Report.self, from: Data($0.dropFirst(7).utf8))
            }
        }
        let killed = outcomes.filter(\.killed)
        let stalledRange = killed.first?.lines.last { $0.hasPrefix("stalled ") }.flatMap { Int($0.split(separator: " ")[1]) }
        result.expect(killed.count == 1, "expected one filler killed mid-range, found \(killed.count) (seed \(command.seed))")
        for outcome in outcomes where !outcome.killed {
            result.expect(outcome.exitCode == 0, "filler \(outcome.pid) failed: \(outcome.why)")
        }
        let resumedByReports = reports.reduce(0) { $0 + $1.resumed }
        result.expect(resumedByReports >= 1, "no filler resumed the killed filler's range")

        let draft = try ColFileDraft.open(path)
        let progress = draft.progress()
        let stalledAttempts = stalledRange.map { draft.attempts(ofRange: $0) }
        _ = consume draft
        result.expect(progress.done == ranges, "not every range is done: \(progress)")
        result.expect(stalledAttempts.map { $0 >= 2 } ?? false,
                      "the stalled range \(stalledRange.map(String.init) ?? "?") was not claimed again")

        let (seal, sealTime) = try timed {
            try ColFileDraft.seal(path, to: target, options: SealOptions(requiresAllRangesDone: true))
        }
        let reader = try ColFileReader.open(target)
        try reader.verify()
        let values = try reader.column("value", as: Double.self)
        let counts = try reader.column("count", as: Int64.self)
        let wrongValue = values.values.indices.first { values.isNull($0) || values.storedValue(at: $0) != FillJob.value($0) }
        let wrongCount = counts.values.indices.first { counts.storedValue(at: $0) != 1 }
        result.expect(wrongValue == nil, "row \(wrongValue ?? 0) holds \(String(describing: values[wrongValue ?? 0])), expected \(FillJob.value(wrongValue ?? 0))")
        result.expect(wrongCount == nil, "row \(wrongCount ?? 0) was counted \(counts.storedValue(at: wrongCount ?? 0)) times")
        result.expect(seal.nullCounts == ["value": 0, "count": 0], "the sealed file has nulls: \(seal.nullCounts)")

        let grownKiB = reports.reduce(0) { $0 + max(0, $1.pssAfterKiB - $1.pssBeforeKiB) }
        let writtenBytes = Double(reports.reduce(0) { $0 + $1.rows }) * FillJob.bytesPerRow
        let ratio = writtenBytes > 0 ? Double(grownKiB) * 1024 / writtenBytes : 0
        result.expect(ratio <= draftFillRatioLimit, "sharing ratio \(ratio) is above \(draftFillRatioLimit)")
        result.note("rows", rows)
        result.note("ranges", ranges)
        result.note("processes", processes)
        result.note("fillers", outcomes.count)
        result.note("killedPid", killed.first?.pid ?? 0)
        result.note("stalledRange", stalledRange ?? -1)
        result.note("resumedRanges", progress.resumed)
        result.note("seed", command.seed)
        result.note("fileBytes", seal.bytes)
        result.note("fillSeconds", TextFormatting.seconds(fillTime))
        result.note("sealSeconds", TextFormatting.seconds(sealTime))
        result.note("pssGrowthKiB", grownKiB)
        result.note("bytesWritten", Int(writtenBytes))
        result.note("sharingRatio", (ratio * 1000).rounded() / 1000)
        if command.output == nil { try? FileManager.default.removeItem(atPath: target) }
        return result
    }
}
