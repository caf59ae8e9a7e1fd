import ColFile
import ColFileTestSupport
import Testing

/// Commands whose file is truncated to half its size while they read it: one line naming the file,
/// exit status 1, never SIGBUS (issue 17).
@Suite struct TruncatedFileCommandTests {
    /// A file of three columns (Double, String, Int64) of `rows` rows at `path`; returns its size.
    private func writeFile(_ path: String, rows: Int) throws -> Int {
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("x", (0..<rows).map { Double($0) })
        try writer.addColumn("s", (0..<rows).map { "row \($0 % 977)" })
        try writer.addColumn("y", (0..<rows).map { Int64($0) })
        try writer.finish()
        return try Files.read(path).count
    }

    private func changedLine(_ path: String) -> String {
        "colfile: \(path): the file changed or was truncated while being read; publish new versions by atomic rename\n"
    }

    /// `colfile export` waits on a full pipe while the file is cut.
    @Test func exportOfAFileTruncatedMidReadFailsInOneLine() async throws {
        let folder = try TemporaryFolder("cli-truncated")
        let path = folder.file("t.col")
        let size = try writeFile(path, rows: 1 << 17)
        let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), ["export", "-q", path]) {
            try Files.truncate(path, to: UInt64(size / 2))
        }
        #expect(result.exitCode == 1, "\(result.standardError)")
        #expect(result.standardError == changedLine(path))
        #expect(result.outputBytes > 0)
    }

    /// The command is stopped (SIGSTOP) as soon as it maps the file, the file is cut, and it goes on.
    @Test(arguments: [["stats"], ["checksum"], ["verify"]])
    func commandWhoseFileIsTruncatedOnceMappedFailsInOneLine(_ command: [String]) async throws {
        let folder = try TemporaryFolder("cli-truncated-\(command[0])")
        let path = folder.file("t.col")
        let size = try writeFile(path, rows: 1 << 18)
        let (result, paused) = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), command + [path],
                                                           pausingOnceItMaps: path) {
            try Files.truncate(path, to: UInt64(size / 2))
        }
        #expect(paused)
        #expect(result.exitCode == 1, "\(result.standardError)")
        #expect(result.standardError == changedLine(path))
    }
}
