import ColFile
import Foundation
import ColFileTestSupport
import Testing

/// `colfile draft create|status|seal` with the real binary: output, exit codes and one-line errors.
@Suite struct DraftCommandTests {
    @Test func createFillStatusAndSealCompressed() async throws {
        let folder = try TemporaryFolder("draft-command")
        let draftPath = folder.file("out.col.draft")
        let created = try await ProcessRunner.colfile("draft", "create", draftPath, "--rows", "1000", "--rows-per-range", "128",
                                                      "--column", "score:float64", "--column", "visits:int64:zero")
        #expect(created.exitCode == 0, "\(created.standardError)")
        do {
            let draft = try ColFileDraft.open(draftPath)
            try draft.column("score", as: Double.self).write((0..<1000).map { Double($0 % 10) }, at: 0)
            let queue = try draft.workQueue()
            try #require(try queue.claim()).finish()
        }
        let status = try await ProcessRunner.colfile("draft", "status", draftPath)
        #expect(status.exitCode == 0)
        #expect(status.standardOutput.contains("done 1"), "\(status.standardOutput)")
        let incomplete = try await ProcessRunner.colfile("draft", "seal", draftPath, "--require-done")
        #expect(incomplete.exitCode == 2 && incomplete.errorLines.count == 1, "\(incomplete.standardError)")
        let sealed = try await ProcessRunner.colfile("draft", "seal", draftPath, "--compress", "score=zstd", "--no-sync")
        #expect(sealed.exitCode == 0, "\(sealed.standardError)")
        #expect(try folder.contents() == ["out.col"])
        let reader = try ColFileReader.open(folder.file("out.col"))
        #expect(try reader.info("score").codec == .zstd)
        #expect(Array(try reader.column("score", as: Double.self).values) == (0..<1000).map { Double($0 % 10) })
    }

    @Test func aHeldDraftIsBusyAndADraftIsNotAFile() async throws {
        let folder = try TemporaryFolder("draft-command-busy")
        let draftPath = folder.file("d.col.draft")
        _ = try ColFileDraft.create(draftPath, rowCount: 64, columns: [DraftColumn("x", of: Double.self)])
        let held = try ColFileDraft.open(draftPath)
        let busy = try await ProcessRunner.colfile("draft", "seal", draftPath)
        #expect(busy.exitCode == 2 && busy.errorLines.count == 1, "\(busy.standardError)")
        #expect(busy.standardError.contains("held by process \(ProcessInfo.processInfo.processIdentifier)"), "\(busy.standardError)")
        _ = consume held
        let inspected = try await ProcessRunner.colfile("inspect", draftPath)
        #expect(inspected.exitCode == 1, "\(inspected.standardError)")
        #expect(inspected.standardError.contains("an unsealed colfile draft"), "\(inspected.standardError)")
        let badChoice = try await ProcessRunner.colfile("draft", "seal", draftPath, "--compress", "x=lz4")
        #expect(badChoice.exitCode == 2, "\(badChoice.standardError)")  // a usage error: ArgumentParser adds the usage
        #expect(badChoice.errorLines.first == "Error: --compress takes COLUMN=zstd, COLUMN=zlib or COLUMN=auto")
    }
}
