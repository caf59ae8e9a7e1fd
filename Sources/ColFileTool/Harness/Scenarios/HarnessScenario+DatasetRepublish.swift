import FoundationEssentials

extension HarnessScenario {
    /// *dataset-republish*: version 1 of a dataset of three ``VersionedFile`` shards (serials 1–3)
    /// is created in a scratch folder by `colfile dataset create`; `--processes` (default 4)
    /// `harness-dataset-reader` processes open it and map its shards. Once all hold it, real
    /// processes publish version 2 (`colfile dataset append --replace` of shard 1 by shard 4),
    /// remove version 1 (`colfile dataset gc --keep 1 --grace 0s`: its manifest and shard 1's
    /// file go) and publish version 3 (shard 5 appended). Every reader must still read version 1
    /// whole, then open version 3, and exit 0.
    static func datasetRepublish(_ command: HarnessCommand) async throws -> ScenarioResult {
        let processes = command.processes ?? 4
        let scratch = try ScratchFolder("dataset-republish", in: command.dir)
        let folder = scratch.file("dataset")
        let rows = max(1_000, command.rows / 10)
        let files = (1...5).map { scratch.file("s\($0).col") }
        for (index, file) in files.enumerated() { try VersionedFile.write(version: index + 1, rows: rows, to: file) }

        var result = ScenarioResult(scenario: .datasetRepublish)
        let create = try await HelperProcess.run(["dataset", "create", folder] + files[0..<3])
        result.expect(create.exitCode == 0, "colfile dataset create failed: \(create.why)")
        guard result.passed else { return result }

        let holding = StageBarrier(count: processes + 1)
        let readerArguments = ["harness-dataset-reader", "--last", "3", folder]
        async let readers = holdingReaders(processes, readerArguments, holding: holding)
        await holding.arrive(at: .ready)
        let steps: [[String]] = [
            ["dataset", "append", folder, "--replace", "s1.col", files[3]],
            ["dataset", "gc", "--keep", "1", "--grace", "0s", folder],
            ["dataset", "append", folder, files[4]],
        ]
        for step in steps {
            let outcome = try await HelperProcess.run(step)
            result.expect(outcome.exitCode == 0, "colfile \(step[0]) \(step[1]) failed: \(outcome.why)")
        }
        let outcomes = try await readers
        let removed = !FileManager.default.fileExists(atPath: folder + "/s1.col")
            && !FileManager.default.fileExists(atPath: folder + "/_manifest-00000000000000000001.col")
        result.note("readers", processes)
        result.note("rowsPerShard", rows)
        result.note("heldVersionRemoved", removed)
        result.expect(removed, "gc left version 1's manifest or its replaced shard in place")
        for outcome in outcomes {
            result.expect(outcome.exitCode == 0 && outcome.lines.last == "done 1 3",
                          "reader \(outcome.pid) failed: \(outcome.why)")
        }
        return result
    }
}
