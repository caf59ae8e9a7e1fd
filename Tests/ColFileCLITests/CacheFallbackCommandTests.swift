import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// `colfile stats` of a cold file whose decode cache cannot take an entry: the command succeeds
/// with the right figures, says so in one warning line on stderr (once, for two cold columns), and
/// leaves nothing in the cache folder (issue 17).
@Suite struct CacheFallbackCommandTests {
    /// A file of two zlib-compressed Int64 columns of `rows` rows (8 × rows decoded bytes each).
    private func coldFile(in folder: TemporaryFolder, rows: Int) throws -> String {
        let path = folder.file("cold.col")
        let writer = try ColFileWriter(path: path)
        writer.defaultCompression = .zlib(level: 1)
        try writer.addColumn("a", (0..<rows).map { Int64($0 % 1000) })
        try writer.addColumn("b", (0..<rows).map { Int64($0 % 7) })
        try writer.finish()
        return path
    }

    private func expectOneWarning(_ result: ProcessOutput, path: String, cache: String, reason: String) {
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.errorLines.count == 1, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("colfile: warning: \(path): column 'a': decoded in private memory: "
                                               + "the decode cache \(cache) cannot be used ("), "\(result.standardError)")
        #expect(result.standardError.contains(reason), "\(result.standardError)")
        #expect(result.standardOutput.contains("a"))
    }

    @Test(.enabled(if: TmpfsMount.isAvailable, "cannot mount a tmpfs (needs root)"))
    func statsWithTheCacheOnAFullTmpfsWarnsOnceAndSucceeds() async throws {
        let folder = try TemporaryFolder("cli-cache-enospc")
        let path = try coldFile(in: folder, rows: 1 << 18)
        let disk = try TmpfsMount("cli-cache-enospc", size: "1m")
        let expected = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), ["stats", path],
                                                   environment: ["COLFILE_CACHE_DIR": folder.file("cache")])
        let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), ["stats", path],
                                                 environment: ["COLFILE_CACHE_DIR": disk.path])
        expectOneWarning(result, path: path, cache: disk.path, reason: "No space left on device (errno 28)")
        #expect(result.standardOutput == expected.standardOutput)
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path) == [])
    }

    /// Without root: a cache "folder" that is a regular file.
    @Test func statsWithACacheThatIsNotAFolderWarnsOnceAndSucceeds() async throws {
        let folder = try TemporaryFolder("cli-cache-file")
        let path = try coldFile(in: folder, rows: 1 << 12)
        let cache = folder.file("not-a-folder")
        try Files.write([1, 2, 3], to: cache)
        let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), ["stats", path],
                                                 environment: ["COLFILE_CACHE_DIR": cache])
        expectOneWarning(result, path: path, cache: cache, reason: "not a folder")
        #expect(try Files.read(cache) == [1, 2, 3])
    }
}
