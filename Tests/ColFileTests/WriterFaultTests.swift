import ColFile
import ColFileTestSupport
import Foundation
import SystemPackage
import Testing

/// Writes that fail partway (Specification.md §11): the disk fills up, a flush or the publishing
/// rename fails, the folder disappears. Each must throw a ``ColFileError`` with code `.io` and the
/// system's errno, leave the previous file at the target byte for byte, and leave no temporary
/// file. Every case runs with the unnamed (`O_TMPFILE`) and the named temporary file.
@Suite struct WriterFaultTests {
    private func writer(_ path: String, named: Bool, fault: InjectedFault? = nil,
                        syncsToDisk: Bool = true) throws -> ColFileWriter {
        var options = ColFileWriter.Options(syncsToDisk: syncsToDisk)
        options.useNamedTemporaryFile = named
        options.injectedFault = fault
        return try ColFileWriter(path: path, options: options)
    }

    /// A table of about 10 MiB, more than the writer's 4 MiB staging buffer, so some writes
    /// succeed before an injected one fails; with a streamed column (copied from its spill file)
    /// and a cold column.
    private func writeTable(_ writer: ColFileWriter) throws {
        try writer.addColumn("big", (0..<(1 << 20)).map { Double($0) })
        writer.compression["cold"] = .zlib()
        try writer.addColumn("cold", (0..<(1 << 20)).map { Int32($0 % 1000) })
        let stream = try writer.streamStringColumn("s")
        for row in 0..<(1 << 20) { try stream.append(row % 3 == 0 ? "x" : "yz") }
        try stream.finish()
        try writer.finish()
    }

    /// Writes the table to `path` (holding a previous file) with `fault`, and checks the failure.
    private func expectCleanFailure(named: Bool, fault: InjectedFault, syncsToDisk: Bool = true) throws {
        let folder = try TemporaryFolder("fault")
        let path = folder.file("t.col")
        try GoldenFixtures.named("spec-example").write(to: path)
        let before = try Files.read(path)
        let error = #expect(throws: ColFileError.self) {
            let writer = try self.writer(path, named: named, fault: fault, syncsToDisk: syncsToDisk)
            try writeTable(writer)
        }
        #expect(error?.code == .io)
        #expect(error?.errno == fault.errno)
        #expect(error?.path == path)
        #expect(try Files.read(path) == before)
        #expect(try folder.contents() == ["t.col"])
    }

    static let writeLimits: [UInt64] = [0, 63, 64, 4096, 4 << 20, 6 << 20, 9 << 20]

    @Test(arguments: writeLimits, [false, true])
    func diskFullPartwayThrowsAndKeepsThePreviousFile(limit: UInt64, named: Bool) throws {
        try expectCleanFailure(named: named, fault: InjectedFault(.write(afterBytes: limit), errno: .noSpace))
    }

    @Test(arguments: [false, true])
    func failingFileSyncThrowsAndKeepsThePreviousFile(named: Bool) throws {
        try expectCleanFailure(named: named, fault: InjectedFault(.syncFile, errno: .ioError))
    }

    @Test func failingLinkOfTheUnnamedFileThrowsAndKeepsThePreviousFile() throws {
        try expectCleanFailure(named: false, fault: InjectedFault(.link, errno: .noSpace))
    }

    @Test(arguments: [false, true])
    func failingRenameThrowsAndKeepsThePreviousFile(named: Bool) throws {
        try expectCleanFailure(named: named, fault: InjectedFault(.rename, errno: .ioError))
    }

    /// Without fsync the file is swapped with the previous one (`RENAME_EXCHANGE`) instead of
    /// renamed over it; a failure there is the same clean failure.
    @Test(arguments: [false, true])
    func failingUnsyncedPublishThrowsAndKeepsThePreviousFile(named: Bool) throws {
        try expectCleanFailure(named: named, fault: InjectedFault(.rename, errno: .ioError), syncsToDisk: false)
    }

    /// An unsynced writer checks that the target is a regular file, then swaps its file in. A
    /// folder that takes the target's name between the two is swapped back and left in place,
    /// and the writer fails as a rename onto a folder fails (EISDIR), leaving no temporary file.
    @Test(arguments: [false, true])
    func folderTakingTheTargetsNameMidPublishIsSwappedBack(named: Bool) throws {
        let folder = try TemporaryFolder("fault")
        let path = folder.file("t.col")
        try GoldenFixtures.named("spec-example").write(to: path)
        let error = #expect(throws: ColFileError.self) {
            let writer = try self.writer(path, named: named, fault: InjectedFault(.targetReplacedByFolder, errno: .isDirectory),
                                         syncsToDisk: false)
            try writeTable(writer)
        }
        #expect(error?.code == .io)
        #expect(error?.errno == .isDirectory)
        #expect(error?.description == "\(path): cannot publish the file: Is a directory (errno 21)")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType == .typeDirectory)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == [])
        #expect(try folder.contents() == ["t.col"])
    }

    @Test func injectedFaultMessagesNameTheCall() throws {
        let folder = try TemporaryFolder("fault")
        let path = folder.file("t.col")
        let write = #expect(throws: ColFileError.self) {
            let writer = try self.writer(path, named: false, fault: InjectedFault(.write(afterBytes: 0), errno: .noSpace))
            try writer.addColumn("a", [1, 2, 3] as [Int32])
            try writer.finish()
        }
        #expect(write?.description == "\(path): cannot write 336 bytes at offset 64: No space left on device (errno 28)")
        let rename = #expect(throws: ColFileError.self) {
            let writer = try self.writer(path, named: true, fault: InjectedFault(.rename, errno: .ioError))
            try writer.addColumn("a", [1, 2, 3] as [Int32])
            try writer.finish()
        }
        #expect(rename?.description == "\(path): cannot publish the file: Input/output error (errno 5)")
        #expect(try folder.contents() == [])
    }

    /// A failing flush of the folder comes after the rename: the new file is in place (a rename
    /// cannot be undone), and the error says it may not survive a power loss.
    @Test(arguments: [false, true])
    func failingFolderSyncAfterTheRenameReportsTheFileAsPublished(named: Bool) throws {
        let folder = try TemporaryFolder("fault")
        let path = folder.file("t.col")
        try GoldenFixtures.named("spec-example").write(to: path)
        let error = #expect(throws: ColFileError.self) {
            let writer = try self.writer(path, named: named, fault: InjectedFault(.syncFolder, errno: .ioError))
            try writer.addColumn("a", [7, 8] as [Int32])
            try writer.finish()
        }
        #expect(error?.code == .io)
        #expect(error?.errno == .ioError)
        #expect(error?.description
            == "\(path): the file was published but its folder could not be flushed to disk: Input/output error (errno 5)")
        #expect(try folder.contents() == ["t.col"])
        #expect(Array(try ColFileReader.open(path).column("a", as: Int32.self)) == [7, 8])
    }

    // MARK: - Real failures, no injection

    /// `rename` onto a folder fails with EISDIR: the folder and its contents stay.
    /// Also without fsync, where a regular file would be swapped, not renamed over.
    @Test(arguments: [false, true], [true, false])
    func publishingOntoAFolderThrowsAndLeavesItAlone(named: Bool, syncsToDisk: Bool) throws {
        let folder = try TemporaryFolder("fault")
        let path = folder.file("t.col")
        try Files.write([1, 2, 3], to: path + "/inside")
        let error = #expect(throws: ColFileError.self) {
            let writer = try self.writer(path, named: named, syncsToDisk: syncsToDisk)
            try writer.addColumn("a", [1.0, 2.0] as [Double])
            try writer.finish()
        }
        #expect(error?.code == .io)
        #expect(error?.errno == .isDirectory)
        #expect(try folder.contents() == ["t.col"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["inside"])
        #expect(try Files.read(path + "/inside") == [1, 2, 3])
    }

    /// The target's folder is removed while the file is being written: publishing fails with
    /// ENOENT (`linkat` for the unnamed file, `rename` for the named one, whose name went with
    /// the folder) and nothing is recreated.
    @Test(arguments: [false, true])
    func folderRemovedMidWriteThrows(named: Bool) throws {
        let parent = try TemporaryFolder("fault")
        let folder = parent.file("sub")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let path = folder + "/t.col"
        let writer = try self.writer(path, named: named)
        try writer.addColumn("a", (0..<1000).map { Int64($0) })
        try FileManager.default.removeItem(atPath: folder)
        let error = #expect(throws: ColFileError.self) { try writer.finish() }
        #expect(error?.code == .io)
        #expect(error?.errno == .noSuchFileOrDirectory)
        #expect(try parent.contents() == [])
    }

    /// The folder does not exist at all: the writer cannot start.
    @Test(arguments: [false, true])
    func missingFolderThrowsAtStart(named: Bool) throws {
        let parent = try TemporaryFolder("fault")
        let error = #expect(throws: ColFileError.self) { _ = try self.writer(parent.file("none/t.col"), named: named) }
        #expect(error?.code == .io)
        #expect(error?.errno == .noSuchFileOrDirectory)
        #expect(try parent.contents() == [])
    }
}
