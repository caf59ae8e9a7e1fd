import ColFile
import ColFileTestSupport
import Testing

/// `colfile import --compress` names the codec of each cold column (Specification.md §13), and a
/// machine without the zstd library fails only on zstd columns, with a clear error.
@Suite struct CompressOptionTests {
    /// Imports ``CSVFixtures/small`` with `arguments` and returns each column's codec.
    private func codecs(_ arguments: String...) async throws -> [String: Codec] {
        let folder = try TemporaryFolder("compress")
        let input = try CSVFixtures.write(CSVFixtures.small, in: folder)
        let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), ["import", "-q"] + arguments + [input, folder.file("out.col")])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let reader = try ColFileReader.open(folder.file("out.col"))
        return Dictionary(uniqueKeysWithValues: try reader.columns.map { ($0.name, $0.codec) })
    }

    @Test func everyColumnWithOneCodec() async throws {
        #expect(Set(try await codecs("--compress", "zstd").values) == [.zstd])
        #expect(Set(try await codecs("--compress", "zlib", "--compression-level", "9").values) == [.zlib])
        #expect(Set(try await codecs("--compress", "zstd", "--compression-level", "19").values) == [.zstd])
    }

    @Test func namedColumnsWithTheirCodecs() async throws {
        let chosen = try await codecs("--compress", "name,score:zlib,day:zstd")
        #expect(chosen == ["id": .none, "score": .zlib, "name": .zstd, "ok": .none, "day": .zstd, "seen": .none])
    }

    @Test(arguments: [["--compress", "auto", "--compression-level", "3"], ["--compress", "zstd", "--compression-level", "0"],
                      ["--compress", "zlib", "--compression-level", "10"], ["--compress", "name:lz4"],
                      ["--compress", ",name"]])
    func badChoicesAreUsageErrors(arguments: [String]) async throws {
        let folder = try TemporaryFolder("compress")
        let input = try CSVFixtures.write(CSVFixtures.small, in: folder)
        let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), ["import", "-q"] + arguments + [input, folder.file("out.col")])
        #expect(result.exitCode == 2, "\(arguments)")
        #expect(result.errorLines.count == 1, "\(arguments): \(result.standardError)")
    }

    /// Without libzstd (here: `COLFILE_ZSTD_LIBRARY` naming a file that does not exist), reading a
    /// zstd column fails with one line and the I/O status, and `--compress auto` falls back to zlib.
    @Test func withoutTheZstdLibrary() async throws {
        let folder = try TemporaryFolder("no-zstd")
        let environment = ["COLFILE_ZSTD_LIBRARY": folder.file("missing-libzstd.so"), "COLFILE_CACHE_DIR": folder.file("cache")]
        let read = try await ProcessRunner.run(RepositoryPaths.executable("colfile"),
                                               ["export", RepositoryPaths.fixture("cold-zstd.col")], environment: environment)
        #expect(read.exitCode == 2)
        #expect(read.errorLines.count == 1)
        #expect(read.errorLines.first?.contains("column 'id': the zstd codec is not available") == true,
                "\(read.standardError)")
        // The zlib fixture reads as ever.
        let zlib = try await ProcessRunner.run(RepositoryPaths.executable("colfile"),
                                               ["export", RepositoryPaths.fixture("cold.col")], environment: environment)
        #expect(zlib.exitCode == 0, "\(zlib.standardError)")
        let input = try CSVFixtures.write("a,b\n" + String(repeating: "1,x\n", count: 20_000), in: folder)
        let imported = try await ProcessRunner.run(RepositoryPaths.executable("colfile"),
                                                   ["import", "-q", "--compress", "auto", input, folder.file("auto.col")],
                                                   environment: environment)
        #expect(imported.exitCode == 0, "\(imported.standardError)")
        #expect(try ColFileReader.open(folder.file("auto.col")).columns.map(\.codec) == [.zlib, .zlib])
    }
}
