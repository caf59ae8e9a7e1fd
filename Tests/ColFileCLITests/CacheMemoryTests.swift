import ColFile
import ColFileTestSupport
import Testing

/// Decoding a cold column into the shared cache holds memory in proportion to the column, not to
/// its chunk size times the number of threads: `colfile checksum` of a 40 KB column stored in one
/// 64 MiB chunk runs within 300 MB of address space (`ulimit -v`). It used to stage
/// 4 × threads × 64 MiB (512 MiB on 2 cores) and fail.
@Suite struct CacheMemoryTests {
    @Test(.disabled(if: Sanitizers.addressSanitizerIsLoaded, "ulimit -v leaves no room for ASan's shadow memory"))
    func smallColumnWithLargeChunksDecodesInLittleMemory() async throws {
        let folder = try TemporaryFolder("cache-memory")
        let cache = try TemporaryFolder("cache-memory-cache")
        let path = folder.file("c.col")
        let writer = try ColFileWriter(path: path)
        writer.defaultCompression = .zlib(level: 1, chunkSize: 64 << 20)
        try writer.addColumn("n", (0..<10_000).map { Int32($0 % 100) })
        try writer.finish()

        let script = "ulimit -v 300000; COLFILE_CACHE_DIR=\"$2\" exec \"$0\" checksum \"$1\""
        let result = try await ProcessRunner.run("/bin/sh", ["-c", script, RepositoryPaths.executable("colfile"), path,
                                                             cache.path])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.outputLines.count == 1)
        #expect(try cache.contents().filter { $0.hasSuffix(".colcache") }.count == 1)
    }
}
