import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// Specification.md §11: a file appears only when `finish()` succeeds. A writer that is abandoned,
/// released unfinished or fails leaves no file at the target, no temporary file in the folder,
/// and any previous file at the target untouched. Each test runs with the unnamed (`O_TMPFILE`)
/// and the named temporary file.
@Suite struct AtomicPublishTests {
    private func writer(_ path: String, named: Bool) throws -> ColFileWriter {
        var options = ColFileWriter.Options()
        options.useNamedTemporaryFile = named
        return try ColFileWriter(path: path, options: options)
    }

    /// Ways a writer can end without publishing; each leaves the writer unfinished or failed.
    enum Failure: CaseIterable {
        case abandoned, released, mismatchedWholeColumns, mismatchedStreams
    }

    private func fail(_ failure: Failure, at path: String, named: Bool) throws {
        let writer = try writer(path, named: named)
        try writer.addColumn("a", [1, 2, 3] as [Int32])
        let stream = try writer.streamStringColumn("s")
        try stream.append("x")
        switch failure {
        case .abandoned:
            writer.abandon()
        case .released:
            break
        case .mismatchedWholeColumns:
            #expect(throws: ColFileError.self) { try writer.addColumn("b", [1, 2] as [Int32]) }
        case .mismatchedStreams:
            let error = #expect(throws: ColFileError.self) { try writer.finish() }
            #expect(error?.code == .invalidArgument)
            #expect(error?.description == "\(path): column 's': every column must have the same number of rows (expected 3, found 1)")
        }
    }

    @Test(arguments: Failure.allCases, [false, true])
    func unfinishedWriterLeavesNothing(failure: Failure, named: Bool) throws {
        let folder = try TemporaryFolder("atomic")
        try fail(failure, at: folder.file("t.col"), named: named)
        #expect(try folder.contents() == [])
    }

    @Test(arguments: Failure.allCases, [false, true])
    func unfinishedWriterKeepsThePreviousFile(failure: Failure, named: Bool) throws {
        let folder = try TemporaryFolder("atomic")
        let path = folder.file("t.col")
        try GoldenFixtures.named("spec-example").write(to: path)
        let before = try Files.read(path)
        let reader = try ColFileReader.open(path)
        try fail(failure, at: path, named: named)
        #expect(try folder.contents() == ["t.col"])
        #expect(try Files.read(path) == before)
        #expect(!reader.fileHasBeenReplaced())
    }

    @Test func namedTemporaryFileIsVisibleOnlyWhileWriting() throws {
        let folder = try TemporaryFolder("atomic")
        let path = folder.file("t.col")
        let writer = try writer(path, named: true)
        try writer.addColumn("a", [1.0] as [Double])
        let entries = try folder.contents()
        #expect(entries.count == 1 && entries[0].hasPrefix(".t.col.colfile-tmp-"), "\(entries)")
        try writer.finish()
        #expect(try folder.contents() == ["t.col"])
    }

    @Test(arguments: [false, true])
    func republishingReplacesTheFileWhileOldReadersKeepTheirVersion(named: Bool) throws {
        let folder = try TemporaryFolder("atomic")
        let path = folder.file("t.col")
        try GoldenFixtures.named("spec-example").write(to: path)
        let old = try ColFileReader.open(path)
        let oldIDs = try old.column("id", as: Int32.self)
        #expect(!old.fileHasBeenReplaced())

        let writer = try writer(path, named: named)
        try writer.addColumn("id", [10, 20] as [Int32])
        try writer.finish()
        #expect(try folder.contents() == ["t.col"])
        #expect(old.fileHasBeenReplaced())
        #expect(Array(oldIDs) == [1, 2, 3])
        #expect(try old.stringColumn("name").value(at: 1) == "bc")

        let new = try ColFileReader.open(path)
        #expect(!new.fileHasBeenReplaced())
        #expect(Array(try new.column("id", as: Int32.self)) == [10, 20])
        #expect(new.identity != old.identity)
    }

    @Test func deletedFileCountsAsReplaced() throws {
        let folder = try TemporaryFolder("atomic")
        let path = folder.file("t.col")
        try GoldenFixtures.named("spec-example").write(to: path)
        let reader = try ColFileReader.open(path)
        try FileManager.default.removeItem(atPath: path)
        #expect(reader.fileHasBeenReplaced())
        #expect(Array(try reader.column("id", as: Int32.self)) == [1, 2, 3])
    }

    /// `syncsToDisk: false` skips the fsyncs but still publishes a whole, readable file atomically,
    /// with either temporary file, and replaces an existing file like the default does.
    @Test(arguments: [false, true])
    func unsyncedWriterStillPublishesAReadableFile(named: Bool) throws {
        let folder = try TemporaryFolder("atomic")
        let path = folder.file("t.col")
        try GoldenFixtures.named("spec-example").write(to: path)
        let old = try ColFileReader.open(path)
        var options = ColFileWriter.Options(syncsToDisk: false)
        options.useNamedTemporaryFile = named
        let writer = try ColFileWriter(path: path, options: options)
        try writer.addColumn("x", [1.5, 2.5, 4.0] as [Double])
        try writer.addColumn("s", ["a", nil, "ccc"])
        try writer.finish()
        #expect(try folder.contents() == ["t.col"])
        let reader = try ColFileReader.open(path)
        #expect(Array(try reader.column("x", as: Double.self)) == [1.5, 2.5, 4.0])
        let strings = try reader.stringColumn("s")
        #expect((0..<3).map { strings.value(at: $0) } == ["a", nil, "ccc"])
        try reader.verify()
        #expect(old.fileHasBeenReplaced())
        #expect(Array(try old.column("id", as: Int32.self)) == [1, 2, 3])
    }

    /// Without fsync and with no previous file there is nothing to swap with: a plain rename.
    @Test(arguments: [false, true])
    func unsyncedWriterPublishesWhereNoFileWas(named: Bool) throws {
        let folder = try TemporaryFolder("atomic")
        let path = folder.file("t.col")
        var options = ColFileWriter.Options(syncsToDisk: false)
        options.useNamedTemporaryFile = named
        let writer = try ColFileWriter(path: path, options: options)
        try writer.addColumn("x", [1.5] as [Double])
        try writer.finish()
        #expect(try folder.contents() == ["t.col"])
        #expect(Array(try ColFileReader.open(path).column("x", as: Double.self)) == [1.5])
    }

    /// A replaced file of `ReplacedFile.deferredSize` bytes or more loses its name before
    /// `finish()` returns and is closed on another thread (which frees its pages): the folder then
    /// holds only the new file, a reader of the old version keeps its values, and once those
    /// closes are done (`ReplacedFile.waitForReleases()`) no descriptor of the old file is open.
    /// Both the swap (`syncsToDisk: false`) and the rename over it (durable), with either
    /// temporary file.
    @Test(arguments: [false, true], [false, true])
    func replacingALargeFileLeavesOnlyTheNewFile(named: Bool, durable: Bool) throws {
        let folder = try TemporaryFolder("atomic")
        let path = folder.file("t.col")
        let rows = (16 << 20) / 8 + 1
        var options = ColFileWriter.Options(syncsToDisk: durable)
        options.useNamedTemporaryFile = named
        let first = try ColFileWriter(path: path, options: options)
        try first.addColumn("x", (0..<rows).map { Int64($0) })
        try first.finish()
        let old = try ColFileReader.open(path)
        let oldValues = try old.column("x", as: Int64.self)

        let second = try ColFileWriter(path: path, options: options)
        try second.addColumn("x", [7] as [Int64])
        try second.finish()
        #expect(try folder.contents() == ["t.col"])
        #expect(old.fileHasBeenReplaced())
        #expect(oldValues[rows - 1] == Int64(rows - 1))
        #expect(Array(try ColFileReader.open(path).column("x", as: Int64.self)) == [7])
        ReplacedFile.waitForReleases()
        #expect(try descriptors(in: folder.path).isEmpty)
    }

    /// The files in `folder` this process has a descriptor open on (a file whose name is gone
    /// shows as `PATH (deleted)` in `/proc/self/fd`).
    private func descriptors(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)
        }.filter { $0.hasPrefix(folder + "/") }
    }
}
