import ColFile
import ColFileTestSupport
import Foundation
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

        let listed = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), ["cache", "list", "--folder", cache],
                                                 environment: ["COLFILE_CACHE_MAX_SIZE": "1G"])
        #expect(listed.exitCode == 0)
        #expect(listed.outputLines.first == "\(cache): 1 entries, 86.0 kB; limit 1.1 GB ($COLFILE_CACHE_MAX_SIZE)")
        #expect(listed.outputLines.contains { $0.hasPrefix("  \(identity)-0 ") })

        let kept = try await ProcessRunner.colfile("cache", "clear", "--folder", cache, "--older-than", "1d")
        #expect(kept.outputLines == ["removed 0 entries, 0 B"])
        let cleared = try await ProcessRunner.colfile("cache", "clear", "--folder", cache)
        #expect(cleared.outputLines == ["removed 1 entries, 86.0 kB"])
        #expect(try ColdColumnCache.entries(in: cache).isEmpty)
    }

    /// `clear` leaves a lock file a decoder holds (its holder removes it, Specification.md §13.4:
    /// removing it would let a second decoder lock a new file of that name meanwhile) and removes
    /// one nobody holds, with or without its entry.
    @Test func clearLeavesAHeldLockToItsHolder() throws {
        let folder = try TemporaryFolder("cli-cache-lock")
        let (_, cache) = try decodedColdColumn(in: folder)
        let entry = try #require(try ColdColumnCache.entries(in: cache).first).path
        let holder = unsafe open(entry + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        try #require(holder >= 0 && flock(holder, LOCK_EX) == 0)
        #expect(try ColdColumnCache.clear(in: cache).map(\.path) == [entry])
        #expect(FileManager.default.fileExists(atPath: entry + ".lock"), "the held lock file stays")
        close(holder)

        try Files.write([0], to: entry)  // listed by its name: an entry to clear with its lock
        #expect(try ColdColumnCache.clear(in: cache).map(\.path) == [entry])
        #expect(!FileManager.default.fileExists(atPath: entry + ".lock"), "a lock nobody holds is removed")

        // A lock file whose entry is gone (its decoder killed): `clear` removes it when nobody holds
        // it, `clear --older-than` leaves it (it has no last use to compare).
        try Files.write([], to: entry + ".lock")
        #expect(try ColdColumnCache.clear(in: cache, unusedSince: Date()).isEmpty)
        #expect(FileManager.default.fileExists(atPath: entry + ".lock"))
        #expect(try ColdColumnCache.clear(in: cache).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: entry + ".lock"), "an orphan lock nobody holds is removed")
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

    /// Runs the tool with `$COLFILE_CACHE_MAX_SIZE` set to `limit`.
    private func colfile(_ arguments: [String], limit: String) async throws -> ProcessOutput {
        try await ProcessRunner.run(RepositoryPaths.executable("colfile"), arguments,
                                    environment: ["COLFILE_CACHE_MAX_SIZE": limit])
    }

    /// The limit in `$COLFILE_CACHE_MAX_SIZE` bounds what the tool's reads leave in the cache, and
    /// `cache list` and `cache trim` say where their limit came from.
    @Test func theEnvironmentsLimitBoundsTheCache() async throws {
        let folder = try TemporaryFolder("cli-cache-limit")
        let path = folder.file("cold.col")
        let writer = try ColFileWriter(path: path)
        writer.defaultCompression = .zlib(level: 6, chunkSize: 4096)
        try writer.addColumn("a", (0..<10_000).map { Int64($0) })
        try writer.addColumn("b", (0..<10_000).map { Int64(-$0) })
        try writer.finish()
        let cache = folder.file("cache")
        let environment = ["COLFILE_CACHE_DIR": cache, "COLFILE_CACHE_MAX_SIZE": "100k"]
        for column in ["a", "b"] {
            let exported = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), ["export", "--columns", column, path], environment: environment)
            #expect(exported.exitCode == 0 && exported.outputLines.count == 10_001)
            #expect(try ColdColumnCache.entries(in: cache).count == 1)
        }
        #expect(try ColdColumnCache.entries(in: cache).first?.source.hasSuffix("-1") == true)

        let listed = try await colfile(["cache", "list", "--folder", cache], limit: "100k")
        #expect(listed.outputLines.first == "\(cache): 1 entries, 86.0 kB; limit 102 kB ($COLFILE_CACHE_MAX_SIZE)")
        let ignored = try await colfile(["cache", "list", "--folder", cache], limit: "lots")
        #expect(ignored.outputLines.first?.hasSuffix(
            "(a tenth of its file system; $COLFILE_CACHE_MAX_SIZE=lots is not a size)") == true)
        let kept = try await colfile(["cache", "trim", "--folder", cache], limit: "86016")
        #expect(kept.outputLines == ["removed 0 entries, 0 B; limit 86.0 kB ($COLFILE_CACHE_MAX_SIZE)"])
        let trimmed = try await colfile(["cache", "trim", "--folder", cache, "--max-size", "86015"], limit: "1G")
        #expect(trimmed.outputLines == ["removed 1 entries, 86.0 kB; limit 86.0 kB (--max-size)"])
        #expect(try ColdColumnCache.entries(in: cache).isEmpty)
        let missing = try await colfile(["cache", "trim", "--folder", folder.file("none")], limit: "lots")
        #expect(missing.outputLines == ["removed 0 entries, 0 B (\(folder.file("none")) does not exist)"])
    }

    @Test func trimRejectsABadSize() async throws {
        let result = try await ProcessRunner.colfile("cache", "trim", "--max-size", "1.5G")
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("--max-size takes a number of bytes, or a number and K, M, G or T"))
    }

    @Test func clearRejectsABadDuration() async throws {
        let result = try await ProcessRunner.colfile("cache", "clear", "--older-than", "soon")
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("--older-than takes a number and a unit"))
    }
}
