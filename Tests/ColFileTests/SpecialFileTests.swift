import ColFile
import Foundation
import ColFileTestSupport
import Testing

/// Paths that name something other than a regular file (RELIABILITY.md, "Faults around the file"):
/// each is refused at open with ``ColFileError/Code/notARegularFile`` naming what it is, and a FIFO
/// is opened without waiting for a writer (`O_NONBLOCK`).
@Suite struct SpecialFileTests {
    private func expectRefused(_ path: String, as phrase: String) {
        let error = #expect(throws: ColFileError.self) { _ = try ColFileReader.open(path) }
        #expect(error?.code == .notARegularFile)
        #expect(error?.description == "\(path): not a regular file but \(phrase); "
                + "colfile files are regular files, read through a memory mapping")
    }

    @Test func directoryIsRefused() throws {
        let folder = try TemporaryFolder("special-directory")
        expectRefused(folder.path, as: "a directory")
    }

    @Test func fifoIsRefusedWithoutWaitingForAWriter() throws {
        let folder = try TemporaryFolder("special-fifo")
        let path = folder.file("pipe")
        try SpecialFiles.makeFIFO(at: path)
        expectRefused(path, as: "a FIFO (named pipe)")
    }

    @Test func socketIsRefused() throws {
        let folder = try TemporaryFolder("special-socket")
        let path = folder.file("socket")
        try SpecialFiles.makeSocket(at: path)
        expectRefused(path, as: "a socket")
    }

    @Test func characterDeviceIsRefused() {
        expectRefused("/dev/null", as: "a character device")
    }

    @Test func blockDeviceIsRefused() throws {
        let folder = try TemporaryFolder("special-block")
        let path = try #require(SpecialFiles.blockDevice(in: folder.path),
                                "no block device can be made (not root) or opened under /dev")
        expectRefused(path, as: "a block device")
    }

    /// A link to a special file is followed: what counts is what it names.
    @Test func linkToAFIFOIsRefusedAsAFIFO() throws {
        let folder = try TemporaryFolder("special-link")
        try SpecialFiles.makeFIFO(at: folder.file("pipe"))
        try FileManager.default.createSymbolicLink(atPath: folder.file("link.col"), withDestinationPath: folder.file("pipe"))
        expectRefused(folder.file("link.col"), as: "a FIFO (named pipe)")
    }
}
