import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// `colfile clean FOLDER` removes the named temporary files of writers that no longer run.
@Suite struct CleanCommandTests {
    @Test func removesStaleTemporariesAndKeepsLiveOnes() async throws {
        let folder = try TemporaryFolder("clean")
        // A writer of this (running) process with a named temporary file, not finished yet.
        var options = ColFileWriter.Options()
        options.useNamedTemporaryFile = true
        let writer = try ColFileWriter(path: folder.file("live.col"), options: options)
        try writer.addColumn("x", [1, 2, 3] as [Int64])
        let live = try #require(try folder.contents().first { $0.contains(".colfile-tmp-\(getpid())-") })
        // A leftover of a process that does not run (no PID reaches Int32.max: pid_max is at most 2^22).
        let stale = ".old.col.colfile-tmp-\(Int32.max)-1f2e"
        #expect(FileManager.default.createFile(atPath: folder.file(stale), contents: Data([1, 2, 3])))
        #expect(FileManager.default.createFile(atPath: folder.file("keep.col"), contents: Data()))
        #expect(FileManager.default.createFile(atPath: folder.file(".x.colfile-tmp-notapid-1"), contents: Data()))

        let dry = try await ProcessRunner.colfile("clean", "--dry-run", folder.path)
        #expect(dry.exitCode == 0)
        #expect(dry.outputLines.contains("would remove \(folder.path)/\(stale)"))
        #expect(try folder.contents().contains(stale))

        let result = try await ProcessRunner.colfile("clean", folder.path)
        #expect(result.exitCode == 0)
        #expect(result.outputLines.contains("removed \(folder.path)/\(stale)"))
        #expect(result.outputLines.contains { $0.hasPrefix("kept \(folder.path)/\(live)") })
        #expect(try folder.contents() == [".x.colfile-tmp-notapid-1", live, "keep.col"].sorted())
        try writer.finish()
        #expect(try folder.contents() == [".x.colfile-tmp-notapid-1", "keep.col", "live.col"].sorted())
    }
}
