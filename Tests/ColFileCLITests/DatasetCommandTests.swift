import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// `colfile dataset create|append|inspect|verify|gc` and `colfile import --shard-rows`, run as
/// processes: the round trip, exit statuses, a shard whose identity no longer matches, writers
/// racing to publish, and an import that widens a type after writing shards.
@Suite struct DatasetCommandTests {
    /// Imports `rows` rows (`id` from `first`, `x`, `s` with a null every 7th row) into `name`.
    private func table(_ name: String, first: Int, rows: Int, in folder: TemporaryFolder) async throws -> String {
        var text = "id,x,s\n"
        for id in first..<(first + rows) { text += "\(id),\(Double(id) / 4),\(id % 7 == 0 ? "" : "s\(id)")\n" }
        let input = try CSVFixtures.write(text, as: name + ".csv", in: folder)
        let output = folder.file(name)
        let result = try await ProcessRunner.colfile("import", "-q", input, output)
        #expect(result.exitCode == 0, "\(result.standardError)")
        return output
    }

    private func run(_ arguments: String...) async throws -> ProcessOutput {
        try await ProcessRunner.run(RepositoryPaths.executable("colfile"), arguments)
    }

    /// The `inspect --json` object of the dataset at `path`.
    private func inspect(_ path: String, version: Int? = nil) async throws -> [String: Any] {
        let arguments = ["dataset", "inspect", "--json"] + (version.map { ["--version", String($0)] } ?? []) + [path]
        let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), arguments)
        #expect(result.exitCode == 0, "\(result.standardError)")
        return try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
    }

    private func shardNames(_ json: [String: Any]) -> [String] {
        (json["shards"] as! [[String: Any]]).map { $0["name"] as! String }
    }

    @Test func createAppendInspectVerifyCollect() async throws {
        let folder = try TemporaryFolder("cli-dataset")
        let a = try await table("a.col", first: 0, rows: 10, in: folder)
        let b = try await table("b.col", first: 10, rows: 5, in: folder)
        let c = try await table("c.col", first: 15, rows: 3, in: folder)
        let path = folder.file("ds")

        let create = try await run("dataset", "create", "--metadata", "source=test", path, a, b)
        #expect(create.exitCode == 0 && create.standardError.isEmpty, "\(create.standardError)")
        #expect(create.standardOutput == "\(path): version 1 published (2 shards, 15 rows)\n")
        let text = try await run("dataset", "inspect", path)
        #expect(text.outputLines.prefix(5) == ["\(path): dataset version 1", "  shards    2", "  rows      15",
                                               text.outputLines[3], "  metadata:"])
        #expect(text.outputLines.contains { $0.hasPrefix("  s       String   -        -      yes") })
        #expect(text.outputLines.contains { $0.hasPrefix("  a.col    10          0") })

        let append = try await run("dataset", "append", "--copy", path, c, "--replace", "a.col")
        #expect(append.exitCode == 0, "\(append.standardError)")
        #expect(append.standardOutput == "\(path): version 2 published (2 shards, 8 rows)\n")
        let second = try await inspect(path)
        #expect(second["version"] as? Int == 2 && second["rows"] as? Int == 8)
        #expect(shardNames(second) == ["c.col", "b.col"])
        #expect((second["metadata"] as? [String: String]) == ["source": "test"])
        #expect(shardNames(try await inspect(path, version: 1)) == ["a.col", "b.col"])

        let verify = try await run("dataset", "verify", path)
        #expect(verify.exitCode == 0 && verify.standardOutput.hasPrefix("\(path): version 2 ok (2 shards, 8 rows, "))
        let quick = try await run("dataset", "verify", "--quick", "--version", "1", path)
        #expect(quick.exitCode == 0 && quick.standardOutput.contains(" checked in "))

        let dry = try await run("dataset", "gc", "--keep", "1", "--grace", "0s", "--dry-run", path)
        #expect(dry.outputLines == ["would remove version 1", "would remove \(path)/a.col",
                                    "\(path): newest version 2; kept version 2; would remove 1 manifest and 1 file "
                                        + "(\(dry.outputLines.last!.split(separator: "(").last!)"])
        let gc = try await run("dataset", "gc", "--keep", "1", "--grace", "0s", path)
        #expect(gc.exitCode == 0 && gc.outputLines.first == "removed version 1", "\(gc.standardError)")
        #expect(!FileManager.default.fileExists(atPath: path + "/a.col"))
        #expect(FileManager.default.fileExists(atPath: a), "the source file stays")
        let gone = try await run("dataset", "inspect", "--version", "1", path)
        #expect(gone.exitCode == 2 && gone.standardError.contains("the dataset has no version 1"))
        let again = try await run("dataset", "verify", "--quiet", path)
        #expect(again.exitCode == 0 && again.standardOutput.isEmpty)
    }

    /// A shard replaced in place by another file (against the rules) is caught: exit 1, the
    /// shard and both identities named, never read as the shard.
    @Test func verifyCatchesAShardWhoseIdentityChanged() async throws {
        let folder = try TemporaryFolder("cli-dataset-identity")
        let a = try await table("a.col", first: 0, rows: 4, in: folder)
        let b = try await table("b.col", first: 4, rows: 4, in: folder)
        let path = folder.file("ds")
        #expect(try await run("dataset", "create", "--copy", path, a, b).exitCode == 0)
        let before = try await inspect(path)
        // Rewrite the shard's file (a new file id) at its name.
        let rewritten = try await run("import", "-q", folder.file("b.col.csv"), path + "/b.col")
        #expect(rewritten.exitCode == 0)
        let verify = try await run("dataset", "verify", path)
        #expect(verify.exitCode == 1)
        let expected = (before["shards"] as! [[String: Any]])[1]["identity"] as! String
        #expect(verify.standardError.hasPrefix("colfile: \(path)/b.col: the file is not the shard dataset version 1 names: "
                                                 + "its identity differs (expected \(expected), found "))
        let quick = try await run("dataset", "verify", "--quick", path)
        #expect(quick.exitCode == 1 && quick.standardError == verify.standardError)
    }

    /// Eight `colfile dataset append` processes at once: every one publishes (each builds on the
    /// versions the others published first), and the last version holds every file.
    @Test func racingAppendsAllLand() async throws {
        let folder = try TemporaryFolder("cli-dataset-race")
        let path = folder.file("ds")
        let first = try await table("s0.col", first: 0, rows: 2, in: folder)
        #expect(try await run("dataset", "create", path, first).exitCode == 0)
        var files: [String] = []
        for index in 1...8 { files.append(try await table("s\(index).col", first: index * 2, rows: 2, in: folder)) }
        let outcomes = try await withThrowingTaskGroup(of: ProcessOutput.self) { group in
            for file in files { group.addTask { try await ProcessRunner.colfile("dataset", "append", path, file) } }
            var outcomes: [ProcessOutput] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.allSatisfy { $0.exitCode == 0 }, "\(outcomes.map(\.standardError))")
        let versions = Set(outcomes.compactMap { $0.standardOutput.split(separator: " ").dropFirst(2).first.map(String.init) })
        #expect(versions == Set((2...9).map(String.init)), "each append published its own version")
        let last = try await inspect(path)
        #expect(last["version"] as? Int == 9 && last["rows"] as? Int == 18)
        #expect(Set(shardNames(last)) == Set((0...8).map { "s\($0).col" }))
        #expect(try await run("dataset", "verify", path).exitCode == 0)
    }

    /// `import --shard-rows`: a CSV larger than the sample, whose `x` turns float after shards
    /// were written as int64: the shards written are removed and the import writes them again;
    /// `--append` adds a second import as the next version. Each shard decides its own dictionary
    /// encoding (Specification.md §14.3): the first import's shards encode `kind`, the appended
    /// ones (`--dictionary never`) keep it plain, and the version holds both.
    @Test func importWritesShardsAndWidensAcrossThem() async throws {
        let folder = try TemporaryFolder("cli-import-shards")
        // `kind` has 3 values: every shard stores it dictionary-encoded.
        var text = "id,x,kind\n"
        for id in 0..<25_000 { text += "\(id),\(id == 24_000 ? "0.5" : String(id)),k\(id % 3)\n" }
        let input = try CSVFixtures.write(text, in: folder)
        let path = folder.file("ds")
        let result = try await run("import", "--shard-rows", "10000", input, path)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.outputLines.first?.contains("into \(path) (dataset version 1, 3 new shards, ") == true)
        #expect(result.outputLines.contains { $0.hasPrefix("note: row 24001, column 'x': '0.5' did not fit int64") })
        let json = try await inspect(path)
        #expect((json["shards"] as! [[String: Any]]).map { $0["rows"] as! Int } == [10_000, 10_000, 5_000])
        #expect((json["schema"] as! [[String: Any]]).map { $0["type"] as! String } == ["Int64", "Float64", "String"])
        #expect(try folder.contents().filter { !$0.hasSuffix(".csv") } == ["ds"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasPrefix("part-") }.count == 3,
                "the shards of the abandoned pass were removed")

        let exists = try await run("import", "-q", "--shard-rows", "10000", input, path)
        #expect(exists.exitCode == 2 && exists.standardError == "colfile: \(path): a dataset already exists here (version 1)\n")
        let appended = try await run("import", "-q", "--shard-rows", "20000", "--append", "--compress", "zstd",
                                     "--dictionary", "never", input, path)
        #expect(appended.exitCode == 0, "\(appended.standardError)")
        let second = try await inspect(path)
        #expect(second["version"] as? Int == 2 && second["rows"] as? Int == 50_000 && shardNames(second).count == 5)
        // --compress applies to every shard the import writes (format 1.2's zstd among the plain ones).
        let codecs = try ColFileDataset.open(path).openAllShards().map { try $0.info("x").codec }
        #expect(codecs == [.none, .none, .none, .zstd, .zstd])
        let encoded = try ColFileDataset.open(path).openAllShards().map { try $0.info("kind").isDictionaryEncoded }
        #expect(encoded == [true, true, true, false, false])
        #expect(try await run("dataset", "verify", path).exitCode == 0)
        let misuse = try await run("import", "--append", input, folder.file("x.col"))
        #expect(misuse.exitCode == 2 && misuse.standardError.contains("--append needs --shard-rows"))
    }

    /// `head`, `export` and `stats` of a dataset's folder read its newest version as one table:
    /// the same text as for one file of the same rows, across shards stored dictionary-encoded
    /// and plain, for row ranges spanning shards, with the schema's types.
    @Test func headExportAndStatsReadADatasetAsOneTable() async throws {
        let folder = try TemporaryFolder("cli-dataset-rows")
        var text = "id,x,kind\n"
        for id in 0..<2_500 { text += "\(id),\(Double(id) / 8),\(id % 11 == 0 ? "" : "k\(id % 3)")\n" }
        let input = try CSVFixtures.write(text, in: folder)
        let twice = try CSVFixtures.write(text + text.drop { $0 != "\n" }.dropFirst(), as: "twice.csv", in: folder)
        let path = folder.file("ds")
        #expect(try await run("import", "-q", "--shard-rows", "1000", input, path).exitCode == 0)
        #expect(try await run("import", "-q", "--shard-rows", "800", "--append", "--dictionary", "never", input, path)
            .exitCode == 0)
        let encoded = try ColFileDataset.open(path).openAllShards().map { try $0.info("kind").isDictionaryEncoded }
        #expect(encoded == [true, true, true, false, false, false, false])
        let one = folder.file("one.col")
        #expect(try await run("import", "-q", "--dictionary", "never", twice, one).exitCode == 0)
        for arguments in [["export"], ["export", "--format", "jsonl"], ["export", "--rows", "900..2600", "--columns", "kind,id"],
                          ["export", "--rows", "4999.."], ["export", "--rows", "7..7"], ["head"], ["head", "-n", "3000"],
                          ["head", "--format", "csv", "-n", "1001"]] {
            let dataset = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), arguments + [path])
            let file = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), arguments + [one])
            #expect(dataset.exitCode == 0 && dataset.standardError.isEmpty, "\(arguments): \(dataset.standardError)")
            #expect(dataset.standardOutput == file.standardOutput, "\(arguments)")
            #expect(!dataset.standardOutput.isEmpty)
        }
        // Version 1: the first import only.
        let first = folder.file("first.col")
        #expect(try await run("import", "-q", "--dictionary", "never", input, first).exitCode == 0)
        for command in ["export", "head", "stats"] {
            let old = try await run(command, "--version", "1", path)
            let file = try await run(command, first)
            #expect(old.exitCode == 0 && old.outputLines.dropFirst() == file.outputLines.dropFirst(), "\(command)")
        }
        let versionOfAFile = try await run("export", "--version", "1", first)
        #expect(versionOfAFile.exitCode == 2
                && versionOfAFile.standardError == "colfile: --version reads a version of a dataset's folder, not of a file\n")
        let stats = try await run("stats", path)
        let fileStats = try await run("stats", one)
        #expect(stats.outputLines.first == "\(path): dataset version 2, 7 shards, 5,000 rows, 3 columns")
        #expect(stats.exitCode == 0 && stats.outputLines.dropFirst() == fileStats.outputLines.dropFirst())
        let head = try await run("head", "-n", "2", DatasetFixtures.dictionary)
        #expect(head.standardOutput == "label   day\nString  Date\nred     2022-01-08\ngreen   2022-01-09\n(2 of 6 rows, 2 columns)\n")
        let unknown = try await run("export", "--columns", "id,nope", path)
        #expect(unknown.exitCode == 2 && unknown.standardError == "colfile: \(path): column 'nope': no such column in the dataset\n")
        let none = try await run("head", folder.path)
        #expect(none.exitCode == 2 && none.standardError.contains("no dataset here"))
    }

    /// A bad manifest is a bad file (exit 1); a folder without a dataset, usage or I/O (exit 2), as
    /// is a dataset's folder given to a command that reads one file.
    @Test func exitStatusesOfDatasetErrors() async throws {
        let broken = try await run("dataset", "inspect", DatasetFixtures.broken("layout-2"))
        #expect(broken.exitCode == 1 && broken.standardError.contains("manifest layout 2 is not supported"))
        let folder = try TemporaryFolder("cli-dataset-none")
        let none = try await run("dataset", "inspect", folder.path)
        #expect(none.exitCode == 2 && none.standardError.contains("no dataset here"))
        let golden = try await run("dataset", "inspect", "--json", DatasetFixtures.golden)
        #expect(golden.exitCode == 0 && golden.standardOutput.contains("\"version\" : 2"))
        // A shard that does not match its manifest fails before any row (or the CSV header) is printed.
        let mismatch = DatasetFixtures.broken("shard-rows-differ")
        for command in ["export", "head", "stats"] {
            let result = try await run(command, mismatch)
            #expect(result.exitCode == 1 && result.standardOutput.isEmpty, "\(command)")
            #expect(result.standardError == "colfile: \(mismatch)/b.col: the shard has another row count than its "
                    + "manifest says (expected 3, found 2)\n", "\(command)")
        }
        // Commands that read one file only name the `colfile dataset` command for a dataset.
        for (command, datasetCommand) in [("inspect", "inspect"), ("verify", "verify"), ("checksum", "verify")] {
            let refused = try await run(command, DatasetFixtures.golden)
            #expect(refused.exitCode == 2 && refused.standardError == "colfile: \(DatasetFixtures.golden): a dataset's "
                    + "folder: read it with colfile dataset \(datasetCommand) \(DatasetFixtures.golden)\n")
        }
    }
}
