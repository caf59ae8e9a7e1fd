import ColFile
import ColFileTestSupport
import Testing

@Suite struct CommandLineTests {
    @Test func helpListsVisibleSubcommandsAndExitCodes() async throws {
        let result = try await ProcessRunner.colfile("--help")
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("USAGE: colfile <subcommand>"))
        #expect(result.standardOutput.contains("inspect"))
        #expect(result.standardOutput.contains("demo"))
        #expect(!result.standardOutput.contains("checksum"))
        #expect(result.standardOutput.contains("Exit codes"))
    }

    @Test func version() async throws {
        let result = try await ProcessRunner.colfile("--version")
        #expect(result.exitCode == 0)
        #expect(result.outputLines == ["0.2.0 (format 1.2)"])
    }

    /// Every command starts without the full Foundation and its ICU data (about 3–4 ms of CPU a
    /// process, issue #16): the dynamic loader's own list of what it loads says so.
    @Test func startLoadsNeitherFoundationNorICU() async throws {
        let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), ["--version"],
                                                 environment: ["LD_DEBUG": "files"])
        #expect(result.exitCode == 0)
        #expect(result.standardError.contains("libswiftCore.so"))
        for library in ["libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so"] {
            // An incremental build made before a file stopped importing Foundation can keep the
            // old link entries in objects it did not recompile: a clean build tells.
            #expect(!result.standardError.contains(library), "colfile loads \(library) (after an incremental build? build clean)")
        }
    }

    @Test(arguments: [["inspect"], ["demo", "--rows", "0"], ["nosuchcommand"], ["inspect", "--bogus", "x"]])
    func usageErrorsExitWith2(arguments: [String]) async throws {
        let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), arguments)
        #expect(result.exitCode == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("Error: "))
    }

    @Test func demoWritesAFileThatOpens() async throws {
        let folder = try TemporaryFolder("cli-demo")
        let path = folder.file("demo.col")
        let result = try await ProcessRunner.colfile("demo", "--rows", "1000", "--output", path)
        #expect(result.exitCode == 0)
        #expect(result.standardError.isEmpty)
        for step in ["write", "open", "read", "sum"] {
            #expect(result.outputLines.contains { $0.hasPrefix("  \(step) ") })
        }
        #expect(result.standardOutput.contains("2024-01-02T14:30:00.000Z"))

        let reader = try ColFileReader.open(path)
        try reader.verify()
        #expect(reader.rowCount == 1000)
        #expect(try reader.columns.map(\.name) == ["id", "price", "qty", "symbol", "flag", "ts", "day", "embedding"])
        #expect(try reader.info("ts").logicalType == .timestamp(unit: .milliseconds, timeZone: "UTC"))
        #expect(try reader.info("day").logicalType == .date)
        #expect(try reader.info("embedding").shape == [8])
        #expect(try reader.info("flag").nullCount > 0)
        #expect(Set(try reader.stringColumn("symbol")).count > 12)
        #expect(Array(try reader.column("id", as: Int64.self)) == (0..<1000).map(Int64.init))
        #expect(result.outputLines.last?.hasSuffix("bytes; next: colfile inspect \(path)") == true)
    }
}
