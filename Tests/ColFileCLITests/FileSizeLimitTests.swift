import ColFile
import ColFileTestSupport
import Testing

/// `colfile demo` in a child process whose files may not grow past 32 KiB (`ulimit -f 64`, in
/// 512-byte blocks) with SIGXFSZ ignored, so writes fail with EFBIG as on a full disk: the tool
/// exits with 2 and one line on stderr, the previous file at the target is untouched and no
/// temporary file is left.
@Suite struct FileSizeLimitTests {
    @Test(arguments: [false, true])
    func writePastTheFileSizeLimitFailsCleanly(named: Bool) async throws {
        let folder = try TemporaryFolder("fsize")
        let path = folder.file("t.col")
        try GoldenFixtures.named("spec-example").write(to: path)
        let before = try Files.read(path)
        let script = "trap '' XFSZ; ulimit -f 64; exec \"$0\" demo --output \"$1\" --rows 20000 \"$2\""
        let result = try await ProcessRunner.run("/bin/sh", [
            "-c", script, RepositoryPaths.executable("colfile"), path, named ? "--named-temporary-file" : "--rows=20000",
        ])
        #expect(result.exitCode == 2)
        #expect(result.errorLines.count == 1)
        let line = result.errorLines.first ?? ""
        #expect(line.hasPrefix("colfile: \(path): cannot write "), "\(line)")
        #expect(line.hasSuffix(": File too large (errno 27)"), "\(line)")
        #expect(try Files.read(path) == before)
        #expect(try folder.contents() == ["t.col"])
    }
}
