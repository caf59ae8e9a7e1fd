import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// Random CSV-like inputs (seeded: `COLFILE_TEST_SEED` replays a run) built from the bytes that
/// matter to the scanner and the value parsers: whatever the bytes, `colfile import` exits 0, 1
/// or 2 with at most one line on stderr (never a signal), and what it imports verifies, exports,
/// and imports back with `--schema "$(colfile inspect --schema)"` to the same values.
@Suite struct CSVSweepTests {
    private static let pieces: [[UInt8]] = [
        ",", "\"", "\n", "\r", "a", "1", "0", ".", "-", "e", "T", ":", "Z", "2024-01-02", "12:30", " ", "é", "NA",
        "true", "[", "]", "1e400", "9999999999999999999", "\t", ";", "+001970-01-01",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xEF, 0xBB, 0xBF]]
    private static let schemas = ["", "a:int8", "a:float16[2]", "a:binary", "a:timestamp(s)", "a:uint64", "b:date",
                                  "a:timestamptz", "b:bool", "a:int64[1x2]"]

    @Test(arguments: 0..<40)
    func randomInputNeverCrashesAndRoundTrips(index: Int) async throws {
        var random = SplitMix64(seed: TestSeed.value &+ UInt64(index))
        let context = "seed \(TestSeed.value) + \(index)"
        let folder = try TemporaryFolder("cli-csv-sweep")
        var bytes = Int.random(in: 0..<10, using: &random) < 7 ? Array("a,b\n".utf8) : []
        for _ in 0..<Int.random(in: 0...200, using: &random) { bytes += Self.pieces.randomElement(using: &random)! }
        let input = try CSVFixtures.write(bytes: bytes, as: "in.csv", in: folder)
        let output = folder.file("out.col")
        var options = ["import", "-q"]
        let schema = Self.schemas.randomElement(using: &random)!
        if !schema.isEmpty { options += ["--schema", schema] }
        if Bool.random(using: &random) { options.append("--no-header") }
        let imported = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), options + [input, output])
        #expect([0, 1, 2].contains(imported.exitCode), "\(context): \(imported.standardError)")
        let errorLineEnds = imported.standardError.utf8.filter { $0 == 10 || $0 == 13 }.count
        #expect(errorLineEnds == (imported.exitCode == 0 ? 0 : 1), "\(context): \(imported.standardError)")
        guard imported.exitCode == 0 else { return }
        #expect(try await ProcessRunner.colfile("verify", output).exitCode == 0, "\(context)")
        // Every name can be spelled in --schema (quoted when it holds a comma).
        let printed = try await ProcessRunner.colfile("inspect", "--schema", output)
        #expect(printed.exitCode == 0 && printed.standardOutput.hasSuffix("\n"), "\(context): \(printed.standardError)")
        guard printed.exitCode == 0 else { return }
        let exported = try await ProcessRunner.colfile("export", output)
        #expect(exported.exitCode == 0, "\(context)")
        let again = try CSVFixtures.write(exported.standardOutput, as: "again.csv", in: folder)
        // As "$(colfile inspect --schema FILE)" passes it: the last line end removed, any inside kept.
        let back = try await ProcessRunner.colfile("import", "-q", "--schema", String(printed.standardOutput.dropLast()),
                                                   again, folder.file("back.col"))
        #expect(back.exitCode == 0, "\(context): \(back.standardError)")
        let sums = [try await ProcessRunner.colfile("checksum", output),
                    try await ProcessRunner.colfile("checksum", folder.file("back.col"))]
        #expect(sums[0].standardOutput == sums[1].standardOutput, "\(context)")
    }
}
