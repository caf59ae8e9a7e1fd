import ColFile
import ColFileTestSupport
import Testing

@Suite struct CacheCommandTests {
    /// A cold file whose column `n` has been decoded into `cache` by an in-process reader.
    private func decodedColdColumn(in folder: TemporaryFolder) throws -> (file: String, cache: String) {
        let path = folder.file("cold.col")
        let writer = try ColFileWriter(path: path)
        writer.defaultCompression = .zlib(level: 6, chunkSize: 4096)
        try writer.addColumn("n", (0..<10_000).map { Int64($0 % 10) })
        try writer.finish()
        let cache = folder.file("cache")
        let reader = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache))
        #expect(try reader.column("n", as: Int64.self)[9_999] == 9)
        return (path, cache)
    }

    @Test func listShowsTheDecodedEntryAndClearRemovesIt() async throws {
        let folder = try TemporaryFolder("cli-cache")
        let (path, cache) = try decodedColdColumn(in: folder)
        let identity = try ColFileReader.open(path, options: ReaderOptions(coldColumns: .refuse)).identity

        let listed = try await ProcessRunner.colfile("cache", "list", "--folder", cache)
        #expect(listed.exitCode == 0)
        #expect(listed.outputLines.first == "\(cache): 1 entries, 86.0 kB")
        #expect(listed.outputLines.contains { $0.hasPrefix("  \(identity)-0 ") })

        let kept = try await ProcessRunner.colfile("cache", "clear", "--folder", cache, "--older-than", "1d")
        #expect(kept.outputLines == ["removed 0 entries, 0 B"])
        let cleared = try await ProcessRunner.colfile("cache", "clear", "--folder", cache)
        #expect(cleared.outputLines == ["removed 1 entries, 86.0 kB"])
        #expect(try ColdColumnCache.entries(in: cache).isEmpty)
    }

    /// A folder that does not exist has no entries; one that cannot be listed is an I/O error,
    /// named with its errno (the cache no longer swallows file-system errors).
    @Test func missingAndUnreadableFolders() async throws {
        let folder = try TemporaryFolder("cli-cache-errors")
        #expect(try ColdColumnCache.entries(in: folder.file("none")).isEmpty)
        #expect(try ColdColumnCache.clear(in: folder.file("none")).isEmpty)
        let notAFolder = folder.file("file")
        try Files.write([1, 2, 3], to: notAFolder)
        let error = #expect(throws: ColFileError.self) { try ColdColumnCache.entries(in: notAFolder) }
        #expect(error?.code == .io && error?.errno == .notDirectory)
        let listed = try await ProcessRunner.colfile("cache", "list", "--folder", notAFolder)
        #expect(listed.exitCode == 2)
        #expect(listed.errorLines == ["colfile: \(notAFolder): cannot list the cache folder: Not a directory (errno 20)"])
    }

    @Test func clearRejectsABadDuration() async throws {
        let result = try await ProcessRunner.colfile("cache", "clear", "--older-than", "soon")
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("--older-than takes a number and a unit"))
    }
}
