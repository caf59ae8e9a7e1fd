import ColFileTestSupport
import Foundation
import Testing

/// Every reading subcommand pointed at a directory, FIFO, socket, character or block device: one
/// line naming the path and what it is, exit status 2, at once (a FIFO without a writer used to
/// hang `colfile inspect`; each run is under `timeout 60`, so a hang fails with 124).
@Suite struct SpecialFileCommandTests {
    private static let commands: [[String]] = [
        ["inspect"], ["inspect", "--json"], ["head"], ["stats"], ["export"], ["verify"], ["checksum"],
    ]

    private func expectRefused(_ path: String, as phrase: String, commands: [[String]] = commands) async throws {
        for command in commands {
            let result = try await ProcessRunner.run("/usr/bin/timeout", ["60", RepositoryPaths.executable("colfile")]
                                                         + command + [path])
            #expect(result.exitCode == 2, "\(command) \(path): \(result.exitCode) \(result.standardError)")
            #expect(result.errorLines == ["colfile: \(path): not a regular file but \(phrase); "
                                          + "colfile files are regular files, read through a memory mapping"],
                    "\(command) \(path)")
        }
    }

    /// `head`, `stats` and `export` also read a dataset's folder: of a folder holding none they say so.
    @Test func directory() async throws {
        let folder = try TemporaryFolder("cli-special-directory")
        try await expectRefused(folder.path, as: "a directory",
                                commands: [["inspect"], ["inspect", "--json"], ["verify"], ["checksum"]])
        for command in [["head"], ["stats"], ["export"]] {
            let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), command + [folder.path])
            #expect(result.exitCode == 2, "\(command): \(result.exitCode) \(result.standardError)")
            #expect(result.errorLines == ["colfile: \(folder.path): no dataset here: the folder holds no manifest "
                                          + "(_manifest-00000000000000000001.col …): No such file or directory (errno 2)"],
                    "\(command)")
        }
    }

    @Test func fifoWithoutAWriter() async throws {
        let folder = try TemporaryFolder("cli-special-fifo")
        let path = folder.file("pipe.col")
        try SpecialFiles.makeFIFO(at: path)
        try await expectRefused(path, as: "a FIFO (named pipe)")
    }

    @Test func socket() async throws {
        let folder = try TemporaryFolder("cli-special-socket")
        let path = folder.file("socket.col")
        try SpecialFiles.makeSocket(at: path)
        try await expectRefused(path, as: "a socket", commands: [["inspect"], ["export"]])
    }

    @Test func characterDevice() async throws {
        try await expectRefused("/dev/null", as: "a character device", commands: [["inspect"], ["verify"]])
    }

    @Test func blockDevice() async throws {
        let folder = try TemporaryFolder("cli-special-block")
        let path = try #require(SpecialFiles.blockDevice(in: folder.path),
                                "no block device can be made (not root) or opened under /dev")
        try await expectRefused(path, as: "a block device", commands: [["inspect"], ["stats"]])
    }
}
