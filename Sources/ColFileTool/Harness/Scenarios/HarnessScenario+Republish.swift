
extension HarnessScenario {
    /// *republish*: version 1 of a ``VersionedFile`` is published in a scratch folder;
    /// `--processes` (default 4) `harness-reader-loop` processes open it, and once all hold it a
    /// `harness-writer` process publishes versions 2 … `--versions` by atomic rename. Every reader
    /// must check every version it opens, keep reading the versions it holds, reach the last
    /// version and exit 0 (no SIGBUS, no partial file).
    static func republish(_ command: HarnessCommand) async throws -> ScenarioResult {
        let processes = command.processes ?? 4
        let scratch = try ScratchFolder("republish", in: command.dir)
        let path = scratch.file("republish.col")
        let rows = command.rows
        let last = command.versions
        try VersionedFile.write(version: 1, rows: rows, to: path)

        // Readers arrive at `ready` once they hold version 1; the writer starts after all have.
        let holding = StageBarrier(count: processes + 1)
        let readerArguments = ["harness-reader-loop", "--last", String(last), "--rows", String(rows), path]
        async let readers = holdingReaders(processes, readerArguments, holding: holding)
        await holding.arrive(at: .ready)
        let writer = try await HelperProcess.run(
            ["harness-writer", "--first", "2", "--last", String(last), "--rows", String(rows), path])
        let outcomes = try await readers

        var result = ScenarioResult(scenario: .republish)
        result.note("readers", processes)
        result.note("versions", last)
        result.note("opens", outcomes.reduce(0) { $0 + (Self.doneFigures($1)?.opens ?? 0) })
        result.note("versionsSeenPerReader", outcomes.compactMap { Self.doneFigures($0)?.seen })
        result.expect(writer.exitCode == 0, "the writer failed: \(writer.why)")
        for outcome in outcomes {
            result.expect(outcome.exitCode == 0 && Self.doneFigures(outcome) != nil,
                          "reader \(outcome.pid) failed: \(outcome.why)")
        }
        return result
    }

    /// The figures of a reader loop's `done OPENS SEEN` line.
    private static func doneFigures(_ outcome: HelperProcess.Outcome) -> (opens: Int, seen: Int)? {
        guard let line = outcome.lines.last(where: { $0.hasPrefix("done ") }) else { return nil }
        let words = line.split(separator: " ")
        guard words.count == 3, let opens = Int(words[1]), let seen = Int(words[2]) else { return nil }
        return (opens, seen)
    }
}
